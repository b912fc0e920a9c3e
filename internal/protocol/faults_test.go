package protocol_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
	"github.com/monoid-gen/monoid-gen/templates/examples/memory"
)

// refSpec is the reference connector's spec.json, with api_key secret.
const refSpec = `{"spec":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
"properties":{"hostname":{"type":"string","title":"Hostname","order":0},
"api_key":{"type":"string","title":"API Key","secret":true,"pattern":"^k","order":1},
"num_records":{"type":"integer","title":"Records per Store","default":10,"order":2}},
"required":["hostname","api_key"]}}`

// fixture writes the named files into a fresh directory and returns it.
func fixture(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// goodFiles are valid inputs for every command.
func goodFiles(t *testing.T) map[string]string {
	return map[string]string{
		"config.json":  `{"hostname":"h","api_key":"k-sekrit-value","num_records":3}`,
		"persist.json": `{"temp_store":` + strconvQuote(t.TempDir()) + `}`,
		"query.json":   `{"identifiers":[{"schema_name":"users","schema_group":"app","identifier":"id","identifier_query":1,"json_schema":{}}]}`,
		"schemas.json": `{"schemas":[{"name":"users","group":"app","json_schema":{}}]}`,
		"requests.json": `{"handles":[{"schema_name":"users","schema_group":"app","request_type":"QUERY",
			"data":{"query":{"schema_name":"users","schema_group":"app","identifier":"id","identifier_query":1,"json_schema":{}}}}]}`,
	}
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

type result struct {
	code           int
	stdout, stderr string
}

// execute runs silo with args whose *.json names are taken from dir.
func execute(t *testing.T, silo protocol.Silo[memory.Config], dir string, args ...string) result {
	t.Helper()
	for i, a := range args {
		if strings.HasSuffix(a, ".json") {
			args[i] = filepath.Join(dir, a)
		}
	}
	var stdout, stderr bytes.Buffer
	code := protocol.Execute(context.Background(), silo, []byte(refSpec), protocol.Env{Args: args, Stdout: &stdout, Stderr: &stderr})
	return result{code, stdout.String(), stderr.String()}
}

// assertOneLog checks the shape every fault must have: the exit status,
// nothing on stdout, exactly one LOG line on stderr containing each of
// wants, and no stack trace.
func assertOneLog(t *testing.T, r result, code int, wants ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d", r.code, code)
	}
	if r.stdout != "" {
		t.Errorf("stdout not empty:\n%s", r.stdout)
	}
	lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	if len(lines) != 1 {
		t.Fatalf("stderr has %d lines, want 1:\n%s", len(lines), r.stderr)
	}
	var m protocol.Message
	if err := json.Unmarshal([]byte(lines[0]), &m); err != nil || m.Type != protocol.TypeLog || m.Log == nil {
		t.Fatalf("stderr line is not a LOG message: %s", lines[0])
	}
	for _, w := range wants {
		if !strings.Contains(m.Log.Message, w) {
			t.Errorf("log message %q does not contain %q", m.Log.Message, w)
		}
	}
	if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, ".go:") {
		t.Errorf("stderr holds a stack trace:\n%s", r.stderr)
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name  string
		edit  map[string]string // files replaced in goodFiles
		silo  protocol.Silo[memory.Config]
		args  []string
		code  int
		wants []string
	}{
		{name: "unknown command", args: []string{"frobnicate"}, code: 2,
			wants: []string{`invalid command "frobnicate"`, "usage:"}},
		{name: "no command", args: nil, code: 2, wants: []string{"a command is required"}},
		{name: "missing flag", args: []string{"query", "-c", "config.json", "-q", "query.json"}, code: 2,
			wants: []string{"required: -p/--persist_conf"}},
		{name: "flag without value", args: []string{"validate", "-c"}, code: 2,
			wants: []string{"-c/--config: expected one argument"}},
		{name: "flag of another command", args: []string{"validate", "-c", "config.json", "-q", "query.json"}, code: 2,
			wants: []string{"unrecognized arguments: -q"}},
		{name: "missing config file", args: []string{"validate", "-c", "nope.json"}, code: 1,
			wants: []string{"nope.json: no such file"}},
		{name: "malformed config", edit: map[string]string{"config.json": "{\n  \"hostname\": \"h\",\n  oops\n}"},
			args: []string{"validate", "-c", "config.json"}, code: 1,
			wants: []string{"config.json: invalid JSON at line 3, column 3"}},
		{name: "empty query file", edit: map[string]string{"query.json": ""},
			args: []string{"query", "-c", "config.json", "-p", "persist.json", "-q", "query.json"}, code: 1,
			wants: []string{"query.json: file is empty"}},
		{name: "config violates spec", edit: map[string]string{"config.json": `{"api_key":"k1","num_records":"many"}`},
			args: []string{"validate", "-c", "config.json"}, code: 1,
			wants: []string{"config.json: does not match the connector's spec", "hostname: required property missing", "num_records: got string, want integer"}},
		{name: "identifier missing", edit: map[string]string{"query.json": `{"identifiers":[{"schema_name":"users","identifier_query":"x","json_schema":{}}]}`},
			args: []string{"query", "-c", "config.json", "-p", "persist.json", "-q", "query.json"}, code: 1,
			wants: []string{"query.json: identifiers[0]: identifier is required"}},
		{name: "identifier_query of wrong type", edit: map[string]string{"query.json": `{"identifiers":[{"schema_name":"users","identifier":"id","identifier_query":1.5,"json_schema":{}}]}`},
			args: []string{"query", "-c", "config.json", "-p", "persist.json", "-q", "query.json"}, code: 1,
			wants: []string{"query.json: identifiers[0].identifier_query: want a JSON string or integer, got number with a fraction"}},
		{name: "query names unknown store", edit: map[string]string{"query.json": `{"identifiers":[
			{"schema_name":"users","schema_group":"app","identifier":"id","identifier_query":1,"json_schema":{}},
			{"schema_name":"invoices","schema_group":"app","identifier":"id","identifier_query":1,"json_schema":{}}]}`},
			args: []string{"query", "-c", "config.json", "-p", "persist.json", "-q", "query.json"}, code: 1,
			wants: []string{"query.json: identifiers[1]: no data store app/invoices (the connector has app/orders, app/users)"}},
		{name: "handle names unknown store", edit: map[string]string{"requests.json": `{"handles":[{"schema_name":"users","schema_group":"crm","request_type":"QUERY"}]}`},
			args: []string{"request-status", "-c", "config.json", "-p", "persist.json", "-r", "requests.json"}, code: 1,
			wants: []string{"requests.json: handles[0]: no data store crm/users"}},
		{name: "scan names unknown store", edit: map[string]string{"schemas.json": `{"schemas":[{"name":"carts","group":"app","json_schema":{}}]}`},
			args: []string{"scan", "-c", "config.json", "-p", "persist.json", "-s", "schemas.json"}, code: 1,
			wants: []string{"schemas.json: schemas[0]: no data store app/carts"}},
		{name: "unknown request type", edit: map[string]string{"requests.json": `{"handles":[{"schema_name":"users","schema_group":"app","request_type":"EXPORT"}]}`},
			args: []string{"request-results", "-c", "config.json", "-p", "persist.json", "-r", "requests.json"}, code: 1,
			wants: []string{`requests.json: handles[0].request_type: "EXPORT" is not one of QUERY, DELETE`}},
		{name: "schema output as the schemas file", edit: map[string]string{"schemas.json": `{"type":"SCHEMA","schema_msg":{"schemas":[{"name":"users","group":"app","json_schema":{}}]}}`},
			args: []string{"scan", "-c", "config.json", "-p", "persist.json", "-s", "schemas.json"}, code: 1,
			wants: []string{`schemas.json: schemas is required: the file is one JSON object, {"schemas": [{"name": `, "holds a SCHEMA message"}},
		{name: "query output as the requests file", edit: map[string]string{"requests.json": `{"type":"REQUEST_RESULT","request":{"status":{"schema_name":"users","request_status":"COMPLETE"},"handle":{"schema_name":"users","request_type":"QUERY"}}}` + "\n" +
			`{"type":"REQUEST_RESULT","request":{"status":{"schema_name":"users","request_status":"COMPLETE"},"handle":{"schema_name":"users","request_type":"DELETE"}}}` + "\n"},
			args: []string{"request-status", "-c", "config.json", "-p", "persist.json", "-r", "requests.json"}, code: 1,
			wants: []string{`requests.json: invalid JSON at line 2, column 1`, `the file is one JSON object, {"handles": [`, "holds a REQUEST_RESULT message"}},
		{name: "persistence config without temp_store", edit: map[string]string{"persist.json": `{"temp_store":null}`},
			args: []string{"scan", "-c", "config.json", "-p", "persist.json", "-s", "schemas.json"}, code: 1,
			wants: []string{"persist.json: temp_store is required"}},
		{name: "panic in a store", silo: faultySilo{mode: "panic"},
			args: []string{"scan", "-c", "config.json", "-p", "persist.json", "-s", "schemas.json"}, code: 1,
			wants: []string{"scan: panic in app/users during scan: assignment to entry in nil map"}},
		{name: "panic in the silo", silo: faultySilo{mode: "panic-validate"},
			args: []string{"validate", "-c", "config.json"}, code: 1,
			wants: []string{"validate: panic in silo during validate: boom"}},
		{name: "file record outside temp_store", silo: faultySilo{mode: "file-outside"},
			args: []string{"scan", "-c", "config.json", "-p", "persist.json", "-s", "schemas.json"}, code: 1,
			wants: []string{`file record "/etc/passwd" is not inside temp_store`}},
		{name: "record data not an object", silo: faultySilo{mode: "bad-data"},
			args: []string{"scan", "-c", "config.json", "-p", "persist.json", "-s", "schemas.json"}, code: 1,
			wants: []string{"data store app/users: record data must be a JSON object"}},
		{name: "duplicate stores", silo: faultySilo{mode: "duplicate"},
			args: []string{"schema", "-c", "config.json"}, code: 1,
			wants: []string{"two data stores are named app/users"}},
		{name: "store error", silo: faultySilo{mode: "error"},
			args: []string{"query", "-c", "config.json", "-p", "persist.json", "-q", "query.json"}, code: 1,
			wants: []string{"query: data store app/users: connection refused"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files := goodFiles(t)
			for k, v := range tc.edit {
				files[k] = v
			}
			silo := tc.silo
			if silo == nil {
				silo = memory.Silo{}
			}
			r := execute(t, silo, fixture(t, files), tc.args...)
			assertOneLog(t, r, tc.code, tc.wants...)
		})
	}
}

// TestSecretNeverEchoed feeds secrets that break each rule of theirs, and
// other values that break theirs, and checks that no value appears on
// either stream while the error still names the field and the rule.
func TestSecretNeverEchoed(t *testing.T) {
	for _, tc := range []struct {
		config string
		wants  []string
	}{
		{`{"hostname":"h","api_key":"hunter2-very-secret"}`, []string{`api_key: does not match pattern "^k"`}},
		{`{"hostname":"h","api_key":424242}`, []string{"api_key: got integer, want string"}},
		{`{"hostname":"h","api_key":["hunter2-very-secret"]}`, []string{"api_key: got array, want string"}},
		{`{"hostname":"h","api_key":"k-ok","num_records":"hunter2-not-a-number"}`, []string{"num_records: got string, want integer"}},
		{`{"hostname":{"hunter2":"nested"},"api_key":"hunter2-very-secret"}`, []string{"hostname: got object, want string", "api_key: does not match pattern"}},
	} {
		files := goodFiles(t)
		files["config.json"] = tc.config
		r := execute(t, memory.Silo{}, fixture(t, files), "validate", "-c", "config.json")
		assertOneLog(t, r, 1, tc.wants...)
		for _, value := range []string{"hunter2", "424242"} {
			if strings.Contains(r.stderr+r.stdout, value) {
				t.Errorf("%s: value %s echoed:\n%s", tc.config, value, r.stderr)
			}
		}
	}
}

// TestDefaultsApplied checks that a property absent from the config takes
// the spec's default: num_records defaults to 10, so scan writes 10 rows
// per store.
func TestDefaultsApplied(t *testing.T) {
	files := goodFiles(t)
	files["config.json"] = `{"hostname":"h","api_key":"k"}`
	r := execute(t, memory.Silo{}, fixture(t, files), "scan", "-c", "config.json", "-p", "persist.json", "-s", "schemas.json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if n := strings.Count(r.stdout, "\n"); n != 10 {
		t.Errorf("scan wrote %d records, want the default 10", n)
	}
}

// TestHeldOutputOnFailure checks that a query failing on its second
// identifier prints nothing, not the first result.
func TestHeldOutputOnFailure(t *testing.T) {
	files := goodFiles(t)
	files["query.json"] = `{"identifiers":[
		{"schema_name":"users","schema_group":"app","identifier":"id","identifier_query":1,"json_schema":{}},
		{"schema_name":"orders","schema_group":"app","identifier":"id","identifier_query":1,"json_schema":{}}]}`
	r := execute(t, faultySilo{mode: "error-orders"}, fixture(t, files), "query", "-c", "config.json", "-p", "persist.json", "-q", "query.json")
	assertOneLog(t, r, 1, "data store app/orders: connection refused")
}

// TestCancelLeavesCompleteLines cancels a scan midway and checks that
// stdout ends on a complete line and the run fails with "interrupted".
func TestCancelLeavesCompleteLines(t *testing.T) {
	dir := fixture(t, goodFiles(t))
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr bytes.Buffer
	silo := faultySilo{mode: "endless", cancel: cancel}
	code := protocol.Execute(ctx, silo, []byte(refSpec), protocol.Env{
		Args:   []string{"scan", "-c", filepath.Join(dir, "config.json"), "-p", filepath.Join(dir, "persist.json"), "-s", filepath.Join(dir, "schemas.json")},
		Stdout: &stdout, Stderr: &stderr,
	})
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if stdout.Len() == 0 || !bytes.HasSuffix(stdout.Bytes(), []byte("\n")) {
		t.Fatalf("stdout is empty or ends mid-line (%d bytes)", stdout.Len())
	}
	for i, line := range bytes.Split(bytes.TrimSuffix(stdout.Bytes(), []byte("\n")), []byte("\n")) {
		if !json.Valid(line) {
			t.Fatalf("line %d is not complete JSON: %.80s", i+1, line)
		}
	}
	if !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("stderr does not say interrupted: %s", stderr.String())
	}
}

// faultySilo is the reference silo with one defect, chosen by mode.
type faultySilo struct {
	mode   string
	cancel context.CancelFunc
}

func (s faultySilo) Validate(ctx context.Context, conf memory.Config) (protocol.ValidateMessage, error) {
	if s.mode == "panic-validate" {
		panic("boom")
	}
	return memory.Silo{}.Validate(ctx, conf)
}

func (s faultySilo) DataStores(_ context.Context, conf memory.Config) ([]protocol.DataStore, error) {
	users := protocol.Sync(faultyTable{memory.NewTable("users", conf.NumRecords), s})
	orders := protocol.Sync(faultyTable{memory.NewTable("orders", conf.NumRecords), s})
	switch s.mode {
	case "duplicate":
		orders = users
	case "error":
		users = failingStore{users}
	case "error-orders":
		orders = failingStore{orders}
	}
	return []protocol.DataStore{users, orders}, nil
}

type faultyTable struct {
	*memory.Table
	silo faultySilo
}

func (t faultyTable) Scan(ctx context.Context, out protocol.RecordWriter) error {
	switch t.silo.mode {
	case "panic":
		var m map[string]int
		//lint:ignore SA5000 the nil-map write is the point: a panic, as real bugs panic
		m["x"] = 1
	case "file-outside":
		return out.File("/etc/passwd")
	case "bad-data":
		return out.Record([]int{1, 2})
	case "stuck":
		// Enough records to be flushed, whatever happens, then a wait that
		// ignores ctx, as a driver call without a context does.
		for i := range 5000 {
			out.Record(memory.Row(i))
		}
		time.Sleep(time.Hour)
	case "deaf":
		// Records for ever, dropping every error, ctx's included.
		for i := 0; ; i++ {
			out.Record(memory.Row(i))
		}
	case "endless":
		for i := 0; ; i++ {
			if i == 5000 && t.silo.cancel != nil {
				t.silo.cancel()
			}
			if err := out.Record(memory.Row(i)); err != nil {
				return err
			}
		}
	}
	return t.Table.Scan(ctx, out)
}

// failingStore is a DataStore whose Query fails, as a store whose backend
// is down.
type failingStore struct{ protocol.DataStore }

func (failingStore) Query(context.Context, protocol.PersistenceConfig, protocol.QueryIdentifier) (protocol.RequestResult, error) {
	return protocol.RequestResult{}, errors.New("connection refused")
}

// closingSilo records whether the runner closed it.
type closingSilo struct {
	memory.Silo
	closed *int
}

func (s closingSilo) Close() error { *s.closed++; return nil }

// TestSiloClosedAfterCommand checks that a silo holding connections is
// closed once its command is done, and not for spec, which never opens any.
func TestSiloClosedAfterCommand(t *testing.T) {
	dir := fixture(t, goodFiles(t))
	n := 0
	if r := execute(t, closingSilo{closed: &n}, dir, "scan", "-c", "config.json", "-p", "persist.json", "-s", "schemas.json"); r.code != 0 {
		t.Fatalf("scan: exit %d: %s", r.code, r.stderr)
	}
	if n != 1 {
		t.Errorf("after scan, Close called %d times, want 1", n)
	}
	n = 0
	execute(t, closingSilo{closed: &n}, dir, "spec")
	if n != 0 {
		t.Errorf("after spec, Close called %d times, want 0", n)
	}
}

// TestBadIdentifierQueryNotEchoed: an identifier_query of the wrong type
// is refused naming the identifier it belongs to, and its value, personal
// data, appears nowhere.
func TestBadIdentifierQueryNotEchoed(t *testing.T) {
	for name, value := range map[string]string{
		"fraction": `4111.1111`,
		"object":   `{"email":"jane.doe@example.com"}`,
		"array":    `["jane.doe@example.com"]`,
		"boolean":  `true`,
	} {
		t.Run(name, func(t *testing.T) {
			files := goodFiles(t)
			files["query.json"] = `{"identifiers":[
				{"schema_name":"users","schema_group":"app","identifier":"id","identifier_query":1,"json_schema":{}},
				{"schema_name":"users","schema_group":"app","identifier":"email","identifier_query":` + value + `,"json_schema":{}}]}`
			r := execute(t, memory.Silo{}, fixture(t, files), "query", "-c", "config.json", "-p", "persist.json", "-q", "query.json")
			assertOneLog(t, r, 1, "query.json: identifiers[1].identifier_query: want a JSON string or integer")
			for _, personal := range []string{"4111", "jane.doe", "true"} {
				if strings.Contains(r.stderr, personal) {
					t.Errorf("the value is echoed (%s): %s", personal, r.stderr)
				}
			}
		})
	}
}

// TestConfigInvalidUTF8: a config string that is not UTF-8 (bytes, or an
// escaped half of a surrogate pair) is refused naming the field, rather
// than silently becoming U+FFFD; a secret's value is not shown either way.
func TestConfigInvalidUTF8(t *testing.T) {
	for name, tc := range map[string]struct{ config, want string }{
		"byte":           {"{\"hostname\":\"h\xffst\",\"api_key\":\"k1\"}", "config.json: hostname: "},
		"lone surrogate": {`{"hostname":"h\ud800st","api_key":"k1"}`, "config.json: hostname: "},
		"secret":         {"{\"hostname\":\"h\",\"api_key\":\"k-s\xc3cret\"}", "config.json: api_key: "},
		"property name":  {"{\"hostname\":\"h\",\"api_key\":\"k1\",\"x\xff\":1}", "config.json: a property name"},
	} {
		t.Run(name, func(t *testing.T) {
			files := goodFiles(t)
			files["config.json"] = tc.config
			r := execute(t, memory.Silo{}, fixture(t, files), "validate", "-c", "config.json")
			assertOneLog(t, r, 1, tc.want, "UTF-8")
			if strings.Contains(r.stderr, "k-s") {
				t.Errorf("secret shown: %s", r.stderr)
			}
		})
	}
}

// findingSilo lists its stores only at a cost it must not pay for
// request-status: DataStores fails, as a database that is down would.
type findingSilo struct{ memory.Silo }

func (findingSilo) DataStores(context.Context, memory.Config) ([]protocol.DataStore, error) {
	return nil, errors.New("the catalog is unreachable")
}

func (findingSilo) Store(_ context.Context, _ memory.Config, group, name string) (protocol.DataStore, error) {
	return protocol.SyncStatus(group, name), nil
}

// TestRequestStatusFindsOnlyItsStores checks that a StoreFinder's
// request-status asks only for the stores its handles name, and needs
// nothing of DataStores: a synchronous store's status comes from the
// handle. Other commands still list the stores.
func TestRequestStatusFindsOnlyItsStores(t *testing.T) {
	dir := fixture(t, goodFiles(t))
	r := execute(t, findingSilo{}, dir, "request-status", "-c", "config.json", "-p", "persist.json", "-r", "requests.json")
	if r.code != 0 || !strings.Contains(r.stdout, `"request_status":"COMPLETE"`) {
		t.Fatalf("request-status: exit %d, stdout %s, stderr %s", r.code, r.stdout, r.stderr)
	}
	r = execute(t, findingSilo{}, dir, "request-results", "-c", "config.json", "-p", "persist.json", "-r", "requests.json")
	if r.code == 0 || !strings.Contains(r.stderr, "the catalog is unreachable") {
		t.Errorf("request-results should list the stores, and fail with DataStores: exit %d, stderr %s", r.code, r.stderr)
	}
}
