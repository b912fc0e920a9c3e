package memory

import (
	"context"
	"encoding/json"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// Table is an in-memory data store of rows 0 to rows-1 in group Group. It
// is a synchronous store (protocol.SyncStore): protocol.Sync answers query
// at once with the identifier in the handle, and runs Query when the
// platform asks for the results.
type Table struct {
	name string
	rows int
}

// NewTable returns the store name, holding rows generated rows.
func NewTable(name string, rows int) *Table { return &Table{name: name, rows: rows} }

// rowSchema describes every table's records.
var rowSchema = json.RawMessage(`{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"id":{"type":"integer"},"email":{"type":"string"},"name":{"type":"string"}}}`)

// Name is the store's name in Monoid.
func (t *Table) Name() string { return t.name }

// Group is the group the store belongs to.
func (t *Table) Group() string { return Group }

// JSONSchema describes the store's records.
func (t *Table) JSONSchema() json.RawMessage { return rowSchema }

// Query writes every row whose field id.Identifier equals
// id.IdentifierQuery, compared as text, so that the integer 2 matches id 2.
func (t *Table) Query(ctx context.Context, id protocol.QueryIdentifier, out protocol.RecordWriter) error {
	want := id.IdentifierQuery.String()
	var r Row
	for i := range t.rows {
		r = Row(i)
		if v, ok := r.field(id.Identifier); ok && v == want {
			if err := out.Record(&r); err != nil {
				return err
			}
		}
	}
	return nil
}

// Delete deletes nothing: the rows are generated anew on every run.
func (t *Table) Delete(ctx context.Context, id protocol.QueryIdentifier) error {
	return nil
}

// Scan writes every row. Records are written one at a time as they are
// produced, so a scan of a million rows uses no more memory than one of ten.
// The one row variable is passed by pointer: a row converted to an
// interface value would be allocated anew for each record. The writer
// stops with the context's error once the command is cancelled.
func (t *Table) Scan(ctx context.Context, out protocol.RecordWriter) error {
	var r Row
	for i := range t.rows {
		r = Row(i)
		if err := out.Record(&r); err != nil {
			return err
		}
	}
	return nil
}
