package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
	"github.com/monoid-gen/monoid-gen/internal/testconnector"
	"github.com/monoid-gen/monoid-gen/internal/transcript"
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
// connector (the memory example, or testconnector's asynchronous one), with the one defect the variable
// names ("none" for a correct connector).
const connectorEnv = "CONFORMANCE_TEST_CONNECTOR"

func TestMain(m *testing.M) {
	if defect := os.Getenv(connectorEnv); defect != "" {
		os.Exit(defectiveConnector(defect, os.Args[1:]))
	}
	os.Exit(m.Run())
}

// defectiveConnector runs the reference connector, then breaks its output
// or exit status as defect says.
func defectiveConnector(defect string, args []string) int {
	var stdout, stderr bytes.Buffer
	env := protocol.Env{Args: args, Stdout: &stdout, Stderr: &stderr}
	var code int
	if defect == "async" {
		code = protocol.Execute(context.Background(), testconnector.AsyncSilo{}, refSpec(), env)
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
	case defect == "traceback" && cmd == "frobnicate":
		stderr.WriteString("Traceback (most recent call last):\n  File \"main.py\", line 1\n")
	}
	os.Stdout.WriteString(out)
	os.Stderr.Write(stderr.Bytes())
	return code
}

// runAgainst runs the checks on the test connector with defect.
func runAgainst(t *testing.T, defect string, destructive bool, extraIdentifiers ...string) *Report {
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
	r, err := Run(context.Background(), Options{
		Command:     []string{os.Args[0]},
		Env:         append(os.Environ(), connectorEnv+"="+defect),
		Config:      filepath.Join(dir, "config.json"),
		Query:       filepath.Join(dir, "query.json"),
		SpecFile:    filepath.Join(dir, "spec.json"),
		Destructive: destructive,
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
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

// TestAsyncConnectorPasses checks a connector with an asynchronous store:
// PROGRESS handles polled until COMPLETE, then a FILE record under
// temp_store.
func TestAsyncConnectorPasses(t *testing.T) {
	r := runAgainst(t, "async", true, `{"schema_name":"exports","schema_group":"app","identifier":"email","identifier_query":"user1@example.com","json_schema":{}}`)
	var b bytes.Buffer
	r.WriteText(&b)
	if !r.OK() {
		t.Fatalf("the async connector fails:\n%s", b.String())
	}
	for _, want := range []string{"PASS  query: request-status: completion (2 rounds)", "PASS  query: request-results: record files", "PASS  delete: request-status: completion (2 rounds)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
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
		{"data-contradicts-schema", "scan: record data", "data does not match app/users's json_schema: at /id: got string, want integer", nil},
		{"traceback", "probe: unknown command", "stack trace on stderr: Traceback (most recent call last):", nil},
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

func TestFormProblems(t *testing.T) {
	var schema map[string]any
	json.Unmarshal([]byte(`{"type":"object","properties":{
		"a":{"type":["string","null"],"title":"A","order":0},
		"b":{"type":"array","items":{"type":"integer"},"title":"B","order":1},
		"c":{"type":"integer","secret":true,"title":"C","order":2},
		"d":{"type":"string","order":3},
		"e":{"type":"string","title":"E"},
		"f":{"$ref":"#/definitions/x"}},
		"required":["ghost"]}`), &schema)
	got := strings.Join(FormProblems(schema), "\n")
	for _, want := range []string{"$ref", "a: type must be one string", "b: the form renders arrays of strings only",
		"c: secret must be true and on a string", "d: no title", "e: no integer order", "required: ghost is not a property"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
}

func TestCredentialNames(t *testing.T) {
	for name, want := range map[string]bool{
		"password": true, "api_key": true, "accessToken": true, "client_secret": true, "credentials": true,
		"privateKey": true, "key": true, "ssh_pass": true,
		"hostname": false, "keyspace": false, "monkey": false, "username": false, "tokenizer": false, "primary_key": false, "sort_key": false,
	} {
		if got := looksLikeCredential(name); got != want {
			t.Errorf("looksLikeCredential(%q) = %v", name, got)
		}
	}
}

// TestPythonConnector checks a connector in another language: a Python
// program that prints as the Python kit does (every field, null where
// unset). Its probe of a config violating the spec fails, as the kit's
// connectors do, with a traceback.
func TestPythonConnector(t *testing.T) {
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
