package shop

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"monoid-shop/internal/protocol"
)

// sampleSize is how many rows Scan reads from each table, as the official
// connector does.
const sampleSize = 5

// table is the data store of one table: name is the table's name, group is
// "DATABASE/SCHEMA". It is a protocol.SyncStore: query and delete act at
// once.
type table struct {
	c       *connector
	db      string
	schema  string
	name    string
	columns []*column

	quoted     string // "schema"."table", quoted for SQL
	jsonSchema json.RawMessage
}

// init computes what the table's statements and schema message need.
func (t *table) init() {
	t.quoted = pgx.Identifier{t.schema, t.name}.Sanitize()
	for _, c := range t.columns {
		c.key = append(protocol.AppendJSONString(nil, c.name), ':')
	}
	t.jsonSchema = jsonSchemaOf(t.columns)
}

func (t *table) Name() string                { return t.name }
func (t *table) Group() string               { return t.db + "/" + t.schema }
func (t *table) JSONSchema() json.RawMessage { return t.jsonSchema }

// describe names the table in messages: "public"."users" in database "app".
func (t *table) describe() string {
	return fmt.Sprintf("%s in database %q", t.quoted, t.db)
}

// Query writes the rows whose identifier column equals the identifier's
// value. It selects the columns the identifier's json_schema lists (all of
// them if it lists none). The value is sent as a text parameter of unknown
// type, so the server reads it as the column's type, as it would a
// literal: "42" matches an integer column, and a citext column compares
// without case.
func (t *table) Query(ctx context.Context, id protocol.QueryIdentifier, out protocol.RecordWriter) error {
	cols, err := t.selected(id.JSONSchema)
	if err != nil {
		return err
	}
	match, err := t.column(id.Identifier)
	if err != nil {
		return err
	}
	sql := "SELECT " + selectList(cols) + " FROM " + t.quoted +
		" WHERE " + pgx.Identifier{match.name}.Sanitize() + " = $1"
	err = t.stream(ctx, sql, [][]byte{[]byte(id.IdentifierQuery.String())}, cols, out)
	if err != nil {
		return t.c.scrub.err(fmt.Errorf("query %s: %w", t.describe(), queryProblem(err, match.name, id)))
	}
	return nil
}

// Delete deletes the rows whose identifier column equals the identifier's
// value, in a transaction it commits.
func (t *table) Delete(ctx context.Context, id protocol.QueryIdentifier) error {
	match, err := t.column(id.Identifier)
	if err != nil {
		return err
	}
	pool, err := t.c.pool(t.db)
	if err != nil {
		return t.c.scrub.err(err)
	}
	sql := "DELETE FROM " + t.quoted + " WHERE " + pgx.Identifier{match.name}.Sanitize() + " = $1"
	n, err := func() (int64, error) {
		tx, err := pool.Begin(ctx)
		if err != nil {
			return 0, t.c.connectError(ctx, err, t.db)
		}
		defer tx.Rollback(context.WithoutCancel(ctx)) // a no-op once committed
		tag, err := tx.Conn().PgConn().ExecParams(ctx, sql, [][]byte{[]byte(id.IdentifierQuery.String())}, nil, nil, nil).Close()
		if err != nil {
			return 0, err
		}
		return tag.RowsAffected(), tx.Commit(ctx)
	}()
	if err != nil {
		return t.c.scrub.err(fmt.Errorf("delete from %s: %w", t.describe(), queryProblem(err, match.name, id)))
	}
	slog.Info("deleted rows", "table", t.quoted, "database", t.db, "rows", n)
	return nil
}

// Scan writes the first sampleSize rows of the table, every column.
func (t *table) Scan(ctx context.Context, out protocol.RecordWriter) error {
	sql := fmt.Sprintf("SELECT %s FROM %s LIMIT %d", selectList(t.columns), t.quoted, sampleSize)
	if err := t.stream(ctx, sql, nil, t.columns, out); err != nil {
		return t.c.scrub.err(fmt.Errorf("scan %s: %w", t.describe(), queryProblem(err, "", protocol.QueryIdentifier{})))
	}
	return nil
}

// column returns the column the identifier names.
func (t *table) column(name string) (*column, error) {
	for _, c := range t.columns {
		if c.name == name {
			return c, nil
		}
	}
	return nil, fmt.Errorf("identifier %q is not a column of table %s", name, t.describe())
}

// selected returns the columns a json_schema lists, in table order; all of
// them if it lists none.
func (t *table) selected(schema json.RawMessage) ([]*column, error) {
	var s struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if len(schema) > 0 && string(schema) != "null" {
		if err := json.Unmarshal(schema, &s); err != nil {
			return nil, fmt.Errorf("json_schema of the query on table %s is not a JSON Schema object: %w", t.describe(), err)
		}
	}
	if len(s.Properties) == 0 {
		return t.columns, nil
	}
	cols := make([]*column, 0, len(s.Properties))
	for _, c := range t.columns {
		if _, ok := s.Properties[c.name]; ok {
			cols = append(cols, c)
		}
	}
	if len(cols) < len(s.Properties) {
		for name := range s.Properties {
			if _, err := t.column(name); err != nil {
				return nil, fmt.Errorf("json_schema of the query lists %q, which is not a column of table %s", name, t.describe())
			}
		}
	}
	return cols, nil
}

// selectList is the SELECT list of cols: each column quoted, with the cast
// that makes the server send it as text where it has one.
func selectList(cols []*column) string {
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(pgx.Identifier{c.name}.Sanitize())
		b.WriteString(c.cast)
	}
	return b.String()
}

// stream runs sql with params (text, of unknown type) and writes each row
// to out as a record of cols. Rows are read in binary one at a time
// straight from the connection's buffer and written without a map or any
// allocation per row.
func (t *table) stream(ctx context.Context, sql string, params [][]byte, cols []*column, out protocol.RecordWriter) error {
	pool, err := t.c.pool(t.db)
	if err != nil {
		return err
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return t.c.connectError(ctx, err, t.db)
	}
	defer conn.Release()
	// Stopping early (the writer failed) cancels the statement rather than
	// reading its remaining rows.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	rr := conn.Conn().PgConn().ExecParams(ctx, sql, params, nil, nil, []int16{pgx.BinaryFormatCode})
	if err := checkFields(rr.FieldDescriptions(), cols); err != nil {
		cancel()
		rr.Close()
		return err
	}
	row := &record{cols: cols}
	for rr.NextRow() {
		row.vals = rr.Values()
		if err := out.Record(row); err != nil {
			cancel()
			rr.Close()
			return err
		}
	}
	_, err = rr.Close()
	return err
}

// checkFields checks that the server sends the types the catalog gave: a
// column altered since then would otherwise be decoded wrongly.
func checkFields(fields []pgconn.FieldDescription, cols []*column) error {
	if fields == nil {
		return nil // the statement failed; Close returns why
	}
	if len(fields) != len(cols) {
		return fmt.Errorf("the server sent %d columns, want %d: the table changed while it was read; run the command again", len(fields), len(cols))
	}
	for i, f := range fields {
		if f.DataTypeOID != cols[i].oid {
			return fmt.Errorf("column %q changed type while it was read; run the command again", cols[i].name)
		}
	}
	return nil
}

// record is one row being written: it encodes itself (protocol.JSONAppender),
// one property per column, each value straight from its binary form.
type record struct {
	cols []*column
	vals [][]byte
}

// AppendJSON implements protocol.JSONAppender.
func (r *record) AppendJSON(dst []byte) ([]byte, error) {
	dst = append(dst, '{')
	for i, c := range r.cols {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, c.key...)
		var err error
		if dst, err = appendValue(dst, c.typ, r.vals[i]); err != nil {
			return dst, fmt.Errorf("column %q: %w", c.name, err)
		}
	}
	return append(dst, '}'), nil
}
