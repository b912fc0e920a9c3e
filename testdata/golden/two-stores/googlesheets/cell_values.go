package googlesheets

import (
	"context"
	"encoding/json"

	"example.com/connectors/sheets/internal/protocol"
)

// cellValuesStore is the cell_values data store of Google Sheets.
//
// It is a synchronous store (protocol.SyncStore): it reads and deletes at
// once, as a database does, and protocol.Sync answers the request lifecycle
// for it. A store backed by an export API that answers later implements
// protocol.DataStore instead, returning protocol.StateProgress and a handle.
type cellValuesStore struct {
	conf Config
}

// cellValuesSchema describes a cell_values record: the fields Monoid maps
// and returns to users.
//
// TODO: list the real fields of a cell_values record.
var cellValuesSchema = json.RawMessage(`{
	"$schema": "http://json-schema.org/draft-07/schema#",
	"type": "object",
	"properties": {
		"id": {"type": "string"},
		"email": {"type": "string"}
	}
}`)

// Name is the store's name in Monoid.
func (s *cellValuesStore) Name() string { return "cell_values" }

// Group is the group the store belongs to, such as a database name.
func (s *cellValuesStore) Group() string { return "googlesheets" }

// JSONSchema describes the store's records.
func (s *cellValuesStore) JSONSchema() json.RawMessage { return cellValuesSchema }

// Query writes every cell_values record whose field id.Identifier (such as
// "email") equals id.IdentifierQuery, with out.Record.
func (s *cellValuesStore) Query(ctx context.Context, id protocol.QueryIdentifier, out protocol.RecordWriter) error {
	// TODO: look the records up in Google Sheets and write each one:
	//	out.Record(map[string]any{"id": ..., "email": ...})
	return nil
}

// Delete deletes every cell_values record whose field id.Identifier equals
// id.IdentifierQuery.
func (s *cellValuesStore) Delete(ctx context.Context, id protocol.QueryIdentifier) error {
	// TODO: delete the records in Google Sheets.
	return nil
}

// Scan writes a sample of cell_values records, from which Monoid discovers
// what personal data the store holds.
func (s *cellValuesStore) Scan(ctx context.Context, out protocol.RecordWriter) error {
	// TODO: read some records from Google Sheets and write each one.
	return nil
}
