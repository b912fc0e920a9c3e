package mysql

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"

	mysqldriver "github.com/go-sql-driver/mysql"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// These tests need no server.

func TestQuoteIdent(t *testing.T) {
	for name, want := range map[string]string{
		"users":               "`users`",
		"a`b":                 "`a``b`",
		"``":                  "``````",
		"x`; DROP TABLE y; -": "`x``; DROP TABLE y; -`",
		"it's \"quoted\"":     "`it's \"quoted\"`",
		"spa ce;semi":         "`spa ce;semi`",
		"ünï✓":                "`ünï✓`",
		"back\\slash`":        "`back\\slash```",
	} {
		if got := quoteIdent(name); got != want {
			t.Errorf("quoteIdent(%q) = %s, want %s", name, got, want)
		}
		// The quoted name is one token: strip the outer backticks,
		// undouble, and the name comes back.
		got := quoteIdent(name)
		if inner := strings.ReplaceAll(got[1:len(got)-1], "``", "`"); inner != name {
			t.Errorf("quoteIdent(%q) does not round-trip: %s", name, got)
		}
	}
}

func TestTypeValues(t *testing.T) {
	for typ, want := range map[string][]string{
		"enum('a','b')":                 {"a", "b"},
		"enum('it''s','x,y','')":        {"it's", "x,y", ""},
		`enum('back\\slash','nl\n')`:    {`back\slash`, "nl\n"},
		"set('x','y','z')":              {"x", "y", "z"},
		"enum('(paren)',')')":           {"(paren)", ")"},
		"enum('ünï✓')":                  {"ünï✓"},
		"set()":                         nil,
		"varchar(10)":                   nil,
		"enum('a') CHARACTER SET utf8":  {"a"},
		"enum('quote''''twice','last')": {"quote''twice", "last"},
	} {
		if got := typeValues(typ); !slices.Equal(got, want) {
			t.Errorf("typeValues(%s) = %q, want %q", typ, got, want)
		}
	}
}

func TestJSONValidColumn(t *testing.T) {
	for clause, want := range map[string]string{
		"json_valid(`j`)":       "j",
		"json_valid(`a``b; c`)": "a`b; c",
	} {
		if got, ok := jsonValidColumn(clause); !ok || got != want {
			t.Errorf("jsonValidColumn(%s) = %q, %v; want %q", clause, got, ok, want)
		}
	}
	for _, clause := range []string{"json_valid(`a` or 1)", "json_valid(`a`b`)", "`a` > 0", "json_valid(a)", "json_valid(`a`) and json_valid(`b`)"} {
		if got, ok := jsonValidColumn(clause); ok {
			t.Errorf("jsonValidColumn(%s) = %q, want no column", clause, got)
		}
	}
}

// TestNewColumn holds every type to its documented mapping.
func TestNewColumn(t *testing.T) {
	for _, tc := range []struct {
		dataType, columnType string
		nullable             bool
		maxChars             int64
		json                 bool
		kind                 kind
		schema               string
	}{
		{"tinyint", "tinyint(4)", false, 0, false, kindInt, `{"type":"integer","minimum":-128,"maximum":127}`},
		{"tinyint", "tinyint(1)", false, 0, false, kindInt, `{"type":"integer","minimum":-128,"maximum":127}`},
		{"tinyint", "tinyint(3) unsigned", false, 0, false, kindInt, `{"type":"integer","minimum":0,"maximum":255}`},
		{"smallint", "smallint(6)", false, 0, false, kindInt, `{"type":"integer","minimum":-32768,"maximum":32767}`},
		{"mediumint", "mediumint(8) unsigned zerofill", false, 0, false, kindInt, `{"type":"integer","minimum":0,"maximum":16777215}`},
		{"int", "int(11)", false, 0, false, kindInt, `{"type":"integer","minimum":-2147483648,"maximum":2147483647}`},
		{"bigint", "bigint unsigned", false, 0, false, kindInt, `{"type":"integer","minimum":0,"maximum":18446744073709551615}`},
		{"bigint", "bigint(20)", true, 0, false, kindInt, `{"anyOf":[{"type":"integer","minimum":-9223372036854775808,"maximum":9223372036854775807},{"type":"null"}]}`},
		{"bit", "bit(1)", false, 0, false, kindBool, `{"type":"boolean"}`},
		{"bit", "bit(5)", false, 0, false, kindBits, `{"type":"integer","minimum":0,"maximum":31}`},
		{"bit", "bit(64)", false, 0, false, kindBits, `{"type":"integer","minimum":0,"maximum":18446744073709551615}`},
		{"decimal", "decimal(65,30)", false, 0, false, kindNumber, `{"type":"number"}`},
		{"float", "float", false, 0, false, kindNumber, `{"type":"number"}`},
		{"double", "double", false, 0, false, kindNumber, `{"type":"number"}`},
		{"char", "char(10)", false, 10, false, kindText, `{"type":"string","maxLength":10}`},
		{"varchar", "varchar(255)", true, 255, false, kindText, `{"anyOf":[{"type":"string","maxLength":255},{"type":"null"}]}`},
		{"longtext", "longtext", false, 4294967295, false, kindText, `{"type":"string"}`},
		{"longtext", "longtext", true, 4294967295, true, kindJSON, `{}`},
		{"json", "json", true, 0, false, kindJSON, `{}`},
		{"varbinary", "varbinary(16)", false, 16, false, kindBinary, `{"type":"string","contentEncoding":"base64"}`},
		{"mediumblob", "mediumblob", false, 0, false, kindBinary, `{"type":"string","contentEncoding":"base64"}`},
		{"point", "point", false, 0, false, kindBinary, `{"type":"string","contentEncoding":"base64","description":"the server's internal geometry format: a 4-byte SRID, then WKB"}`},
		{"date", "date", false, 0, false, kindDate, `{"anyOf":[{"type":"string","format":"date"},{"type":"null"}]}`},
		{"datetime", "datetime(6)", false, 0, false, kindDatetime, `{"anyOf":[{"type":"string","format":"date-time"},{"type":"null"}]}`},
		{"timestamp", "timestamp", false, 0, false, kindDatetime, `{"anyOf":[{"type":"string","format":"date-time"},{"type":"null"}]}`},
		{"time", "time(3)", false, 0, false, kindTime, `{"type":"string","pattern":"^-?[0-9]{2,3}:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,6})?$"}`},
		{"year", "year(4)", false, 0, false, kindYear, `{"type":"string","pattern":"^[0-9]{4}$"}`},
		{"enum", "enum('a','b')", false, 1, false, kindText, `{"type":"string","enum":["a","b",""]}`},
		{"enum", "enum('','a')", false, 1, false, kindText, `{"type":"string","enum":["","a"]}`},
		{"set", "set('x','y')", false, 3, false, kindSet, `{"type":"array","items":{"type":"string","enum":["x","y"]},"uniqueItems":true}`},
		{"inet6", "inet6", false, 0, false, kindText, `{"type":"string"}`},
	} {
		c := newColumn(columnInfo{name: "c", dataType: tc.dataType, columnType: tc.columnType, nullable: tc.nullable, maxChars: tc.maxChars, json: tc.json})
		if c.kind != tc.kind || string(c.schema) != tc.schema {
			t.Errorf("%s (nullable %v): kind %d, schema %s; want kind %d, schema %s", tc.columnType, tc.nullable, c.kind, c.schema, tc.kind, tc.schema)
		}
		if !json.Valid(c.schema) {
			t.Errorf("%s: schema is not valid JSON: %s", tc.columnType, c.schema)
		}
	}
}

// TestAppendValue writes values as the driver hands them over.
func TestAppendValue(t *testing.T) {
	for _, tc := range []struct {
		kind kind
		in   sql.RawBytes
		want string
	}{
		{kindInt, nil, `null`},
		{kindInt, sql.RawBytes("-9223372036854775808"), `-9223372036854775808`},
		{kindInt, sql.RawBytes("18446744073709551615"), `18446744073709551615`},
		{kindNumber, sql.RawBytes("12345678901234567890123456789012345.123456789012345678901234567890"), `12345678901234567890123456789012345.123456789012345678901234567890`},
		{kindNumber, sql.RawBytes("-0.50"), `-0.50`},
		{kindNumber, sql.RawBytes("0001.50"), `1.50`},
		{kindNumber, sql.RawBytes("0000"), `0`},
		{kindNumber, sql.RawBytes("1e+100"), `1e+100`},
		{kindNumber, sql.RawBytes("-1.5E-7"), `-1.5E-7`},
		{kindBool, sql.RawBytes{1}, `true`},
		{kindBool, sql.RawBytes{0}, `false`},
		{kindBits, sql.RawBytes{0x01, 0x02}, `258`},
		{kindBits, sql.RawBytes{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, `18446744073709551615`},
		{kindText, sql.RawBytes(""), `""`},
		{kindText, sql.RawBytes("a\"b\\c\nd\x00é✓"), `"a\"b\\c\nd\u0000é✓"`},
		{kindBinary, sql.RawBytes{0, 1, 2, 0xff}, `"AAEC/w=="`},
		{kindBinary, sql.RawBytes{}, `""`},
		{kindDate, sql.RawBytes("2024-02-29"), `"2024-02-29"`},
		{kindDate, sql.RawBytes("0000-00-00"), `null`},
		{kindDatetime, sql.RawBytes("2024-02-29 23:59:58"), `"2024-02-29T23:59:58Z"`},
		{kindDatetime, sql.RawBytes("2024-02-29 23:59:58.123456"), `"2024-02-29T23:59:58.123456Z"`},
		{kindDatetime, sql.RawBytes("2024-00-10 00:00:00"), `null`},
		{kindDatetime, sql.RawBytes("0000-00-00 00:00:00"), `null`},
		{kindTime, sql.RawBytes("-838:59:59.000000"), `"-838:59:59.000000"`},
		{kindYear, sql.RawBytes("2024"), `"2024"`},
		{kindYear, sql.RawBytes("0"), `"0000"`},
		{kindJSON, sql.RawBytes("{\n  \"a\": [1, 2.50, \"x\"]\n}"), `{"a":[1,2.50,"x"]}`},
		{kindJSON, sql.RawBytes("null"), `null`},
		{kindSet, sql.RawBytes(""), `[]`},
		{kindSet, sql.RawBytes("x,z"), `["x","z"]`},
	} {
		got, err := appendValue(nil, tc.kind, tc.in)
		if err != nil {
			t.Errorf("kind %d, %q: %v", tc.kind, tc.in, err)
			continue
		}
		if string(got) != tc.want {
			t.Errorf("kind %d, %q: got %s, want %s", tc.kind, tc.in, got, tc.want)
		}
	}
}

func TestAppendValueRejects(t *testing.T) {
	for _, tc := range []struct {
		kind kind
		in   string
	}{
		{kindNumber, "secret-42"}, {kindNumber, "1."}, {kindNumber, ".5"}, {kindNumber, "NaN"},
		{kindNumber, "1e"}, {kindInt, ""}, {kindJSON, "{oops"}, {kindDatetime, "2024-01-01"},
	} {
		_, err := appendValue(nil, tc.kind, sql.RawBytes(tc.in))
		if err == nil {
			t.Errorf("kind %d, %q: no error", tc.kind, tc.in)
			continue
		}
		if tc.in != "" && strings.Contains(err.Error(), tc.in) {
			t.Errorf("kind %d: the error quotes the value: %v", tc.kind, err)
		}
	}
}

func TestRowAppendJSON(t *testing.T) {
	cols := []*column{{name: "id", kind: kindInt}, {name: "e`m\"ail", kind: kindText}, {name: "n", kind: kindNumber}}
	r := newRow(cols)
	r.vals[0], r.vals[1], r.vals[2] = sql.RawBytes("7"), sql.RawBytes("a@x"), nil
	got, err := r.AppendJSON([]byte("prefix"))
	if err != nil {
		t.Fatal(err)
	}
	if want := `prefix{"id":7,"e` + "`" + `m\"ail":"a@x","n":null}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
	empty, _ := newRow(nil).AppendJSON(nil)
	if string(empty) != "{}" {
		t.Errorf("no columns: got %s, want {}", empty)
	}
}

func TestPropertyNames(t *testing.T) {
	for in, want := range map[string][]string{
		``:                                  nil,
		`null`:                              nil,
		`{}`:                                nil,
		`{"type":"object","properties":{}}`: nil,
		`{"properties":null}`:               nil,
		`{"properties":{"z":{"type":"string"},"a":{},"m":{"properties":{"x":1}}}}`: {"z", "a", "m"},
	} {
		got, err := propertyNames(json.RawMessage(in))
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("propertyNames(%s) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{`[]`, `"x"`, `{"properties":[1]}`, `{"properties":{"a":}}`} {
		if _, err := propertyNames(json.RawMessage(in)); err == nil {
			t.Errorf("propertyNames(%s): no error", in)
		}
	}
}

func TestBindValue(t *testing.T) {
	for _, tc := range []struct {
		kind kind
		q    protocol.IdentifierQuery
		want any
		ok   bool
	}{
		{kindInt, protocol.IntQuery(42), int64(42), true},
		{kindInt, protocol.StringQuery("42"), int64(42), true},
		{kindInt, protocol.StringQuery("18446744073709551615"), uint64(18446744073709551615), true},
		{kindInt, protocol.StringQuery("abc"), nil, false},
		{kindInt, protocol.StringQuery(""), nil, false},
		{kindNumber, protocol.StringQuery("1.50"), "1.50", true},
		{kindNumber, protocol.StringQuery("1,50"), nil, false},
		{kindText, protocol.IntQuery(0), "0", true},
		{kindText, protocol.StringQuery("a@x"), "a@x", true},
	} {
		got, ok := bindValue(tc.kind, tc.q)
		if ok != tc.ok || fmt.Sprintf("%T %v", got, got) != fmt.Sprintf("%T %v", tc.want, tc.want) {
			t.Errorf("bindValue(%d, %s) = %T %v, %v; want %T %v, %v", tc.kind, tc.q, got, got, ok, tc.want, tc.want, tc.ok)
		}
	}
	if got, _ := bindValue(kindBinary, protocol.StringQuery("ab")); string(got.([]byte)) != "ab" {
		t.Errorf("binary: got %v", got)
	}
}

func TestScrub(t *testing.T) {
	const pw = `p@ss:w/o?rd#'"`
	err := fmt.Errorf("dial: %w", fmt.Errorf("user root password %s rejected", pw))
	got := scrub(err, pw, "jane@example.com")
	if strings.Contains(got.Error(), pw) || !strings.Contains(got.Error(), "***") {
		t.Errorf("scrub left the password: %v", got)
	}
	if errors.Unwrap(got) != nil {
		t.Errorf("a scrubbed error keeps its chain, which holds the password")
	}
	canceled := scrub(fmt.Errorf("jane@example.com: %w", context.Canceled), pw, "jane@example.com")
	if !errors.Is(canceled, context.Canceled) || strings.Contains(canceled.Error(), "jane") {
		t.Errorf("scrub of a cancellation: %v (Is Canceled: %v)", canceled, errors.Is(canceled, context.Canceled))
	}
	plain := errors.New("nothing secret")
	if scrub(plain, pw, "") != plain {
		t.Errorf("scrub changed an error without secrets")
	}
	if scrub(nil, pw) != nil {
		t.Errorf("scrub(nil) is not nil")
	}
	for _, tc := range []struct{ in, secret, want string }{
		{"user does not exist, password 'x'", "x", "user does not exist, password '***'"},
		{"value '42' in error 1429 and 42", "42", "value '***' in error 1429 and ***"},
		{"x", "x", "***"},
		{"ü✓ü", "✓", "ü✓ü"},
		{"hunter2 and hunter22", "hunter2", "*** and ***2"},
		{"p@ss: p@ss", "p@ss", "***: ***"},
	} {
		if got := scrubString(tc.in, tc.secret); got != tc.want {
			t.Errorf("scrubString(%q, %q) = %q, want %q", tc.in, tc.secret, got, tc.want)
		}
	}
}

// TestExplain holds each connection failure to its one sentence.
func TestExplain(t *testing.T) {
	conf := Config{Hostname: "db.example", Port: 3306, Database: "shop", Username: "app", Password: "hunter2"}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&mysqldriver.MySQLError{Number: 1045, Message: "Access denied for user 'app'@'10.0.0.1' (using password: YES)"},
			`the server at db.example:3306 refused user "app": the password is wrong, or the user does not exist or may not connect from this host`},
		{&mysqldriver.MySQLError{Number: 1049, Message: "Unknown database 'shop'"}, `database "shop" does not exist on the server at db.example:3306`},
		{&mysqldriver.MySQLError{Number: 1044}, `user "app" may not use database "shop" on the server at db.example:3306`},
		{&mysqldriver.MySQLError{Number: 3159}, `the server at db.example:3306 requires TLS, which this connector's TLS setting does not allow`},
		{mysqldriver.ErrNoTLS, `the server at db.example:3306 does not offer TLS, which this connector requires`},
		{&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, `cannot reach db.example:3306: connection refused (no server listens on that port)`},
		{&net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "db.example", IsNotFound: true}}, `cannot reach db.example:3306: the hostname "db.example" does not resolve`},
		{fmt.Errorf("dial: %w", context.DeadlineExceeded), `cannot reach db.example:3306: no answer in time (is the host up, and the port open to this network?)`},
	} {
		if got := explain(tc.err, conf); got != tc.want {
			t.Errorf("explain(%v):\n got %s\nwant %s", tc.err, got, tc.want)
		}
	}
}

func TestDriverConfig(t *testing.T) {
	var s Silo
	for _, conf := range []Config{
		{Hostname: "", Port: 3306},
		{Hostname: "h", Port: 0},
		{Hostname: "h", Port: 3306.5},
		{Hostname: "h", Port: 70000},
	} {
		if _, err := s.driverConfig(conf); err == nil {
			t.Errorf("driverConfig(%+v): no error", conf)
		}
	}
	const pw = "p@ss:w/o?rd#'\"`;\\ x"
	cfg, err := s.driverConfig(Config{Hostname: "::1", Port: 3307, Database: "d`b", Username: "u", Password: pw})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "[::1]:3307" || cfg.Passwd != pw || cfg.DBName != "d`b" || cfg.TLSConfig != "preferred" {
		t.Errorf("driverConfig: addr %s, db %s, tls %s", cfg.Addr, cfg.DBName, cfg.TLSConfig)
	}
	// The same settings as a DSN, for anyone who prints one: the
	// password survives the round trip.
	back, err := mysqldriver.ParseDSN(cfg.FormatDSN())
	if err != nil || back.Passwd != pw {
		t.Errorf("FormatDSN/ParseDSN lose the password: %v", err)
	}
}

// TestCloseUnused: a silo that was never asked for stores opened nothing,
// and closing it is harmless.
func TestCloseUnused(t *testing.T) {
	var s Silo
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestBounded(t *testing.T) {
	my := &pool{}
	if got, want := my.bounded("SELECT `a` FROM `t`"), "SELECT /*+ MAX_EXECUTION_TIME(300000) */ `a` FROM `t`"; got != want {
		t.Errorf("MySQL: got %s, want %s", got, want)
	}
	if got, want := my.bounded("DELETE FROM `t`"), "DELETE FROM `t`"; got != want {
		t.Errorf("MySQL delete: got %s, want %s", got, want)
	}
	maria := &pool{mariadb: true}
	if got, want := maria.bounded("DELETE FROM `t`"), "SET STATEMENT max_statement_time=300 FOR DELETE FROM `t`"; got != want {
		t.Errorf("MariaDB: got %s, want %s", got, want)
	}
}

// TestStatusNeedsNoDatabase checks that the store a request-status handle
// names is found without a connection: the config reaches no server.
func TestStatusNeedsNoDatabase(t *testing.T) {
	conf := Config{Hostname: "127.0.0.1", Port: 1, Database: "nowhere", Username: "u"}
	st, err := new(Silo).Store(context.Background(), conf, "app", "users")
	if err != nil {
		t.Fatal(err)
	}
	status, err := st.Status(context.Background(), protocol.PersistenceConfig{}, protocol.RequestHandle{RequestType: protocol.RequestQuery})
	if err != nil || status.RequestStatus != protocol.StateComplete {
		t.Errorf("status %+v, error %v; want COMPLETE with no database", status, err)
	}
}
