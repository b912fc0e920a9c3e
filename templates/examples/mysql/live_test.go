package mysql

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	mysqldriver "github.com/go-sql-driver/mysql"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// dsnEnv names the server the live tests use: a DSN of the Go driver for an
// account that may create databases and users, such as
// root@tcp(127.0.0.1:3306)/ (root with no password). Without it the live
// tests skip.
const dsnEnv = "MONOID_TEST_MYSQL_DSN"

// server is a live test database: an admin connection to it, and the
// connector config that reaches it.
type server struct {
	admin   *sql.DB // connected to the test database, in UTC
	conf    Config  // the admin account, on the test database
	db      string  // the test database's name
	mariadb bool
}

// liveServer creates a database with a hostile, unique name on the server
// that dsnEnv names, dropped when the test ends.
func liveServer(t *testing.T) *server {
	t.Helper()
	dsn := os.Getenv(dsnEnv)
	if dsn == "" {
		t.Skip("SKIP: " + dsnEnv + " is not set; set it to an admin account's DSN, e.g. root@tcp(127.0.0.1:3306)/, to test against a live MySQL or MariaDB server")
	}
	cfg, err := mysqldriver.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("%s: %v", dsnEnv, err)
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		t.Fatalf("%s: address %s: %v", dsnEnv, cfg.Addr, err)
	}
	portNum, _ := strconv.Atoi(port)
	suffix := make([]byte, 4)
	rand.Read(suffix)
	s := &server{db: "monoid ✓ `t`; '" + hex.EncodeToString(suffix)}
	s.conf = Config{Hostname: host, Port: float64(portNum), Database: s.db, Username: cfg.User, Password: cfg.Passwd}

	root := openDB(t, cfg, "")
	var version string
	if err := root.QueryRow("SELECT VERSION()").Scan(&version); err != nil {
		t.Fatalf("connect to the server of %s: %v", dsnEnv, err)
	}
	s.mariadb = strings.Contains(strings.ToLower(version), "mariadb")
	if _, err := root.Exec("CREATE DATABASE " + quoteIdent(s.db) + " CHARACTER SET utf8mb4"); err != nil {
		t.Fatalf("create the test database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := root.Exec("DROP DATABASE " + quoteIdent(s.db)); err != nil {
			t.Errorf("drop the test database: %v", err)
		}
	})
	s.admin = openDB(t, cfg, s.db)
	return s
}

// openDB opens an admin pool on database db, in UTC, closed when the test
// ends.
func openDB(t *testing.T, base *mysqldriver.Config, db string) *sql.DB {
	t.Helper()
	cfg := base.Clone()
	cfg.DBName = db
	cfg.Params = map[string]string{"time_zone": "'+00:00'"}
	connector, err := mysqldriver.NewConnector(cfg)
	if err != nil {
		t.Fatal(err)
	}
	pool := sql.OpenDB(connector)
	t.Cleanup(func() { pool.Close() })
	return pool
}

// exec runs statements on the test database, failing the test on error.
func (s *server) exec(t *testing.T, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := s.admin.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// records collects what a store writes.
type records struct{ lines []string }

func (r *records) Record(data any) error {
	a, ok := data.(protocol.JSONAppender)
	if !ok {
		return fmt.Errorf("record of type %T is not a JSONAppender", data)
	}
	b, err := a.AppendJSON(nil)
	if err != nil {
		return err
	}
	if !json.Valid(b) {
		return fmt.Errorf("record is not valid JSON: %.200s", b)
	}
	r.lines = append(r.lines, string(b))
	return nil
}

func (r *records) File(string) error { return errors.New("a database store writes no files") }

// stores returns the silo's stores by name, failing the test if two
// share one or a group is not the test database.
func (s *server) stores(t *testing.T, silo *Silo, conf Config) map[string]protocol.DataStore {
	t.Helper()
	list, err := silo.DataStores(context.Background(), conf)
	if err != nil {
		t.Fatalf("DataStores: %v", err)
	}
	m := map[string]protocol.DataStore{}
	for _, st := range list {
		if st.Group() != s.db {
			t.Errorf("store %q: group %q, want the database %q", st.Name(), st.Group(), s.db)
		}
		if _, dup := m[st.Name()]; dup {
			t.Errorf("two stores named %q", st.Name())
		}
		m[st.Name()] = st
	}
	return m
}

// syncStore returns a store made by DataStores as a SyncStore whose
// methods go through the request lifecycle, as the runtime drives it.
func syncStore(t *testing.T, st protocol.DataStore) protocol.SyncStore {
	t.Helper()
	if st == nil {
		t.Fatal("no such store")
	}
	return dataStoreAsSync{st}
}

// dataStoreAsSync runs a DataStore's request lifecycle as the runtime
// does, for a synchronous store: Query then Results, Delete, Scan.
type dataStoreAsSync struct{ protocol.DataStore }

func (d dataStoreAsSync) Query(ctx context.Context, id protocol.QueryIdentifier, out protocol.RecordWriter) error {
	res, err := d.DataStore.Query(ctx, protocol.PersistenceConfig{}, id)
	if err != nil {
		return err
	}
	if res.Status.RequestStatus != protocol.StateComplete {
		return fmt.Errorf("query answered %s, want COMPLETE", res.Status.RequestStatus)
	}
	return d.DataStore.Results(ctx, protocol.PersistenceConfig{}, res.Handle, out)
}

func (d dataStoreAsSync) Delete(ctx context.Context, id protocol.QueryIdentifier) error {
	_, err := d.DataStore.Delete(ctx, protocol.PersistenceConfig{}, id)
	return err
}

func (d dataStoreAsSync) Scan(ctx context.Context, out protocol.RecordWriter) error {
	return d.DataStore.Scan(ctx, protocol.PersistenceConfig{}, out)
}

// query runs one identifier through a store and returns the records.
func query(t *testing.T, st protocol.DataStore, column string, value protocol.IdentifierQuery, schema string) ([]string, error) {
	t.Helper()
	if schema == "" {
		schema = "{}" // no properties: every column
	}
	id := protocol.QueryIdentifier{SchemaName: st.Name(), SchemaGroup: st.Group(), Identifier: column, IdentifierQuery: value, JSONSchema: json.RawMessage(schema)}
	var out records
	err := syncStore(t, st).Query(context.Background(), id, &out)
	return out.lines, err
}

// everyType is a table with a column of every mapped type.
const everyType = "CREATE TABLE `every type` (" +
	"id BIGINT NOT NULL PRIMARY KEY, " +
	"ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, mi MEDIUMINT, i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED, zf INT(5) ZEROFILL, " +
	"flag BOOL, b1 BIT(1), b5 BIT(5), b64 BIT(64), " +
	"dec65 DECIMAL(65,30), num NUMERIC(10,2), f FLOAT, d DOUBLE, " +
	"c CHAR(10), vc VARCHAR(255) NOT NULL DEFAULT '', tt TINYTEXT, tx TEXT, mt MEDIUMTEXT, lt LONGTEXT, " +
	"bin BINARY(4), vb VARBINARY(16), blb BLOB, " +
	"dt DATE, dtt DATETIME(6), ts TIMESTAMP(3) NULL DEFAULT NULL, tm TIME(6), yr YEAR, " +
	"js JSON, en ENUM('a','it''s','back\\\\slash'), st SET('x','y','z'), pt POINT)"

// everyTypeSchema is the JSON Schema the mapping gives everyType.
const everyTypeSchema = `{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{` +
	`"id":{"type":"integer","minimum":-9223372036854775808,"maximum":9223372036854775807},` +
	`"ti":{"anyOf":[{"type":"integer","minimum":-128,"maximum":127},{"type":"null"}]},` +
	`"tiu":{"anyOf":[{"type":"integer","minimum":0,"maximum":255},{"type":"null"}]},` +
	`"si":{"anyOf":[{"type":"integer","minimum":-32768,"maximum":32767},{"type":"null"}]},` +
	`"mi":{"anyOf":[{"type":"integer","minimum":-8388608,"maximum":8388607},{"type":"null"}]},` +
	`"i":{"anyOf":[{"type":"integer","minimum":-2147483648,"maximum":2147483647},{"type":"null"}]},` +
	`"iu":{"anyOf":[{"type":"integer","minimum":0,"maximum":4294967295},{"type":"null"}]},` +
	`"bi":{"anyOf":[{"type":"integer","minimum":-9223372036854775808,"maximum":9223372036854775807},{"type":"null"}]},` +
	`"biu":{"anyOf":[{"type":"integer","minimum":0,"maximum":18446744073709551615},{"type":"null"}]},` +
	`"zf":{"anyOf":[{"type":"integer","minimum":0,"maximum":4294967295},{"type":"null"}]},` +
	`"flag":{"anyOf":[{"type":"integer","minimum":-128,"maximum":127},{"type":"null"}]},` +
	`"b1":{"anyOf":[{"type":"boolean"},{"type":"null"}]},` +
	`"b5":{"anyOf":[{"type":"integer","minimum":0,"maximum":31},{"type":"null"}]},` +
	`"b64":{"anyOf":[{"type":"integer","minimum":0,"maximum":18446744073709551615},{"type":"null"}]},` +
	`"dec65":{"anyOf":[{"type":"number"},{"type":"null"}]},` +
	`"num":{"anyOf":[{"type":"number"},{"type":"null"}]},` +
	`"f":{"anyOf":[{"type":"number"},{"type":"null"}]},` +
	`"d":{"anyOf":[{"type":"number"},{"type":"null"}]},` +
	`"c":{"anyOf":[{"type":"string","maxLength":10},{"type":"null"}]},` +
	`"vc":{"type":"string","maxLength":255},` +
	`"tt":{"anyOf":[{"type":"string"},{"type":"null"}]},` +
	`"tx":{"anyOf":[{"type":"string"},{"type":"null"}]},` +
	`"mt":{"anyOf":[{"type":"string"},{"type":"null"}]},` +
	`"lt":{"anyOf":[{"type":"string"},{"type":"null"}]},` +
	`"bin":{"anyOf":[{"type":"string","contentEncoding":"base64"},{"type":"null"}]},` +
	`"vb":{"anyOf":[{"type":"string","contentEncoding":"base64"},{"type":"null"}]},` +
	`"blb":{"anyOf":[{"type":"string","contentEncoding":"base64"},{"type":"null"}]},` +
	`"dt":{"anyOf":[{"type":"string","format":"date"},{"type":"null"}]},` +
	`"dtt":{"anyOf":[{"type":"string","format":"date-time"},{"type":"null"}]},` +
	`"ts":{"anyOf":[{"type":"string","format":"date-time"},{"type":"null"}]},` +
	`"tm":{"anyOf":[{"type":"string","pattern":"^-?[0-9]{2,3}:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,6})?$"},{"type":"null"}]},` +
	`"yr":{"anyOf":[{"type":"string","pattern":"^[0-9]{4}$"},{"type":"null"}]},` +
	`"js":{},` +
	`"en":{"anyOf":[{"type":"string","enum":["a","it's","back\\slash",""]},{"type":"null"}]},` +
	`"st":{"anyOf":[{"type":"array","items":{"type":"string","enum":["x","y","z"]},"uniqueItems":true},{"type":"null"}]},` +
	`"pt":{"anyOf":[{"type":"string","contentEncoding":"base64","description":"the server's internal geometry format: a 4-byte SRID, then WKB"},{"type":"null"}]}` +
	`}}`

// hostileTable and its columns have names that break naive quoting.
const (
	hostileTable = "we`ird; 'tbl\" ✓ `; DROP TABLE x"
	hostileEmail = "e`m;ai l\"'✓"
	hostileNote  = "n o`te"
)

// hostileNote1 is a value that breaks naive escaping.
const hostileNote1 = "back\\slash \"quote\" 'single' `tick` \n newline \t tab \x00 nul ✓ 🎉 \u2028"

// fixture creates the test tables and their rows.
func (s *server) fixture(t *testing.T) {
	t.Helper()
	s.exec(t, everyType,
		"INSERT INTO `every type` VALUES (1, -128, 255, -32768, 8388607, -2147483648, 4294967295, "+
			"-9223372036854775808, 18446744073709551615, 42, "+
			"1, b'1', b'10101', x'FFFFFFFFFFFFFFFF', "+
			"'12345678901234567890123456789012345.123456789012345678901234567890', -0.5, 1.1, 1e100, "+
			"'abc', 'plain', 'tiny', 'line1\\nline2', 'ünï✓', '{\"not\": \"json\"}', "+
			"x'00010203', x'FF00', x'DEADBEEF', "+
			"'2024-02-29', '2024-02-29 23:59:58.123456', '2038-01-19 03:14:07.999', '-838:59:59', 2155, "+
			"'{\"b\": [1, 2.5, \"x\\\\n\"], \"a\": null}', 'back\\\\slash', 'x,z', ST_GeomFromText('POINT(1 2)'))",
		"INSERT INTO `every type` (id) VALUES (2)",
	)
	// Zero dates and an invalid enum value, as a lenient sql_mode lets
	// them in.
	conn, err := s.admin.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{
		"SET SESSION sql_mode = ''",
		"INSERT INTO `every type` (id, dt, dtt, en) VALUES (3, '0000-00-00', '0000-00-00 00:00:00', 'not a value')",
	} {
		if _, err := conn.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	s.exec(t, "CREATE TABLE "+quoteIdent(hostileTable)+" ("+quoteIdent(hostileEmail)+" VARCHAR(255), "+quoteIdent(hostileNote)+" TEXT, uid INT)")
	for _, r := range []struct {
		email, note string
		uid         int
	}{
		{"jane@example.com", "'; DROP TABLE `every type`; --", 1},
		{"jane@example.com", hostileNote1, 2},
		{"john@example.com", "john's", 3},
		{"abc", "text where a number is compared", 0},
		{"0", "the text zero", 4},
	} {
		if _, err := s.admin.Exec("INSERT INTO "+quoteIdent(hostileTable)+" VALUES (?, ?, ?)", r.email, r.note, r.uid); err != nil {
			t.Fatal(err)
		}
	}

	s.exec(t, "CREATE TABLE many (id INT PRIMARY KEY)")
	for i := range 12 {
		s.exec(t, fmt.Sprintf("INSERT INTO many VALUES (%d)", i))
	}
	s.exec(t, "CREATE TABLE large (id INT PRIMARY KEY, body LONGTEXT, data LONGBLOB)")
	if _, err := s.admin.Exec("INSERT INTO large VALUES (1, ?, ?)", largeText, largeBlob); err != nil {
		t.Fatal(err)
	}
	s.exec(t, "CREATE VIEW `a view` AS SELECT id, vc FROM `every type`")
}

// A large row: 4 MiB of text and 2 MiB of bytes.
var (
	largeText = strings.Repeat("0123456789abcdef ✓ \"quoted\" \\ \n", 4<<20/32)
	largeBlob = func() []byte {
		b := make([]byte, 2<<20)
		for i := range b {
			b[i] = byte(i * 7)
		}
		return b
	}()
)

func TestLiveDataStores(t *testing.T) {
	s := liveServer(t)
	s.fixture(t)
	silo := new(Silo)
	defer silo.Close()
	stores := s.stores(t, silo, s.conf)
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range stores {
			if !yield(n) {
				return
			}
		}
	})
	if want := []string{"every type", "large", "many", hostileTable}; !slices.Equal(names, want) {
		t.Errorf("stores %q, want %q (views left out)", names, want)
	}
	if st := stores["every type"]; st != nil {
		if got := string(st.JSONSchema()); got != everyTypeSchema {
			t.Errorf("schema of every type:\n got %s\nwant %s", got, everyTypeSchema)
		}
	}
	if st := stores[hostileTable]; st != nil {
		want := `{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{` +
			`"e` + "`" + `m;ai l\"'✓":{"anyOf":[{"type":"string","maxLength":255},{"type":"null"}]},` +
			`"n o` + "`" + `te":{"anyOf":[{"type":"string"},{"type":"null"}]},` +
			`"uid":{"anyOf":[{"type":"integer","minimum":-2147483648,"maximum":2147483647},{"type":"null"}]}}}`
		if got := string(st.JSONSchema()); got != want {
			t.Errorf("schema of the hostile table:\n got %s\nwant %s", got, want)
		}
	}
}

// TestLiveValues holds each type's value to its documented JSON form.
func TestLiveValues(t *testing.T) {
	s := liveServer(t)
	s.fixture(t)
	silo := new(Silo)
	defer silo.Close()
	st := s.stores(t, silo, s.conf)["every type"]

	point := make([]byte, 0, 25)
	point = append(point, 0, 0, 0, 0, 1, 1, 0, 0, 0)
	point = binary.LittleEndian.AppendUint64(point, math.Float64bits(1))
	point = binary.LittleEndian.AppendUint64(point, math.Float64bits(2))
	want := map[int64]map[string]string{
		1: {
			"id": `1`, "ti": `-128`, "tiu": `255`, "si": `-32768`, "mi": `8388607`, "i": `-2147483648`,
			"iu": `4294967295`, "bi": `-9223372036854775808`, "biu": `18446744073709551615`, "zf": `42`,
			"flag": `1`, "b1": `true`, "b5": `21`, "b64": `18446744073709551615`,
			"dec65": `12345678901234567890123456789012345.123456789012345678901234567890`,
			"num":   `-0.50`, "f": `1.1`, "d": `1e+100`,
			"c": `"abc"`, "vc": `"plain"`, "tt": `"tiny"`, "tx": `"line1\nline2"`, "mt": `"ünï✓"`, "lt": `"{\"not\": \"json\"}"`,
			"bin": `"AAECAw=="`, "vb": `"/wA="`, "blb": `"3q2+7w=="`,
			"dt": `"2024-02-29"`, "dtt": `"2024-02-29T23:59:58.123456Z"`, "ts": `"2038-01-19T03:14:07.999Z"`,
			"tm": `"-838:59:59.000000"`, "yr": `"2155"`,
			"js": `{"a":null,"b":[1,2.5,"x\n"]}`, "en": `"back\\slash"`, "st": `["x","z"]`,
			"pt": `"` + base64.StdEncoding.EncodeToString(point) + `"`,
		},
		2: {"id": `2`, "vc": `""`},
		3: {"id": `3`, "vc": `""`, "dt": `null`, "dtt": `null`, "en": `""`},
	}
	for id, fields := range want {
		lines, err := query(t, st, "id", protocol.IntQuery(id), `{"properties":{}}`)
		if err != nil {
			t.Fatalf("query id %d: %v", id, err)
		}
		if len(lines) != 1 {
			t.Fatalf("query id %d: %d records, want 1", id, len(lines))
		}
		var got map[string]json.RawMessage
		if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
			t.Fatal(err)
		}
		if len(got) != 36 {
			t.Errorf("id %d: %d columns, want 36: %s", id, len(got), lines[0])
		}
		for col, raw := range got {
			w, ok := fields[col]
			if !ok {
				w = "null"
			}
			if col == "js" && w != "null" {
				// MySQL reorders a JSON object's keys; compare values.
				if !sameJSON(raw, []byte(w)) {
					t.Errorf("id %d, %s: got %s, want %s", id, col, raw, w)
				}
				continue
			}
			if string(raw) != w {
				t.Errorf("id %d, %s: got %s, want %s", id, col, raw, w)
			}
		}
	}

	// The columns the json_schema lists, in its order.
	lines, err := query(t, st, "id", protocol.StringQuery("1"), `{"type":"object","properties":{"vc":{"type":"string"},"ID":{},"dec65":{}}}`)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"vc":"plain","id":1,"dec65":12345678901234567890123456789012345.123456789012345678901234567890}`; len(lines) != 1 || lines[0] != want {
		t.Errorf("query with a json_schema: got %q, want %s", lines, want)
	}
}

func sameJSON(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

// TestLiveHostile queries and deletes through hostile names and values.
func TestLiveHostile(t *testing.T) {
	s := liveServer(t)
	s.fixture(t)
	silo := new(Silo)
	defer silo.Close()
	stores := s.stores(t, silo, s.conf)
	st := stores[hostileTable]
	if st == nil {
		t.Fatalf("no store for the hostile table")
	}
	note := func(v string) string { return string(protocol.AppendJSONString(nil, v)) }

	lines, err := query(t, st, hostileEmail, protocol.StringQuery("jane@example.com"), "")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`{"e` + "`" + `m;ai l\"'✓":"jane@example.com","n o` + "`" + `te":` + note("'; DROP TABLE `every type`; --") + `,"uid":1}`,
		`{"e` + "`" + `m;ai l\"'✓":"jane@example.com","n o` + "`" + `te":` + note(hostileNote1) + `,"uid":2}`,
	}
	slices.Sort(lines)
	if !slices.Equal(lines, want) {
		t.Errorf("query jane:\n got %q\nwant %q", lines, want)
	}

	// A value that is not a number never matches a number column (the
	// server would compare 'abc' as 0), and a number compares with a
	// text column as text (the server would compare 'abc' as 0 too).
	if lines, err := query(t, st, "uid", protocol.StringQuery("abc"), ""); err != nil || len(lines) != 0 {
		t.Errorf("uid = \"abc\": %d records, %v; want none", len(lines), err)
	}
	lines, err = query(t, st, hostileEmail, protocol.IntQuery(0), `{"properties":{"`+hostileNote+`":{}}}`)
	if want := []string{`{"n o` + "`" + `te":"the text zero"}`}; err != nil || !slices.Equal(lines, want) {
		t.Errorf("email = 0: got %q, %v; want %q", lines, err, want)
	}

	// Errors name the store's column, never the value.
	const secretValue = "jane.secret@example.com"
	_, err = query(t, st, "nope", protocol.StringQuery(secretValue), "")
	if err == nil || !strings.Contains(err.Error(), `"nope"`) || strings.Contains(err.Error(), secretValue) {
		t.Errorf("unknown identifier column: %v", err)
	}
	_, err = query(t, st, hostileEmail, protocol.StringQuery(secretValue), `{"properties":{"missing":{}}}`)
	if err == nil || !strings.Contains(err.Error(), `"missing"`) || strings.Contains(err.Error(), secretValue) {
		t.Errorf("json_schema naming a missing column: %v", err)
	}

	// Delete commits: the rows are gone for another connection.
	id := protocol.QueryIdentifier{SchemaName: st.Name(), SchemaGroup: st.Group(), Identifier: hostileEmail, IdentifierQuery: protocol.StringQuery("jane@example.com")}
	if err := syncStore(t, st).Delete(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	var left, jane int
	if err := s.admin.QueryRow("SELECT COUNT(*), COALESCE(SUM("+quoteIdent(hostileEmail)+" = 'jane@example.com'), 0) FROM "+quoteIdent(hostileTable)).Scan(&left, &jane); err != nil {
		t.Fatal(err)
	}
	if left != 3 || jane != 0 {
		t.Errorf("after delete: %d rows, %d of jane; want 3 and 0", left, jane)
	}
	// A non-number on a number column deletes nothing.
	if err := syncStore(t, st).Delete(context.Background(), protocol.QueryIdentifier{Identifier: "uid", IdentifierQuery: protocol.StringQuery("abc")}); err != nil {
		t.Fatal(err)
	}
	if err := s.admin.QueryRow("SELECT COUNT(*) FROM " + quoteIdent(hostileTable)).Scan(&left); err != nil || left != 3 {
		t.Errorf("delete uid = \"abc\": %d rows left, want 3 (%v)", left, err)
	}
	// The other tables are untouched by the hostile values.
	var n int
	if err := s.admin.QueryRow("SELECT COUNT(*) FROM `every type`").Scan(&n); err != nil || n != 3 {
		t.Errorf("every type: %d rows, %v; want 3", n, err)
	}
}

func TestLiveScanAndLarge(t *testing.T) {
	s := liveServer(t)
	s.fixture(t)
	silo := new(Silo)
	defer silo.Close()
	stores := s.stores(t, silo, s.conf)
	for name, want := range map[string]int{"many": scanSample, "every type": 3, "large": 1} {
		var out records
		if err := syncStore(t, stores[name]).Scan(context.Background(), &out); err != nil {
			t.Fatalf("scan %s: %v", name, err)
		}
		if len(out.lines) != want {
			t.Errorf("scan %s: %d records, want %d", name, len(out.lines), want)
		}
	}

	lines, err := query(t, stores["large"], "id", protocol.IntQuery(1), "")
	if err != nil || len(lines) != 1 {
		t.Fatalf("query large: %d records, %v", len(lines), err)
	}
	var got struct {
		Body string `json:"body"`
		Data []byte `json:"data"` // base64, decoded by encoding/json
	}
	if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
		t.Fatal(err)
	}
	if got.Body != largeText || !bytes.Equal(got.Data, largeBlob) {
		t.Errorf("large row: body %d bytes (equal %v), data %d bytes (equal %v)", len(got.Body), got.Body == largeText, len(got.Data), bytes.Equal(got.Data, largeBlob))
	}
}

func TestLiveCancel(t *testing.T) {
	s := liveServer(t)
	s.fixture(t)
	silo := new(Silo)
	defer silo.Close()
	st := s.stores(t, silo, s.conf)["many"]
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out records
	err := syncStore(t, st).Scan(ctx, &out)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("scan with a cancelled context: %v, want context.Canceled", err)
	}
}

// TestLiveValidate checks each sentence Validate answers, and that no
// message holds the password.
func TestLiveValidate(t *testing.T) {
	s := liveServer(t)
	s.fixture(t)
	ctx := context.Background()
	silo := new(Silo)
	defer silo.Close()

	if msg, err := silo.Validate(ctx, s.conf); err != nil || msg.Status != protocol.ValidateSuccess {
		t.Fatalf("Validate of the admin config: %+v, %v", msg, err)
	}

	const secret = "Wr0ng-p@ss:w/o?rd#'\"`;\\ %&=ü"
	check := func(name string, conf Config, want string, tls string) {
		t.Helper()
		si := &Silo{TLS: tls}
		defer si.Close()
		msg, err := si.Validate(ctx, conf)
		if err != nil {
			t.Errorf("%s: Validate error %v, want a FAILURE message", name, err)
			return
		}
		if msg.Status != protocol.ValidateFailure || !strings.Contains(msg.Message, want) {
			t.Errorf("%s: %s %q, want FAILURE containing %q", name, msg.Status, msg.Message, want)
		}
		if strings.Contains(msg.Message, conf.Password) && conf.Password != "" {
			t.Errorf("%s: the message holds the password: %s", name, msg.Message)
		}
		// The same config through DataStores fails with an error
		// that holds no password either.
		_, err = si.DataStores(ctx, conf)
		if err == nil {
			t.Errorf("%s: DataStores succeeded", name)
		} else if conf.Password != "" && strings.Contains(err.Error(), conf.Password) {
			t.Errorf("%s: DataStores error holds the password: %v", name, err)
		}
	}
	wrongPassword := s.conf
	wrongPassword.Password = secret
	check("wrong password", wrongPassword, "refused user", "")
	missing := s.conf
	missing.Database = s.db + " missing"
	missing.Password = s.conf.Password
	check("missing database", missing, "does not exist", "")
	unreachable := s.conf
	unreachable.Hostname, unreachable.Port, unreachable.Password = "127.0.0.1", 1, secret
	check("unreachable host", unreachable, "cannot reach 127.0.0.1:1", "")

	var haveSSL string
	s.admin.QueryRow("SELECT @@have_ssl").Scan(&haveSSL)
	if haveSSL == "YES" {
		t.Log("SKIP TLS refused: the server offers TLS")
	} else {
		check("TLS refused", s.conf, "does not offer TLS", "true")
	}
}

// TestLivePassword connects as a user whose password holds every
// character a DSN or SQL literal could choke on.
func TestLivePassword(t *testing.T) {
	s := liveServer(t)
	s.fixture(t)
	ctx := context.Background()
	suffix := make([]byte, 3)
	rand.Read(suffix)
	user := "monoid_" + hex.EncodeToString(suffix)
	const password = "p@ss:w/o?rd#'\"`;\\ %&=ü/tcp(x)"
	literal := "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(password) + "'"
	for _, host := range []string{"%", "localhost"} {
		account := "'" + user + "'@'" + host + "'"
		if _, err := s.admin.Exec("CREATE USER " + account + " IDENTIFIED BY " + literal); err != nil {
			t.Skipf("SKIP: the %s account cannot create users: %v", dsnEnv, err)
		}
		t.Cleanup(func() { s.admin.Exec("DROP USER " + account) })
		s.exec(t, "GRANT SELECT, DELETE ON "+quoteIdent(s.db)+".* TO "+account)
	}
	conf := s.conf
	conf.Username, conf.Password = user, password
	silo := new(Silo)
	defer silo.Close()
	if msg, err := silo.Validate(ctx, conf); err != nil || msg.Status != protocol.ValidateSuccess {
		t.Fatalf("Validate with a special-character password: %+v, %v", msg, err)
	}
	stores := s.stores(t, silo, conf)
	lines, err := query(t, stores["many"], "id", protocol.IntQuery(3), "")
	if err != nil || !slices.Equal(lines, []string{`{"id":3}`}) {
		t.Errorf("query as the new user: %q, %v", lines, err)
	}

	// Every error the package returns is scrubbed of that password, even
	// one whose message would hold it: the server's error about a table
	// named after it, dropped once the stores were listed.
	s.exec(t, "CREATE TABLE "+quoteIdent(password)+" (id INT)")
	other := new(Silo)
	defer other.Close()
	stores = s.stores(t, other, conf)
	s.exec(t, "DROP TABLE "+quoteIdent(password))
	_, err = query(t, stores[password], "id", protocol.IntQuery(1), "")
	if err == nil || strings.Contains(err.Error(), password) || !strings.Contains(err.Error(), "***") {
		t.Errorf("error about a table named like the password: %v", err)
	}
}
