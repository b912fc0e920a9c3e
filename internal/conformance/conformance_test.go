package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/monoid-gen/monoid-gen/internal/configspec"
	"github.com/monoid-gen/monoid-gen/internal/protocol"
	"github.com/monoid-gen/monoid-gen/internal/transcript"
	"github.com/monoid-gen/monoid-gen/templates/examples/export"
	"github.com/monoid-gen/monoid-gen/templates/examples/export/fake"
	"github.com/monoid-gen/monoid-gen/templates/examples/memory"
)

// refSpec is the reference connector's spec.json, which the memory
// example's Config gives.
func refSpec() []byte {
	dir, err := transcript.DataDir()
	if err != nil {
		panic(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "reference", "inputs", "spec.json"))
	if err != nil {
		panic(err)
	}
	return b
}

// connectorEnv makes the test binary act as a connector: the reference
// connector (the memory example), with the one defect the variable names
// ("none" for a correct connector), or, for "async", the export example.
const connectorEnv = "CONFORMANCE_TEST_CONNECTOR"

func TestMain(m *testing.M) {
	if os.Getenv(sleeperEnv) != "" {
		time.Sleep(5 * time.Minute)
		os.Exit(0)
	}
	if defect := os.Getenv(connectorEnv); defect != "" {
		os.Exit(defectiveConnector(defect, os.Args[1:]))
	}
	os.Exit(m.Run())
}

// defectiveConnector runs the reference connector, then breaks its output
// or exit status as defect says.
func defectiveConnector(defect string, args []string) int {
	if code, ok := hostileConnector(defect, args); ok {
		return code
	}
	var stdout, stderr bytes.Buffer
	env := protocol.Env{Args: args, Stdout: &stdout, Stderr: &stderr}
	var code int
	if defect == "async" {
		spec, err := exportSpec()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		code = protocol.Execute(context.Background(), export.Silo{}, spec, env)
	} else {
		code = protocol.Execute(context.Background(), memory.Silo{}, refSpec(), env)
	}
	out := stdout.String()
	cmd := ""
	if len(args) > 0 {
		cmd = args[0]
	}
	switch {
	case defect == "misspelled-type" && cmd == "schema":
		out = strings.Replace(out, `"type":"SCHEMA"`, `"type":"SCHEMAS"`, 1)
	case defect == "unasked-schema" && cmd == "scan":
		out += `{"type":"RECORD","record":{"record_type":"RECORD","schema_name":"ghosts","schema_group":"app","data":{"id":1}}}` + "\n"
	case defect == "status-without-request-status" && cmd == "query":
		out = strings.ReplaceAll(out, `"request_status":"COMPLETE",`, "")
	case defect == "truncated-line" && cmd == "scan":
		out = out[:len(out)-40]
	case defect == "validate-exit" && cmd == "validate":
		code = 1
	case defect == "file-outside" && cmd == "request-results":
		out += `{"type":"RECORD","record":{"record_type":"FILE","schema_name":"users","schema_group":"app","file":"/etc/passwd"}}` + "\n"
	case defect == "data-contradicts-schema" && cmd == "scan":
		out = strings.Replace(out, `"id":1,`, `"id":"one",`, 1)
	case defect == "long-error" && cmd == "validate":
		out, code = "", 1
		stderr.WriteString(`{"type":"LOG","log":{"message":"validate: ` + strings.Repeat("context ", 200) + `dial error: the root cause"}}` + "\n")
	case defect == "huge-error" && cmd == "validate":
		out, code = "", 1
		stderr.WriteString("validate: " + strings.Repeat("x", 10000) + "\n")
	case defect == "ansi" && cmd == "validate":
		out, code = "", 1
		stderr.WriteString("\x1b[2J\x1b[31mred\rover\u202eevil\xff\x7f\u009b\n")
	case strings.TrimSuffix(defect, "-fails") == cmd:
		out, code = "", 1
		stderr.WriteString(cmd + ": broken\n")
	case defect == "validate-garbage" && cmd == "validate":
		out = "garbage\n"
	case defect == "empty" && (cmd == "scan" || cmd == "request-results"):
		out = ""
	case defect == "validate-rejects" && cmd == "validate":
		out = `{"type":"VALIDATE","validate_msg":{"status":"FAILURE","message":"cannot reach the database: dial error: dial tcp 10.0.0.1:5432: connection refused"}}` + "\n"
	case defect == "ref-stdin" && cmd == "spec":
		out = strings.Replace(out, `"hostname":{`, `"hostname":{"$ref":"/dev/stdin",`, 1)
	case defect == "ref-file" && cmd == "schema":
		out = strings.Replace(out, `"json_schema":{`, `"json_schema":{"$ref":"file:///etc/passwd",`, 1)
	case defect == "big-record" && cmd == "scan":
		out = strings.Replace(out, `"name":"User 1"`, `"name":"`+strings.Repeat("x", 70000)+`"`, 1)
	case defect == "traceback" && cmd == "frobnicate":
		stderr.WriteString("Traceback (most recent call last):\n  File \"main.py\", line 1\n")
	}
	os.Stdout.WriteString(out)
	os.Stderr.Write(stderr.Bytes())
	return code
}

// runAgainst runs the checks on the test connector with defect.
func runAgainst(t *testing.T, defect string, destructive bool) *Report {
	t.Helper()
	return runWith(t, defect, func(o *Options) { o.Destructive = destructive })
}

// runWith runs the checks on the test connector with defect, with the
// options edit makes.
func runWith(t *testing.T, defect string, edit func(*Options)) *Report {
	t.Helper()
	o := fixture(t, defect)
	edit(&o)
	r, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// fixture writes the config, query and spec files of the test connector
// and returns the options that run it with defect.
func fixture(t *testing.T, defect string, extraIdentifiers ...string) Options {
	t.Helper()
	dir := t.TempDir()
	identifiers := append([]string{
		`{"schema_name":"users","schema_group":"app","identifier":"email","identifier_query":"user1@example.com","json_schema":{}}`,
		`{"schema_name":"orders","schema_group":"app","identifier":"id","identifier_query":2,"json_schema":{}}`,
	}, extraIdentifiers...)
	files := map[string]string{
		"config.json": `{"hostname":"localhost","api_key":"k","num_records":3}`,
		"query.json":  `{"identifiers":[` + strings.Join(identifiers, ",") + `]}`,
		"spec.json":   string(refSpec()),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return Options{
		Command:  []string{os.Args[0]},
		Env:      append(os.Environ(), connectorEnv+"="+defect),
		Config:   filepath.Join(dir, "config.json"),
		Query:    filepath.Join(dir, "query.json"),
		SpecFile: filepath.Join(dir, "spec.json"),
	}
}

func failed(r *Report) map[string]string {
	m := map[string]string{}
	for _, res := range r.Results {
		if res.Status == Fail {
			m[res.Check] = res.Detail
		}
	}
	return m
}

// TestCorrectConnectorPasses runs every check, delete included, on a
// correct connector.
func TestCorrectConnectorPasses(t *testing.T) {
	r := runAgainst(t, "none", true)
	if !r.OK() || r.Skipped != 0 {
		var b bytes.Buffer
		r.WriteText(&b)
		t.Fatalf("a correct connector does not pass every check:\n%s", b.String())
	}
	if r.Passed < 50 {
		t.Errorf("only %d checks ran", r.Passed)
	}
}

// TestSpecChecks checks that the further spec checks of Options run on
// the schema the spec command prints, each a result of its own.
func TestSpecChecks(t *testing.T) {
	var seen json.RawMessage
	r := runWith(t, "none", func(o *Options) {
		o.SpecChecks = []SpecCheck{
			{Name: "clean", Problems: func(s json.RawMessage) []string { seen = s; return nil }},
			{Name: "dirty", Problems: func(json.RawMessage) []string { return []string{"a", "b"} }},
		}
	})
	f := failed(r)
	if len(f) != 1 || f["spec: dirty"] != "a; b" {
		t.Errorf("failures %v, want spec: dirty alone", f)
	}
	var doc struct {
		Spec json.RawMessage `json:"spec"`
	}
	json.Unmarshal(refSpec(), &doc)
	if !sameJSON(seen, doc.Spec) {
		t.Errorf("spec check saw %s, want the connector's schema", seen)
	}
}

// exampleDir is the export example, relative to this package.
const exampleDir = "../../templates/examples/export"

// exportSpec derives the export example's spec.json from its config.go,
// as monoid-gen does for a project.
func exportSpec() ([]byte, error) {
	src, err := os.ReadFile(filepath.Join(exampleDir, "config.go"))
	if err != nil {
		return nil, err
	}
	d, err := configspec.FromSource("config.go", src)
	if err != nil {
		return nil, err
	}
	return d.JSON, nil
}

// TestAsyncConnectorPasses checks a connector with an asynchronous store,
// the export example against its fake service, with the example's
// fixtures: PROGRESS handles polled until COMPLETE, then a FILE record
// under temp_store.
func TestAsyncConnectorPasses(t *testing.T) {
	srv := fake.NewServer(fake.Options{})
	defer srv.Close()
	spec, err := exportSpec()
	if err != nil {
		t.Fatal(err)
	}
	var conf map[string]any
	b, err := os.ReadFile(filepath.Join(exampleDir, "testdata", "config.json"))
	if err == nil {
		err = json.Unmarshal(b, &conf)
	}
	if err != nil {
		t.Fatal(err)
	}
	conf["base_url"] = srv.URL
	b, _ = json.Marshal(conf)
	dir := t.TempDir()
	for name, content := range map[string][]byte{"config.json": b, "spec.json": spec} {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := Run(context.Background(), Options{
		Command:     []string{os.Args[0]},
		Env:         append(os.Environ(), connectorEnv+"=async"),
		Config:      filepath.Join(dir, "config.json"),
		Query:       filepath.Join(exampleDir, "testdata", "query.json"),
		SpecFile:    filepath.Join(dir, "spec.json"),
		Destructive: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	var report bytes.Buffer
	r.WriteText(&report)
	if !r.OK() {
		t.Fatalf("the async connector fails:\n%s", report.String())
	}
	for _, want := range []string{"PASS  query: request-status: completion (2 rounds)", "PASS  query: request-results: record files", "PASS  delete: request-status: completion (2 rounds)"} {
		if !strings.Contains(report.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, report.String())
		}
	}
	downloads := 0
	for _, req := range srv.Requests() {
		if strings.HasSuffix(req.Path, "/file") {
			downloads++
		}
	}
	if downloads != 1 {
		t.Errorf("the fake served %d result files, want 1", downloads)
	}
}

// TestCatchesEachDefect checks that each single defect fails the check
// that names it, with the offending line, and no unrelated check.
func TestCatchesEachDefect(t *testing.T) {
	tests := []struct {
		defect string
		check  string
		detail string
		also   []string // checks that fail as a consequence
	}{
		{"misspelled-type", "schema: output lines", `"SCHEMAS" is not one of SCHEMA, RECORD`, []string{"schema: messages"}},
		{"unasked-schema", "scan: record stores", "names app/ghosts, not a requested schema (app/orders, app/users)", nil},
		{"status-without-request-status", "query: output lines", "request_status is required", []string{"query: messages"}},
		{"truncated-line", "scan: output lines", "line 6", nil},
		{"validate-exit", "validate: exit status", "exit status 1, want 0", []string{"validate: nothing after failure"}},
		{"file-outside", "query: request-results: record files", `file "/etc/passwd" is not inside temp_store`, nil},
		{"data-contradicts-schema", "scan: record data", "data does not match app/users's json_schema: id: got string, want integer", nil},
		{"traceback", "probe: unknown command", "stack trace on stderr: Traceback (most recent call last):", nil},
		// The second record, of 154 bytes, with a name of 70000 bytes for
		// its 6: 70148 bytes; 4 records follow it.
		{"big-record", "scan: lines the platform reads", "stdout line 2 is 70148 bytes (line 2 of stdout and stderr as the platform's TTY merges them): the platform reads lines of at most 65534 bytes", nil},
	}
	for _, tc := range tests {
		t.Run(tc.defect, func(t *testing.T) {
			t.Parallel()
			f := failed(runAgainst(t, tc.defect, false))
			detail, ok := f[tc.check]
			if !ok {
				t.Fatalf("check %q did not fail; failures: %v", tc.check, f)
			}
			if !strings.Contains(detail, tc.detail) {
				t.Errorf("detail %q does not contain %q", detail, tc.detail)
			}
			delete(f, tc.check)
			for _, c := range tc.also {
				delete(f, c)
			}
			if len(f) > 0 {
				t.Errorf("unrelated checks failed too: %v", f)
			}
		})
	}
}

func TestReportFormats(t *testing.T) {
	r := &Report{}
	s := &suite{report: r}
	s.pass("spec: exit status")
	s.fail("scan: record data", "line %d: bad", 3)
	s.skip("delete", "pass --destructive")
	var text bytes.Buffer
	r.WriteText(&text)
	want := "PASS  spec: exit status\nFAIL  scan: record data: line 3: bad\nSKIP  delete: pass --destructive\n1 passed, 1 failed, 1 skipped\n"
	if text.String() != want {
		t.Errorf("text report:\n%s\nwant:\n%s", text.String(), want)
	}
	var js bytes.Buffer
	r.WriteJSON(&js)
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || back.Failed != 1 || len(back.Results) != 3 || back.Results[1].Status != Fail {
		t.Errorf("JSON report %s: %v", js.String(), err)
	}
}

// TestPythonConnector checks a connector in another language: a Python
// program that prints as the Python kit does (every field, null where
// unset). Its probe of a config violating the spec fails, as the kit's
// connectors do, with a traceback.
func TestPythonConnector(t *testing.T) {
	t.Parallel()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: the check of a Python connector did not run")
	}
	dir := t.TempDir()
	config := filepath.Join(dir, "config.json")
	query := filepath.Join(dir, "query.json")
	os.WriteFile(config, []byte(`{"hostname":"localhost","api_key":"k","num_records":3}`), 0o644)
	os.WriteFile(query, []byte(`{"identifiers":[{"schema_name":"users","schema_group":"app","identifier":"email","identifier_query":"user1@example.com","json_schema":{}}]}`), 0o644)
	script, _ := filepath.Abs(filepath.Join("testdata", "pykit_connector.py"))
	r, err := Run(context.Background(), Options{Command: []string{python, script}, Config: config, Query: query, Destructive: true})
	if err != nil {
		t.Fatal(err)
	}
	f := failed(r)
	if d, ok := f["probe: config violating the spec"]; !ok || !strings.Contains(d, "stack trace on stderr: Traceback") {
		t.Errorf("the traceback of the Python connector was not caught: %v", f)
	}
	delete(f, "probe: config violating the spec")
	if len(f) > 0 {
		t.Errorf("a protocol-correct Python connector fails: %v", f)
	}
	if r.Passed < 40 {
		t.Errorf("only %d checks passed", r.Passed)
	}
}
