package shop

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"monoid-shop/internal/protocol"
)

// tablesSQL lists the columns of every table that becomes a data store, in
// schema, table and column order. Edit it to choose other tables.
//
//   - Ordinary and partitioned tables (relkind r and p). A partition is
//     left out: its rows are read and deleted through its parent. Views,
//     materialized views and foreign tables are left out on purpose: a
//     view's rows belong to the tables it reads, which are stores already,
//     and neither a materialized view nor a foreign table can be deleted
//     from here.
//   - Every schema but the system ones: pg_catalog, information_schema,
//     pg_toast and the temporary schemas (no user schema may start with
//     pg_).
//   - Tables that belong to an extension (PostGIS's spatial_ref_sys, ...)
//     are left out: they hold the extension's data, not users'.
//   - Only the columns the user may read, as information_schema shows
//     them; a table with none is left out.
const tablesSQL = `
SELECT n.nspname, c.relname, a.attname, a.atttypid
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
  AND pg_catalog.has_column_privilege(c.oid, a.attnum, 'SELECT')
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY n.nspname, c.relname, a.attnum`

// typesSQL describes the given types and, recursively, the base type of
// each domain and the element type of each array, with the labels of each
// enum in their order.
const typesSQL = `
WITH RECURSIVE types(oid) AS (
    SELECT unnest($1::oid[])
  UNION
    SELECT CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.typelem END
    FROM pg_catalog.pg_type t JOIN types ON t.oid = types.oid
    WHERE t.typtype = 'd' OR (t.typcategory = 'A' AND t.typelem <> 0)
)
SELECT t.oid, t.typname::text, t.typtype::text, t.typcategory::text, t.typelem, t.typbasetype,
       COALESCE((SELECT p.proname::text FROM pg_catalog.pg_proc p WHERE p.oid = t.typsend), ''),
       ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
FROM pg_catalog.pg_type t JOIN types ON t.oid = types.oid`

// pgType is one row of typesSQL.
type pgType struct {
	name     string
	typtype  byte // b base, c composite, d domain, e enum, p pseudo, r range, m multirange
	category byte // A array, S string, ...
	elem     uint32
	base     uint32
	send     string // the binary output function
	labels   []string
}

// OIDs of the built-in types the connector decodes; they are the same on
// every Postgres server.
const (
	oidBool        = 16
	oidBytea       = 17
	oidName        = 19
	oidInt8        = 20
	oidInt2        = 21
	oidInt4        = 23
	oidText        = 25
	oidJSON        = 114
	oidFloat4      = 700
	oidFloat8      = 701
	oidTextArray   = 1009
	oidBPChar      = 1042
	oidVarchar     = 1043
	oidDate        = 1082
	oidTime        = 1083
	oidTimestamp   = 1114
	oidTimestampTZ = 1184
	oidInterval    = 1186
	oidTimeTZ      = 1266
	oidNumeric     = 1700
	oidUUID        = 2950
	oidJSONB       = 3802
)

// builtin maps the built-in types read in binary to their JSON form.
var builtin = map[uint32]valueType{
	oidBool:        {kind: kindBool, jsonType: "boolean"},
	oidInt2:        {kind: kindInt2, jsonType: "integer"},
	oidInt4:        {kind: kindInt4, jsonType: "integer"},
	oidInt8:        {kind: kindInt8, jsonType: "integer"},
	oidNumeric:     {kind: kindNumeric, jsonType: "number"},
	oidFloat4:      {kind: kindFloat4, jsonType: "number"},
	oidFloat8:      {kind: kindFloat8, jsonType: "number"},
	oidText:        {kind: kindText, jsonType: "string"},
	oidVarchar:     {kind: kindText, jsonType: "string"},
	oidBPChar:      {kind: kindText, jsonType: "string"},
	oidName:        {kind: kindText, jsonType: "string"},
	oidDate:        {kind: kindDate, jsonType: "string", format: "date"},
	oidTime:        {kind: kindTime, jsonType: "string", format: "time"},
	oidTimeTZ:      {kind: kindTimeTZ, jsonType: "string", format: "time"},
	oidTimestamp:   {kind: kindTimestamp, jsonType: "string", format: "date-time"},
	oidTimestampTZ: {kind: kindTimestampTZ, jsonType: "string", format: "date-time"},
	oidJSON:        {kind: kindJSON},
	oidJSONB:       {kind: kindJSONB},
	oidBytea:       {kind: kindBytea, jsonType: "string", contentEncoding: "base64"},
	oidUUID:        {kind: kindUUID, jsonType: "string", format: "uuid"},
}

// column is one column of a table, as the connector selects it.
type column struct {
	name string
	key  []byte // the name as a JSON string and a colon: "name":
	typ  *valueType
	// cast is what the SELECT list appends to the column ("::text",
	// "::text[]") when the server converts its values to text.
	cast string
	// oid is the type the server reports for the selected value: the
	// column's type after domains, or text, text[] for a cast.
	oid uint32
}

// resolveType gives the JSON form of type oid: its valueType, the cast the
// SELECT list applies ("" for none) and the type OID the server then
// sends. Types with no binary decoder here are read as text:
//
//   - interval as an ISO 8601 duration (IntervalStyle=iso_8601), format
//     "duration";
//   - everything else (money, inet, ranges, geometric types, composite
//     types, xml, ...) as Postgres's text output.
func resolveType(types map[uint32]pgType, oid uint32) (vt *valueType, cast string, sent uint32) {
	for range 16 { // a domain over a domain over ...; 16 levels is plenty
		t, ok := types[oid]
		if !ok || t.typtype != 'd' {
			break
		}
		oid = t.base
	}
	if b, ok := builtin[oid]; ok {
		return &b, "", oid
	}
	t, ok := types[oid]
	switch {
	case oid == oidInterval:
		return &valueType{kind: kindText, jsonType: "string", format: "duration"}, "::text", oidText
	case !ok:
	case t.typtype == 'e':
		return &valueType{kind: kindText, jsonType: "string", enum: t.labels}, "", oid
	case t.send == "citextsend":
		return &valueType{kind: kindText, jsonType: "string"}, "", oid
	case t.category == 'A' && t.elem != 0:
		elem, elemCast, _ := resolveType(types, t.elem)
		if elemCast != "" {
			// The server converts the whole array: text elements.
			return &valueType{kind: kindArray, jsonType: "array", elem: elem}, "::text[]", oidTextArray
		}
		return &valueType{kind: kindArray, jsonType: "array", elem: elem}, "", oid
	}
	return &valueType{kind: kindText, jsonType: "string"}, "::text", oidText
}

// tables reads the catalog of database db and returns its data stores.
func (c *connector) tables(ctx context.Context, db string) ([]*table, error) {
	pool, err := c.pool(db)
	if err != nil {
		return nil, err
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()

	rows, err := conn.Query(ctx, tablesSQL)
	if err != nil {
		return nil, fmt.Errorf("read the catalog: %w", err)
	}
	type attr struct {
		schema, table, column string
		typ                   uint32
	}
	var attrs []attr
	var a attr
	_, err = pgx.ForEachRow(rows, []any{&a.schema, &a.table, &a.column, &a.typ}, func() error {
		attrs = append(attrs, a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the catalog: %w", err)
	}

	var oids []uint32
	seen := map[uint32]bool{}
	for _, a := range attrs {
		if !seen[a.typ] {
			seen[a.typ] = true
			oids = append(oids, a.typ)
		}
	}
	types := map[uint32]pgType{}
	if len(oids) > 0 {
		rows, err := conn.Query(ctx, typesSQL, oids)
		if err != nil {
			return nil, fmt.Errorf("read the column types: %w", err)
		}
		var oid uint32
		var t pgType
		var typtype, category string
		_, err = pgx.ForEachRow(rows, []any{&oid, &t.name, &typtype, &category, &t.elem, &t.base, &t.send, &t.labels}, func() error {
			t.typtype, t.category = typtype[0], category[0]
			types[oid] = t
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read the column types: %w", err)
		}
	}

	var out []*table
	for i, a := range attrs {
		if i == 0 || a.schema != attrs[i-1].schema || a.table != attrs[i-1].table {
			out = append(out, &table{c: c, db: db, schema: a.schema, name: a.table})
		}
		t := out[len(out)-1]
		vt, cast, sent := resolveType(types, a.typ)
		t.columns = append(t.columns, &column{name: a.column, typ: vt, cast: cast, oid: sent})
	}
	for _, t := range out {
		t.init()
	}
	return out, nil
}

// jsonSchemaOf writes a table's JSON Schema: an object with one property
// per column, in column order. A column may hold NULL whatever its
// property's type says, as in the official connector.
func jsonSchemaOf(columns []*column) json.RawMessage {
	b := []byte(`{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{`)
	for i, col := range columns {
		if i > 0 {
			b = append(b, ',')
		}
		b = protocol.AppendJSONString(b, col.name)
		b = append(b, ':')
		b = col.typ.appendSchema(b)
	}
	return append(b, "}}"...)
}
