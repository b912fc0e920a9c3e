package shop

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"monoid-shop/internal/protocol"
)

// scanSample is how many rows scan reads of each table, as the official
// connector does.
const scanSample = 5

// table is one table: a data store named after it, in the group named
// after its database. It is synchronous: queries and deletions run at
// once (protocol.Sync wraps it).
type table struct {
	pool   *pool
	db     string
	name   string
	cols   []column
	from   string         // `db`.`table`, quoted
	byName map[string]int // column index by name
	schema json.RawMessage
}

// init derives what the table's statements and schema need from its
// columns.
func (t *table) init() {
	t.from = quoteIdent(t.db) + "." + quoteIdent(t.name)
	t.byName = make(map[string]int, len(t.cols))
	s := []byte(`{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{`)
	for i, c := range t.cols {
		t.byName[c.name] = i
		if i > 0 {
			s = append(s, ',')
		}
		s = protocol.AppendJSONString(s, c.name)
		s = append(s, ':')
		s = append(s, c.schema...)
	}
	t.schema = append(s, '}', '}')
}

func (t *table) Name() string                { return t.name }
func (t *table) Group() string               { return t.db }
func (t *table) JSONSchema() json.RawMessage { return t.schema }

// Query writes the rows whose identifier column equals the identifier's
// value, with the columns its json_schema lists (all columns when it lists
// none), as the official connector does.
func (t *table) Query(ctx context.Context, id protocol.QueryIdentifier, out protocol.RecordWriter) (err error) {
	defer func() { err = scrub(err, t.pool.conf.Password, id.IdentifierQuery.String()) }()
	cols, err := t.selected(id.JSONSchema)
	if err != nil {
		return err
	}
	idCol, arg, ok, err := t.match(id)
	if err != nil || !ok {
		return err
	}
	if err := t.pool.probe(ctx); err != nil {
		return err
	}
	stmt := t.pool.bounded("SELECT " + columnList(cols) + " FROM " + t.from + " WHERE " + quoteIdent(idCol.name) + " = ?")
	return t.stream(ctx, stmt, arg, cols, out)
}

// Delete deletes the rows whose identifier column equals the identifier's
// value, in a transaction that it commits.
func (t *table) Delete(ctx context.Context, id protocol.QueryIdentifier) (err error) {
	defer func() { err = scrub(err, t.pool.conf.Password, id.IdentifierQuery.String()) }()
	idCol, arg, ok, err := t.match(id)
	if err != nil || !ok {
		return err
	}
	if err := t.pool.probe(ctx); err != nil {
		return err
	}
	stmt := t.pool.bounded("DELETE FROM " + t.from + " WHERE " + quoteIdent(idCol.name) + " = ?")
	tx, err := t.pool.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin the deletion: %w", err)
	}
	res, err := tx.ExecContext(ctx, stmt, arg)
	if err != nil {
		tx.Rollback()
		return fmt.Errorf("delete: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit the deletion: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil {
		slog.Info("deleted rows", "database", t.db, "table", t.name, "rows", n)
	}
	return nil
}

// Scan writes a sample of scanSample rows, every column.
func (t *table) Scan(ctx context.Context, out protocol.RecordWriter) (err error) {
	defer func() { err = scrub(err, t.pool.conf.Password) }()
	if err := t.pool.probe(ctx); err != nil {
		return err
	}
	cols := make([]*column, len(t.cols))
	for i := range t.cols {
		cols[i] = &t.cols[i]
	}
	// LIMIT is bound too: a statement with a parameter goes through the
	// binary protocol, which Query uses, so values are written alike.
	stmt := t.pool.bounded("SELECT " + columnList(cols) + " FROM " + t.from + " LIMIT ?")
	return t.stream(ctx, stmt, scanSample, cols, out)
}

// stream runs stmt with its one argument and writes each row as a record.
func (t *table) stream(ctx context.Context, stmt string, arg any, cols []*column, out protocol.RecordWriter) error {
	rows, err := t.pool.db.QueryContext(ctx, stmt, arg)
	if err != nil {
		return fmt.Errorf("select: %w", err)
	}
	defer rows.Close()
	r := newRow(cols)
	for rows.Next() {
		if err := rows.Scan(r.dest...); err != nil {
			return fmt.Errorf("read a row: %w", err)
		}
		if err := out.Record(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the rows: %w", err)
	}
	return nil
}

// column returns the table's column called name. Column names compare as
// the server compares them: without regard to case.
func (t *table) column(name string) (*column, bool) {
	if i, ok := t.byName[name]; ok {
		return &t.cols[i], true
	}
	for i := range t.cols {
		if strings.EqualFold(t.cols[i].name, name) {
			return &t.cols[i], true
		}
	}
	return nil, false
}

// selected returns the columns a query's json_schema lists under
// "properties", in its order; every column when it lists none. A listed
// column the table does not have is an error: the schema the platform
// holds is out of date.
func (t *table) selected(schema json.RawMessage) ([]*column, error) {
	names, err := propertyNames(schema)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		cols := make([]*column, len(t.cols))
		for i := range t.cols {
			cols[i] = &t.cols[i]
		}
		return cols, nil
	}
	cols := make([]*column, 0, len(names))
	for _, n := range names {
		c, ok := t.column(n)
		if !ok {
			return nil, fmt.Errorf("json_schema lists property %q, which is not a column of this table (%s): run schema again to refresh the platform's copy", n, t.columnNames())
		}
		if !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	return cols, nil
}

// match finds the identifier's column and the value to bind. ok is false
// when no row can match: the column holds numbers and the value is not
// one. Comparing it anyway would let the server convert each row's
// number and the value to doubles ('abc' becomes 0), matching rows that
// are not the user's.
func (t *table) match(id protocol.QueryIdentifier) (c *column, arg any, ok bool, err error) {
	c, found := t.column(id.Identifier)
	if !found {
		return nil, nil, false, fmt.Errorf("identifier %q is not a column of this table (%s)", id.Identifier, t.columnNames())
	}
	arg, ok = bindValue(c.kind, id.IdentifierQuery)
	if !ok {
		slog.Info("no row can match: the identifier's value is not a number, and its column holds numbers",
			"database", t.db, "table", t.name, "column", c.name)
	}
	return c, arg, ok, nil
}

// bindValue is the parameter that compares a column of kind k with the
// identifier's value: an integer for integer columns (a string holding an
// integer is accepted), the decimal text for other numeric columns, and
// the text for every other column, even when the value came as a JSON
// integer, so that text columns compare as text. ok is false when a
// numeric column meets a value that is not a number.
func bindValue(k kind, q protocol.IdentifierQuery) (arg any, ok bool) {
	text := q.String()
	switch k {
	case kindInt, kindBool, kindBits, kindYear:
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return n, true
		}
		if n, err := strconv.ParseUint(text, 10, 64); err == nil {
			return n, true
		}
		return nil, false
	case kindNumber:
		if _, err := appendNumber(nil, []byte(text)); err != nil {
			return nil, false
		}
		return text, true
	case kindBinary:
		return []byte(text), true
	}
	return text, true
}

// columnNames lists the table's columns for an error message.
func (t *table) columnNames() string {
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = strconv.Quote(c.name)
	}
	return "its columns: " + strings.Join(names, ", ")
}

// columnList is the quoted, comma-separated list of cols for SELECT.
func columnList(cols []*column) string {
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteIdent(c.name))
	}
	return b.String()
}

// propertyNames returns the keys of a JSON Schema's "properties", in the
// order they are written; none when the schema is null or has none.
func propertyNames(schema json.RawMessage) ([]string, error) {
	schema = bytes.TrimSpace(schema)
	if len(schema) == 0 || bytes.Equal(schema, []byte("null")) {
		return nil, nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(schema, &top); err != nil {
		return nil, errors.New("the query's json_schema is not a JSON object")
	}
	props := bytes.TrimSpace(top["properties"])
	if len(props) == 0 || bytes.Equal(props, []byte("null")) {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(props))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("the query's json_schema.properties is not a JSON object")
	}
	var names []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("the query's json_schema.properties: %w", err)
		}
		names = append(names, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, fmt.Errorf("the query's json_schema.properties: %w", err)
		}
	}
	return names, nil
}
