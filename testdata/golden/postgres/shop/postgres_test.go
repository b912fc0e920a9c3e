package shop

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"monoid-shop/internal/protocol"
)

// testURLEnv names the environment variable holding an admin connection to
// a Postgres server (one that may CREATE DATABASE and CREATE ROLE), e.g.
// postgres://postgres@127.0.0.1:5432/postgres. The integration tests
// create their own databases and a role, and drop them at the end.
const testURLEnv = "MONOID_TEST_POSTGRES_URL"

// server is the Postgres server the integration tests run against.
type server struct {
	admin *pgx.ConnConfig
	conn  *pgx.Conn // admin connection to the server's own database
}

// testServer connects to the server named by testURLEnv, or skips.
func testServer(t *testing.T) *server {
	t.Helper()
	url := os.Getenv(testURLEnv)
	if url == "" {
		t.Skipf("SKIP: %s is not set; set it to an admin connection URL such as postgres://postgres@127.0.0.1:5432/postgres to run the tests against a real server", testURLEnv)
	}
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatalf("%s: %v", testURLEnv, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("connect to %s: %v", testURLEnv, err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return &server{admin: cfg, conn: conn}
}

// config is a Config for database db on the server, as user (the admin's
// if empty).
func (s *server) config(db, user string) Config {
	if user == "" {
		user = s.admin.User
	}
	return Config{Hostname: s.admin.Host, Port: float64(s.admin.Port), Database: db,
		Username: user, Password: s.admin.Password, ExcludeDBs: []string{}}
}

// exec runs statements on the admin connection, failing the test on error.
func (s *server) exec(t *testing.T, sql ...string) {
	t.Helper()
	for _, q := range sql {
		if _, err := s.conn.Exec(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// createDB creates a database named prefix plus a random suffix, dropped at
// the end of the test, and returns its name and an admin connection to it.
func (s *server) createDB(t *testing.T, prefix string, options string) (string, *pgx.Conn) {
	t.Helper()
	name := prefix + randomSuffix(t)
	s.exec(t, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" "+options)
	t.Cleanup(func() {
		ctx := context.Background()
		s.conn.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{name}.Sanitize()+" IS_TEMPLATE false")
		if _, err := s.conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %q: %v", name, err)
		}
	})
	cfg := s.admin.Copy()
	cfg.Database = name
	conn, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Fatalf("connect to %q: %v", name, err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return name, conn
}

func randomSuffix(t *testing.T) string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// run executes statements on conn, failing the test on error.
func run(t *testing.T, conn *pgx.Conn, sql ...string) {
	t.Helper()
	for _, q := range sql {
		if _, err := conn.Exec(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// recorder is a RecordWriter that keeps every record it is given, after
// checking that it encodes itself as one line of valid JSON.
type recorder struct {
	records []json.RawMessage
	after   func(n int) error // called after each record, if set
}

func (r *recorder) Record(data any) error {
	a, ok := data.(protocol.JSONAppender)
	if !ok {
		return fmt.Errorf("record is a %T, not a protocol.JSONAppender", data)
	}
	b, err := a.AppendJSON(nil)
	if err != nil {
		return err
	}
	if !json.Valid(b) || bytes.ContainsAny(b, "\r\n") {
		return fmt.Errorf("record is not one line of JSON: %.200s", b)
	}
	r.records = append(r.records, b)
	if r.after != nil {
		return r.after(len(r.records))
	}
	return nil
}

func (r *recorder) File(string) error { return errors.New("a database store wrote a FILE record") }

// decode parses a record, keeping numbers as written.
func decode(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	return m
}

// storesByKey indexes stores by "group/name".
func storesByKey(stores []protocol.DataStore) map[string]protocol.DataStore {
	m := map[string]protocol.DataStore{}
	for _, s := range stores {
		m[s.Group()+"/"+s.Name()] = s
	}
	return m
}

// syncStore returns the store of key as a SyncStore, failing the test if
// there is none. Its Query goes through the handle, as the platform's
// requests do (see syncOf).
func syncStore(t *testing.T, stores map[string]protocol.DataStore, key string) protocol.SyncStore {
	t.Helper()
	s, ok := stores[key]
	if !ok {
		var keys []string
		for k := range stores {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		t.Fatalf("no store %q; stores: %q", key, keys)
	}
	return syncOf{s}
}

// syncOf drives a DataStore made by protocol.Sync as a SyncStore: Query
// runs query, then request-results with the handle query wrote.
type syncOf struct{ protocol.DataStore }

func (s syncOf) Query(ctx context.Context, id protocol.QueryIdentifier, out protocol.RecordWriter) error {
	res, err := s.DataStore.Query(ctx, protocol.PersistenceConfig{}, id)
	if err != nil {
		return err
	}
	return s.DataStore.Results(ctx, protocol.PersistenceConfig{}, res.Handle, out)
}

func (s syncOf) Delete(ctx context.Context, id protocol.QueryIdentifier) error {
	_, err := s.DataStore.Delete(ctx, protocol.PersistenceConfig{}, id)
	return err
}

func (s syncOf) Scan(ctx context.Context, out protocol.RecordWriter) error {
	return s.DataStore.Scan(ctx, protocol.PersistenceConfig{}, out)
}

// query runs a query for column = value, selecting fields (all if none).
func query(t *testing.T, s protocol.SyncStore, column string, value protocol.IdentifierQuery, fields ...string) ([]json.RawMessage, error) {
	t.Helper()
	props := map[string]any{}
	for _, f := range fields {
		props[f] = map[string]any{}
	}
	schema, _ := json.Marshal(map[string]any{"type": "object", "properties": props})
	var r recorder
	err := s.Query(context.Background(), protocol.QueryIdentifier{
		SchemaName: s.Name(), SchemaGroup: s.Group(), Identifier: column, IdentifierQuery: value, JSONSchema: schema,
	}, &r)
	return r.records, err
}

// Hostile names: quotes, semicolons, spaces, SQL, non-ASCII.
const (
	hostileDB     = `monoid pgtest "db"; ü `
	hostileSchema = `we"ird; schema ü`
	hostileTable  = `ta"ble; DROP TABLE people;--`
	hostileColumn = `co l"umn;🙂`
	hostileValue  = "'; DROP TABLE people; -- \"quoted\" \\ back\nslash\ttab \x01 \u2028 é🙂"
)

// setupTypes creates the types database: a table with a column of every
// mapped type, hostile names, partitions, views. It returns the config of
// that database.
func setupTypes(t *testing.T, srv *server) (Config, *pgx.Conn) {
	db, conn := srv.createDB(t, hostileDB, "")
	run(t, conn,
		`CREATE EXTENSION citext`,
		`CREATE TYPE mood AS ENUM ('sad', 'ok', 'hap"py')`,
		`CREATE DOMAIN posint AS int4 CHECK (VALUE > 0)`,
		`CREATE TABLE people (
			id bigint PRIMARY KEY, email text, name varchar(100), code char(5), ci citext,
			active boolean, small int2, mid int4, dom posint,
			balance numeric(20,6), huge numeric, ratio float4, score float8,
			born date, wake time, wake_tz timetz, seen timestamp, seen_tz timestamptz, span interval,
			doc json, docb jsonb, photo bytea, uid uuid,
			tags text[], grid int4[], mood mood, moods mood[], addr inet, spans interval[], during tstzrange
		)`,
		`INSERT INTO people VALUES (
			1, 'jane@example.com', 'Jane Doe', 'ab', 'Jane@Example.COM',
			true, -32768, 2147483647, 7,
			12345678901234.567890, 123456789012345678901234567890.000000000000000000000000000001, 0.1, 1.5e300,
			'1987-06-05', '13:04:05.123456', '13:04:05+05:30', '2024-02-29 23:59:59.5', '2024-02-29 23:59:59.5+01', '1 year 2 months -3 days 04:05:06.5',
			'{"b": [1,
			2], "a": "x"}', '{"b": 1, "a": [true, null]}', '\x00010203feff', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
			ARRAY['a', NULL, 'c"d'], '{{1,2},{3,4}}', 'hap"py', ARRAY['sad', 'ok']::mood[], '192.168.0.1/24', ARRAY['P1D'::interval], '[2024-01-01 00:00:00+00,2024-01-02 00:00:00+00)'
		)`,
		`INSERT INTO people (id, email) VALUES (2, 'nulls@example.com')`,
		`INSERT INTO people (id, email, balance, huge, score, ratio, born, seen_tz, doc)
			VALUES (3, 'edge@example.com', -0.000001, 'NaN', '-Infinity', 'NaN', 'infinity', '-infinity', '"just a string"')`,
		`INSERT INTO people (id, email, huge, score) VALUES (4, 'inf@example.com', 'Infinity', '-0')`,
		`INSERT INTO people (id, email) SELECT g, 'bulk' || g || '@example.com' FROM generate_series(5, 20) g`,

		`CREATE SCHEMA `+pgx.Identifier{hostileSchema}.Sanitize(),
		`CREATE TABLE `+pgx.Identifier{hostileSchema, hostileTable}.Sanitize()+` (`+pgx.Identifier{hostileColumn}.Sanitize()+` text, "e-mail" text, big text, blob bytea)`,

		`CREATE SCHEMA sales`,
		`CREATE TABLE sales.orders (id int, email text, placed date) PARTITION BY RANGE (placed)`,
		`CREATE TABLE sales.orders_2024 PARTITION OF sales.orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`,
		`CREATE TABLE sales.orders_2025 PARTITION OF sales.orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')`,
		`INSERT INTO sales.orders VALUES (1, 'jane@example.com', '2024-05-01'), (2, 'jane@example.com', '2025-05-01'), (3, 'joe@example.com', '2025-06-01')`,
		`CREATE VIEW people_view AS SELECT id, email FROM people`,
		`CREATE MATERIALIZED VIEW people_mat AS SELECT id, email FROM people`,
		`CREATE TEMPORARY TABLE temp_people (id int)`,
	)
	// Rows of the hostile table are inserted with parameters.
	ctx := context.Background()
	for _, row := range [][]any{
		{hostileValue, "jane@example.com", "small", []byte{}},
		{"second", "jane@example.com", nil, nil},
		{"keep", "joe@example.com", nil, nil},
	} {
		if _, err := conn.Exec(ctx, `INSERT INTO `+pgx.Identifier{hostileSchema, hostileTable}.Sanitize()+` VALUES ($1, $2, $3, $4)`, row...); err != nil {
			t.Fatal(err)
		}
	}
	return srv.config(db, ""), conn
}

// newSilo returns a silo closed at the end of the test.
func newSilo(t *testing.T) *Silo {
	s := new(Silo)
	t.Cleanup(func() { s.Close() })
	return s
}

// TestTypesDatabase runs the read-only checks on one database of every
// mapped type, hostile names and values, partitions and views.
func TestTypesDatabase(t *testing.T) {
	srv := testServer(t)
	t.Parallel()
	conf, conn := setupTypes(t, srv)
	for _, c := range []struct {
		name string
		test func(*testing.T, Config, *pgx.Conn)
	}{
		{"DataStores", testDataStores},
		{"QueryValues", testQueryValues},
		{"QueryErrors", testQueryErrors},
		{"Scan", testScan},
		{"HostileNamesAndValues", testHostileNamesAndValues}, // changes a row Scan reads
	} {
		t.Run(c.name, func(t *testing.T) { c.test(t, conf, conn) })
	}
}

func testDataStores(t *testing.T, conf Config, _ *pgx.Conn) {
	stores, err := newSilo(t).DataStores(context.Background(), conf)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range stores {
		got = append(got, s.Group()+" | "+s.Name())
	}
	db := conf.Database
	want := []string{
		db + "/public | people",
		db + "/sales | orders",
		db + "/" + hostileSchema + " | " + hostileTable,
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("stores (group | name):\ngot  %q\nwant %q (no view, materialized view, partition or temporary table)", got, want)
	}

	byKey := storesByKey(stores)
	people := byKey[db+"/public/people"]
	wantSchema := `{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{` +
		`"id":{"type":"integer"},"email":{"type":"string"},"name":{"type":"string"},"code":{"type":"string"},"ci":{"type":"string"},` +
		`"active":{"type":"boolean"},"small":{"type":"integer"},"mid":{"type":"integer"},"dom":{"type":"integer"},` +
		`"balance":{"type":"number"},"huge":{"type":"number"},"ratio":{"type":"number"},"score":{"type":"number"},` +
		`"born":{"type":"string","format":"date"},"wake":{"type":"string","format":"time"},"wake_tz":{"type":"string","format":"time"},` +
		`"seen":{"type":"string","format":"date-time"},"seen_tz":{"type":"string","format":"date-time"},"span":{"type":"string","format":"duration"},` +
		`"doc":{},"docb":{},"photo":{"type":"string","contentEncoding":"base64"},"uid":{"type":"string","format":"uuid"},` +
		`"tags":{"type":"array","items":{"type":"string"}},"grid":{"type":"array","items":{"type":"integer"}},` +
		`"mood":{"type":"string","enum":["sad","ok","hap\"py"]},"moods":{"type":"array","items":{"type":"string","enum":["sad","ok","hap\"py"]}},` +
		`"addr":{"type":"string"},"spans":{"type":"array","items":{"type":"string","format":"duration"}},"during":{"type":"string"}}}`
	if got := string(people.JSONSchema()); got != wantSchema {
		t.Errorf("people's schema:\ngot  %s\nwant %s", got, wantSchema)
	}
	hostile := byKey[db+"/"+hostileSchema+"/"+hostileTable]
	wantHostile := `{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"co l\"umn;🙂":{"type":"string"},"e-mail":{"type":"string"},"big":{"type":"string"},"blob":{"type":"string","contentEncoding":"base64"}}}`
	if got := string(hostile.JSONSchema()); got != wantHostile {
		t.Errorf("hostile table's schema:\ngot  %s\nwant %s", got, wantHostile)
	}
}

func testQueryValues(t *testing.T, conf Config, _ *pgx.Conn) {
	stores := mustStores(t, conf)
	people := syncStore(t, stores, conf.Database+"/public/people")

	recs, err := query(t, people, "email", protocol.StringQuery("jane@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	// Every value as this connector writes it, derived from the INSERT
	// above: numeric digit for digit, times in UTC, bytea in base64, json
	// as it was stored (line break as a space), jsonb as Postgres
	// normalises it, intervals in ISO 8601.
	want := `{"id":1,"email":"jane@example.com","name":"Jane Doe","code":"ab   ","ci":"Jane@Example.COM",` +
		`"active":true,"small":-32768,"mid":2147483647,"dom":7,` +
		`"balance":12345678901234.567890,"huge":123456789012345678901234567890.000000000000000000000000000001,"ratio":0.1,"score":1.5e+300,` +
		`"born":"1987-06-05","wake":"13:04:05.123456Z","wake_tz":"13:04:05+05:30","seen":"2024-02-29T23:59:59.5Z","seen_tz":"2024-02-29T22:59:59.5Z","span":"P1Y2M-3DT4H5M6.5S",` +
		`"doc":{"b": [1,` + " \t\t\t" + `2], "a": "x"},"docb":{"a": [true, null], "b": 1},"photo":"AAECA/7/","uid":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",` +
		`"tags":["a",null,"c\"d"],"grid":[[1,2],[3,4]],"mood":"hap\"py","moods":["sad","ok"],"addr":"192.168.0.1/24","spans":["P1D"],` +
		`"during":"[\"2024-01-01 00:00:00+00\",\"2024-01-02 00:00:00+00\")"}`
	if len(recs) != 1 || string(recs[0]) != want {
		t.Errorf("jane's record:\ngot  %s\nwant %s", recs, want)
	}

	recs, err = query(t, people, "id", protocol.IntQuery(2))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("id 2: %d records", len(recs))
	}
	for k, v := range decode(t, recs[0]) {
		if k != "id" && k != "email" && v != nil {
			t.Errorf("id 2: %s is %v, want null", k, v)
		}
	}

	recs, err = query(t, people, "email", protocol.StringQuery("edge@example.com"), "balance", "huge", "score", "ratio", "born", "seen_tz", "doc")
	if err != nil {
		t.Fatal(err)
	}
	want = `{"balance":-0.000001,"huge":"NaN","ratio":"NaN","score":"-Infinity","born":"infinity","seen_tz":"-infinity","doc":"just a string"}`
	if len(recs) != 1 || string(recs[0]) != want {
		t.Errorf("edge values:\ngot  %s\nwant %s", recs, want)
	}
	recs, err = query(t, people, "id", protocol.StringQuery("4"), "huge", "score")
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"huge":"Infinity","score":-0}`; len(recs) != 1 || string(recs[0]) != want {
		t.Errorf("id \"4\" (a string matched against bigint):\ngot  %s\nwant %s", recs, want)
	}

	// citext compares without case, as the server does.
	recs, err = query(t, people, "ci", protocol.StringQuery("jane@example.com"), "id")
	if err != nil || len(recs) != 1 || string(recs[0]) != `{"id":1}` {
		t.Errorf("citext match: %s %v", recs, err)
	}
	// No match: no records, no error.
	recs, err = query(t, people, "email", protocol.StringQuery("nobody@example.com"))
	if err != nil || len(recs) != 0 {
		t.Errorf("no match: %d records, %v", len(recs), err)
	}

	// A partitioned table answers for all its partitions.
	orders := syncStore(t, stores, conf.Database+"/sales/orders")
	recs, err = query(t, orders, "email", protocol.StringQuery("jane@example.com"), "id")
	if err != nil || len(recs) != 2 {
		t.Errorf("orders of jane: %s %v, want 2 records", recs, err)
	}
}

func mustStores(t *testing.T, conf Config) map[string]protocol.DataStore {
	t.Helper()
	stores, err := newSilo(t).DataStores(context.Background(), conf)
	if err != nil {
		t.Fatal(err)
	}
	return storesByKey(stores)
}

func testHostileNamesAndValues(t *testing.T, conf Config, conn *pgx.Conn) {
	stores := mustStores(t, conf)
	hostile := syncStore(t, stores, conf.Database+"/"+hostileSchema+"/"+hostileTable)

	// A value that is SQL, matched as a value.
	recs, err := query(t, hostile, hostileColumn, protocol.StringQuery(hostileValue), hostileColumn, "e-mail")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1", len(recs))
	}
	got := decode(t, recs[0])
	if got[hostileColumn] != hostileValue || got["e-mail"] != "jane@example.com" || len(got) != 2 {
		t.Errorf("record %s: the hostile value did not come back as it is", recs[0])
	}

	// A large row: 8 MiB of text and 3 MiB of bytes.
	big := strings.Repeat("0123456789abcdef", 1<<19)
	blob := make([]byte, 3<<20)
	rand.Read(blob)
	if _, err := conn.Exec(context.Background(), `UPDATE `+pgx.Identifier{hostileSchema, hostileTable}.Sanitize()+` SET big = $1, blob = $2 WHERE "e-mail" = 'joe@example.com'`, big, blob); err != nil {
		t.Fatal(err)
	}
	recs, err = query(t, hostile, "e-mail", protocol.StringQuery("joe@example.com"), "big", "blob")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("large row: %d records", len(recs))
	}
	var large struct{ Big, Blob string }
	if err := json.Unmarshal(recs[0], &large); err != nil {
		t.Fatal(err)
	}
	if large.Big != big || large.Blob != base64.StdEncoding.EncodeToString(blob) {
		t.Errorf("large row: text %d bytes (want %d), bytea %d base64 bytes (want %d), equal: %v %v",
			len(large.Big), len(big), len(large.Blob), base64.StdEncoding.EncodedLen(len(blob)), large.Big == big, large.Blob == base64.StdEncoding.EncodeToString(blob))
	}
}

func testQueryErrors(t *testing.T, conf Config, _ *pgx.Conn) {
	stores := mustStores(t, conf)
	people := syncStore(t, stores, conf.Database+"/public/people")
	const secret = "jane.secret@example.com"

	_, err := query(t, people, "mail", protocol.StringQuery(secret))
	if err == nil || !strings.Contains(err.Error(), `"mail" is not a column of table "public"."people"`) || strings.Contains(err.Error(), secret) {
		t.Errorf("unknown identifier column: %v", err)
	}
	err = people.Delete(context.Background(), protocol.QueryIdentifier{SchemaName: "people", SchemaGroup: conf.Database + "/public", Identifier: "mail", IdentifierQuery: protocol.StringQuery(secret)})
	if err == nil || !strings.Contains(err.Error(), `"mail" is not a column`) || strings.Contains(err.Error(), secret) {
		t.Errorf("delete on an unknown identifier column: %v", err)
	}
	_, err = query(t, people, "email", protocol.StringQuery(secret), "email", "phone")
	if err == nil || !strings.Contains(err.Error(), `lists "phone", which is not a column of table "public"."people"`) || strings.Contains(err.Error(), secret) {
		t.Errorf("unknown column in json_schema: %v", err)
	}
	// The server's own message would quote the value.
	_, err = query(t, people, "id", protocol.StringQuery(secret))
	if err == nil || !strings.Contains(err.Error(), `not a valid value of column "id"`) || strings.Contains(err.Error(), secret) {
		t.Errorf("a string for a bigint column: %v", err)
	}
	t.Logf("errors read, for example: %v", err)
}

func TestDelete(t *testing.T) {
	srv := testServer(t)
	t.Parallel()
	conf, conn := setupTypes(t, srv)
	stores := mustStores(t, conf)
	hostile := syncStore(t, stores, conf.Database+"/"+hostileSchema+"/"+hostileTable)
	orders := syncStore(t, stores, conf.Database+"/sales/orders")
	ctx := context.Background()

	for _, s := range []protocol.SyncStore{hostile, orders} {
		column := "email"
		if s == hostile {
			column = "e-mail"
		}
		err := s.Delete(ctx, protocol.QueryIdentifier{SchemaName: s.Name(), SchemaGroup: s.Group(), Identifier: column,
			IdentifierQuery: protocol.StringQuery("jane@example.com"), JSONSchema: json.RawMessage(`{}`)})
		if err != nil {
			t.Fatalf("delete from %s: %v", s.Name(), err)
		}
	}
	// Straight from the database: jane's rows are gone, joe's are there.
	for _, c := range []struct {
		sql  string
		want int
	}{
		{`SELECT count(*) FROM ` + pgx.Identifier{hostileSchema, hostileTable}.Sanitize() + ` WHERE "e-mail" = 'jane@example.com'`, 0},
		{`SELECT count(*) FROM ` + pgx.Identifier{hostileSchema, hostileTable}.Sanitize() + ` WHERE "e-mail" = 'joe@example.com'`, 1},
		{`SELECT count(*) FROM sales.orders WHERE email = 'jane@example.com'`, 0},
		{`SELECT count(*) FROM sales.orders_2025 WHERE email = 'joe@example.com'`, 1},
	} {
		var n int
		if err := conn.QueryRow(ctx, c.sql).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != c.want {
			t.Errorf("%s: %d, want %d", c.sql, n, c.want)
		}
	}
}

func testScan(t *testing.T, conf Config, _ *pgx.Conn) {
	stores := mustStores(t, conf)
	for key, want := range map[string]int{
		conf.Database + "/public/people":                         sampleSize, // 20 rows
		conf.Database + "/sales/orders":                          3,
		conf.Database + "/" + hostileSchema + "/" + hostileTable: 3,
	} {
		var r recorder
		if err := syncStore(t, stores, key).Scan(context.Background(), &r); err != nil {
			t.Fatalf("scan %s: %v", key, err)
		}
		if len(r.records) != want {
			t.Errorf("scan %s: %d records, want %d", key, len(r.records), want)
		}
	}
}

// TestNumbersAgainstServer checks random numerics, floats and timestamps
// against the server's own text for them.
func TestNumbersAgainstServer(t *testing.T) {
	srv := testServer(t)
	t.Parallel()
	db, conn := srv.createDB(t, "monoid_pgtest_numbers_", "")
	run(t, conn,
		`CREATE TABLE n (k int, i int, v numeric, f float8, ts timestamptz, d date)`,
		`INSERT INTO n SELECT 1, g,
			round(((random() - 0.5) * 10 ^ (random() * 40 - 10))::numeric, (random() * 30)::int),
			(random() - 0.5) * 10 ^ (random() * 600 - 300),
			timestamptz '1900-01-01' + random() * interval '300 years',
			date '0100-01-01' + (random() * 1000000)::int
		FROM generate_series(1, 2000) g`,
		`INSERT INTO n VALUES (1, 0, 0, 0, 'epoch', 'epoch'), (1, -1, 0.00, 5e-324, '2000-01-01', '2000-01-01'),
			(1, -2, 99999999999999999999.99999999999999999999, 1.7976931348623157e308, '1999-12-31 23:59:59.999999+00', '1999-12-31')`,
	)
	stores := mustStores(t, srv.config(db, ""))
	recs, err := query(t, syncStore(t, stores, db+"/public/n"), "k", protocol.IntQuery(1), "i", "v", "f", "ts", "d")
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		V, F, TS, D string
	}
	want := map[int64]row{}
	rows, _ := conn.Query(context.Background(), `SELECT i, v::text, f::text, extract(epoch FROM ts)::numeric::text, to_char(d, 'YYYY-MM-DD') FROM n`)
	var i int64
	var r row
	if _, err := pgx.ForEachRow(rows, []any{&i, &r.V, &r.F, &r.TS, &r.D}, func() error { want[i] = r; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d", len(recs), len(want))
	}
	for _, raw := range recs {
		m := decode(t, raw)
		id, _ := m["i"].(json.Number).Int64()
		w := want[id]
		if got := m["v"].(json.Number).String(); got != w.V {
			t.Errorf("numeric: got %s, the server says %s", got, w.V)
		}
		gotF, _ := m["f"].(json.Number).Float64()
		wantF, _ := strconv.ParseFloat(w.F, 64)
		if gotF != wantF {
			t.Errorf("float8: got %s, the server says %s", m["f"], w.F)
		}
		ts, err := time.Parse(time.RFC3339Nano, m["ts"].(string))
		epoch, ok := new(big.Rat).SetString(w.TS)
		if err != nil || !ok {
			t.Errorf("timestamptz %s: %v (the server says %s)", m["ts"], err, w.TS)
		} else if got := new(big.Rat).SetFrac64(ts.UnixMicro(), 1e6); got.Cmp(epoch) != 0 {
			t.Errorf("timestamptz %s is %s s after the epoch, the server says %s", m["ts"], got.FloatString(6), w.TS)
		}
		if m["d"] != w.D {
			t.Errorf("date: got %s, the server says %s", m["d"], w.D)
		}
	}
}

// logs captures slog's default logger for the duration of a test; what
// other tests log meanwhile is captured too.
func logs(t *testing.T) *bytes.Buffer {
	var buf bytes.Buffer
	var mu sync.Mutex
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(lockedWriter{&buf, &mu}, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	return &buf
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// TestScanAll scans every database of the server as a role that may read
// only part of one table: template databases, excluded databases and
// databases it may not connect to are left out, the last with a warning.
func TestScanAll(t *testing.T) {
	srv := testServer(t)
	t.Parallel()
	role := "monoid_pgtest_reader_" + randomSuffix(t)
	srv.exec(t, "CREATE ROLE "+pgx.Identifier{role}.Sanitize()+" LOGIN")
	t.Cleanup(func() {
		if _, err := srv.conn.Exec(context.Background(), "DROP ROLE IF EXISTS "+pgx.Identifier{role}.Sanitize()); err != nil {
			t.Errorf("drop role %s: %v", role, err)
		}
	})
	main, mainConn := srv.createDB(t, "monoid_pgtest_main_", "")
	excluded, exConn := srv.createDB(t, "monoid_pgtest_excluded_", "")
	closed, _ := srv.createDB(t, "monoid_pgtest_closed_", "")
	tmpl, tmplConn := srv.createDB(t, "monoid_pgtest_template_", "")
	r := pgx.Identifier{role}.Sanitize()
	run(t, mainConn,
		`CREATE TABLE users (id int, email text, secret text)`,
		`CREATE TABLE hidden (id int)`,
		`CREATE SCHEMA app`,
		`CREATE TABLE app.accounts (id int, email text)`,
		`GRANT USAGE ON SCHEMA app TO `+r,
		`GRANT SELECT (id, email) ON users TO `+r,
		`GRANT SELECT ON app.accounts TO `+r,
	)
	run(t, exConn, `CREATE TABLE users (id int)`, `GRANT SELECT ON users TO `+r)
	run(t, tmplConn, `CREATE TABLE users (id int)`, `GRANT SELECT ON users TO `+r)
	tmplConn.Close(context.Background())
	srv.exec(t,
		"REVOKE CONNECT ON DATABASE "+pgx.Identifier{closed}.Sanitize()+" FROM PUBLIC",
		"ALTER DATABASE "+pgx.Identifier{tmpl}.Sanitize()+" IS_TEMPLATE true",
	)

	conf := srv.config(main, role)
	conf.ScanAll = true
	conf.ExcludeDBs = []string{excluded}
	log := logs(t)
	// Close each database's connections once its catalog is read, as on a
	// server of many databases. No other test scans all, so no other test
	// reads keepOpenDatabases meanwhile.
	keep := keepOpenDatabases
	keepOpenDatabases = 0
	t.Cleanup(func() { keepOpenDatabases = keep })
	silo := newSilo(t)
	stores, err := silo.DataStores(context.Background(), conf)
	if err != nil {
		t.Fatal(err)
	}
	silo.mu.Lock()
	for key, p := range silo.pools {
		if n := p.Stat().TotalConns(); n != 0 {
			t.Errorf("database %s keeps %d connections after its catalog was read", key.database, n)
		}
	}
	silo.mu.Unlock()
	byKey := storesByKey(stores)
	for _, key := range []string{main + "/public/users", main + "/app/accounts"} {
		if byKey[key] == nil {
			t.Errorf("no store %s", key)
		}
	}
	for key := range byKey {
		for _, db := range []string{excluded, closed, tmpl} {
			if strings.HasPrefix(key, db+"/") {
				t.Errorf("store %s of database %s, which must not be scanned", key, db)
			}
		}
	}
	if byKey[main+"/public/hidden"] != nil {
		t.Errorf("a table the role may not read is a store")
	}
	if got := string(byKey[main+"/public/users"].JSONSchema()); !strings.Contains(got, `"email"`) || strings.Contains(got, `"secret"`) {
		t.Errorf("users' schema holds the columns the role may not read, or lacks those it may: %s", got)
	}
	if !strings.Contains(log.String(), "skipping database") || !strings.Contains(log.String(), closed) {
		t.Errorf("no warning about database %s; log:\n%s", closed, log)
	}
	// A store connects again.
	recs, err := query(t, syncStore(t, byKey, main+"/public/users"), "id", protocol.IntQuery(1))
	if err != nil || len(recs) != 0 {
		t.Errorf("query after the connections were closed: %d records, %v", len(recs), err)
	}

	// Without ScanAll only the config's database is read; excluding it
	// leaves nothing.
	conf.ScanAll = false
	stores, err = newSilo(t).DataStores(context.Background(), conf)
	if err != nil || len(stores) != 2 {
		t.Errorf("ScanAll false: %d stores, %v; want users and app.accounts", len(stores), err)
	}
	conf.ExcludeDBs = []string{main}
	stores, err = newSilo(t).DataStores(context.Background(), conf)
	if err != nil || len(stores) != 0 {
		t.Errorf("ScanAll false, database excluded: %d stores, %v", len(stores), err)
	}

	// The config's own database must be reachable, even when scanning all.
	conf.Database, conf.ScanAll = closed, true
	_, err = newSilo(t).DataStores(context.Background(), conf)
	if err == nil || !strings.Contains(err.Error(), "may not connect to database") {
		t.Errorf("scan all through a database the role may not connect to: %v", err)
	}
}

func TestValidateServer(t *testing.T) {
	srv := testServer(t)
	t.Parallel()
	ctx := context.Background()
	conf := srv.config(srv.admin.Database, "")
	for _, ssl := range []bool{false, true} {
		t.Run(fmt.Sprintf("ssl=%v", ssl), func(t *testing.T) {
			conf := conf
			conf.SSL = ssl
			msg, err := newSilo(t).Validate(ctx, conf)
			if err != nil {
				t.Fatal(err)
			}
			if ssl && msg.Status != protocol.ValidateSuccess && strings.Contains(msg.Message, "does not accept SSL") {
				t.Skipf("SKIP: the server does not offer SSL: %s", msg.Message)
			}
			if msg.Status != protocol.ValidateSuccess {
				t.Errorf("%s: %s", msg.Status, msg.Message)
			}
		})
	}
	t.Run("missing database", func(t *testing.T) {
		conf := conf
		conf.Password = hostilePassword
		conf.Database = "monoid_pgtest_missing_" + randomSuffix(t)
		got := validateMessage(t, conf)
		if want := fmt.Sprintf("database %q does not exist on", conf.Database); !strings.Contains(got, want) {
			t.Errorf("%q does not say %q", got, want)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		cfg := srv.admin.Copy()
		cfg.Password = hostilePassword
		if conn, err := pgx.ConnectConfig(ctx, cfg); err == nil {
			conn.Close(ctx)
			t.Skipf("SKIP: the server let %s connect with a wrong password (trust authentication); TestValidateWrongPassword checks the message against a fake server", cfg.User)
		}
		conf := conf
		conf.Password = hostilePassword
		if got := validateMessage(t, conf); !strings.Contains(got, "password authentication failed") {
			t.Errorf("message: %s", got)
		}
	})
}

// TestCancel cancels the context in the middle of a large query: the query
// stops at once with the context's error.
func TestCancel(t *testing.T) {
	srv := testServer(t)
	t.Parallel()
	db, conn := srv.createDB(t, "monoid_pgtest_cancel_", "")
	run(t, conn, `CREATE TABLE big (k int, v text)`, `INSERT INTO big SELECT 1, repeat('x', 100) FROM generate_series(1, 300000)`)
	stores := mustStores(t, srv.config(db, ""))
	store := syncStore(t, stores, db+"/public/big")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &recorder{after: func(n int) error {
		if n == 1000 {
			cancel()
		}
		return nil
	}}
	start := time.Now()
	err := store.Query(ctx, protocol.QueryIdentifier{SchemaName: "big", SchemaGroup: db + "/public", Identifier: "k", IdentifierQuery: protocol.IntQuery(1), JSONSchema: json.RawMessage(`{}`)}, r)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if len(r.records) >= 300000 {
		t.Errorf("the query ran to its end: %d records", len(r.records))
	}
	t.Logf("stopped after %d of 300000 records, %v after the start", len(r.records), time.Since(start).Round(time.Millisecond))
}

// TestFixtures loads testdata/users.sql into a fresh database and checks
// that testdata/query.json, with testdata/config.json pointed at that
// database, finds user1: the fixtures the project's conformance test uses
// fit together.
func TestFixtures(t *testing.T) {
	srv := testServer(t)
	t.Parallel()
	var conf Config
	var q protocol.Query
	for file, v := range map[string]any{"config.json": &conf, "query.json": &q} {
		if err := json.Unmarshal(fixture(t, file), v); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	sql := fixture(t, "users.sql")
	db, conn := srv.createDB(t, "monoid_pgtest_fixtures_", "")
	run(t, conn, string(sql))
	fixtureDB := conf.Database
	conf.Hostname, conf.Port, conf.Username, conf.Password, conf.Database = srv.admin.Host, float64(srv.admin.Port), srv.admin.User, srv.admin.Password, db
	stores := mustStores(t, conf)
	for _, id := range q.Identifiers {
		group, ok := strings.CutPrefix(id.SchemaGroup, fixtureDB+"/")
		if !ok {
			t.Fatalf("query.json names group %q, not one of database %q", id.SchemaGroup, fixtureDB)
		}
		id.SchemaGroup = db + "/" + group
		var r recorder
		if err := syncStore(t, stores, id.SchemaGroup+"/"+id.SchemaName).Query(context.Background(), id, &r); err != nil {
			t.Fatal(err)
		}
		if want := `{"id":1,"email":"user1@example.com","name":"User 1"}`; len(r.records) != 1 || string(r.records[0]) != want {
			t.Errorf("query.json finds %s, want %s", r.records, want)
		}
	}
}

// fixture reads a file of testdata/: beside this package here, at the
// project's root in a generated project.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	for _, dir := range []string{"testdata", filepath.Join("..", "testdata")} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err == nil {
			return b
		}
		if !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
	}
	t.Fatalf("no %s in testdata/ or ../testdata/", name)
	return nil
}
