package protocol_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
	"github.com/monoid-gen/monoid-gen/templates/examples/memory"
)

// platformRead reads a run's output as the platform does: stdout and
// stderr merged, every line ended by the container's TTY with "\r\n", and
// read by a bufio.Scanner with its default token limit. It fails the test
// if a line cannot be read, and returns the lines.
func platformRead(t *testing.T, r result) []string {
	t.Helper()
	merged := strings.ReplaceAll(r.stdout+r.stderr, "\n", "\r\n")
	sc := bufio.NewScanner(strings.NewReader(merged))
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("the platform's reader stops after %d lines: %v", len(lines), err)
	}
	if want := strings.Count(r.stdout+r.stderr, "\n"); len(lines) != want {
		t.Fatalf("the platform's reader read %d lines of %d", len(lines), want)
	}
	return lines
}

// logs returns the messages of the LOG lines on stderr.
func logs(t *testing.T, stderr string) []string {
	t.Helper()
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
		if l == "" {
			continue
		}
		var m protocol.Message
		if err := json.Unmarshal([]byte(l), &m); err != nil || m.Type != protocol.TypeLog || m.Log == nil {
			t.Fatalf("stderr line is not a LOG message: %.200s", l)
		}
		out = append(out, m.Log.Message)
	}
	return out
}

// bigSilo has one store, app/users, whose records are small except the
// second, which is pad bytes long; its query handles carry handlePad
// bytes, and it has extra stores with large JSON schemas.
type bigSilo struct {
	pad, handlePad, extraStores int
}

func (bigSilo) Validate(context.Context, memory.Config) (protocol.ValidateMessage, error) {
	return protocol.Valid(), nil
}

func (s bigSilo) DataStores(context.Context, memory.Config) ([]protocol.DataStore, error) {
	stores := []protocol.DataStore{bigStore{DataStore: protocol.Sync(bigTable{memory.NewTable("users", 3), s.pad}), handlePad: s.handlePad}}
	for i := range s.extraStores {
		schema := json.RawMessage(`{"type":"object","description":"` + strings.Repeat("d", 1000) + `"}`)
		stores = append(stores, bigStore{DataStore: protocol.Sync(memory.NewTable("t"+strconv.Itoa(i), 0)), schema: schema})
	}
	return stores, nil
}

// bigTable writes three records; the second is pad bytes long.
type bigTable struct {
	*memory.Table
	pad int
}

func (t bigTable) rows(out protocol.RecordWriter) error {
	for i := range 3 {
		rec := map[string]any{"id": i}
		if i == 1 {
			rec["pad"] = strings.Repeat("p", t.pad)
		}
		if err := out.Record(rec); err != nil {
			return err
		}
	}
	return nil
}

func (t bigTable) Scan(_ context.Context, out protocol.RecordWriter) error { return t.rows(out) }

func (t bigTable) Query(_ context.Context, _ protocol.QueryIdentifier, out protocol.RecordWriter) error {
	return t.rows(out)
}

type bigStore struct {
	protocol.DataStore
	handlePad int
	schema    json.RawMessage
}

func (s bigStore) JSONSchema() json.RawMessage {
	if s.schema != nil {
		return s.schema
	}
	return s.DataStore.JSONSchema()
}

func (s bigStore) Query(ctx context.Context, p protocol.PersistenceConfig, id protocol.QueryIdentifier) (protocol.RequestResult, error) {
	res, err := s.DataStore.Query(ctx, p, id)
	if s.handlePad > 0 {
		res.Handle.Data = json.RawMessage(`{"pad":"` + strings.Repeat("p", s.handlePad) + `"}`)
	}
	return res, err
}

// recordLineFixed is the length of the line of bigTable's second record
// less its pad.
var recordLineFixed = len(`{"type":"RECORD","record":{"record_type":"RECORD","schema_name":"users","schema_group":"app","data":{"id":1,"pad":""}}}`)

// The command lines of the tests; execute rewrites its arguments, so each
// call gets a fresh slice.
func scanArgs() []string {
	return []string{"scan", "-c", "config.json", "-p", "persist.json", "-s", "schemas.json"}
}

func queryArgs() []string {
	return []string{"query", "-c", "config.json", "-p", "persist.json", "-q", "query.json"}
}

func resultsArgs() []string {
	return []string{"request-results", "-c", "config.json", "-p", "persist.json", "-r", "requests.json"}
}

// TestLineLimitBoundary checks the limit itself: a record line of exactly
// MaxLineBytes goes out and the platform's reader reads it and what
// follows; one byte more is refused.
func TestLineLimitBoundary(t *testing.T) {
	fixed := recordLineFixed
	for _, tc := range []struct {
		pad     int
		records int
	}{
		{protocol.MaxLineBytes - fixed, 3},
		{protocol.MaxLineBytes - fixed + 1, 2},
	} {
		t.Run(strconv.Itoa(fixed+tc.pad), func(t *testing.T) {
			r := execute(t, bigSilo{pad: tc.pad}, fixture(t, goodFiles(t)), scanArgs()...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			platformRead(t, r)
			if n := strings.Count(r.stdout, "\n"); n != tc.records {
				t.Errorf("%d records written, want %d", n, tc.records)
			}
		})
	}
}

// TestOversizedRecordScan: scan skips a record the platform could not
// read, says so in one WARN naming the store, the size and the limit, and
// goes on with the next record.
func TestOversizedRecordScan(t *testing.T) {
	r := execute(t, bigSilo{pad: 100 << 10}, fixture(t, goodFiles(t)), scanArgs()...)
	if r.code != 0 {
		t.Fatalf("exit %d, want 0: %s", r.code, r.stderr)
	}
	platformRead(t, r)
	if n := strings.Count(r.stdout, "\n"); n != 2 {
		t.Errorf("%d records written, want the 2 that fit:\n%s", n, r.stdout)
	}
	msgs := logs(t, r.stderr)
	if len(msgs) != 1 {
		t.Fatalf("%d LOG lines, want 1: %q", len(msgs), msgs)
	}
	size := strconv.Itoa(recordLineFixed + 100<<10)
	for _, want := range []string{"WARN", "app/users", "skipped", size + " bytes", strconv.Itoa(protocol.MaxLineBytes)} {
		if !strings.Contains(msgs[0], want) {
			t.Errorf("log %q does not contain %q", msgs[0], want)
		}
	}
}

// TestOversizedRecordRequestResults: request-results is the answer to a
// user's data request, so a record it cannot deliver fails the command:
// one ERROR naming the store, the size and the limit, exit 1. What was
// written before stays readable.
func TestOversizedRecordRequestResults(t *testing.T) {
	r := execute(t, bigSilo{pad: 100 << 10}, fixture(t, goodFiles(t)), resultsArgs()...)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1: %s", r.code, r.stderr)
	}
	platformRead(t, r)
	msgs := logs(t, r.stderr)
	if len(msgs) != 1 {
		t.Fatalf("%d LOG lines, want 1: %q", len(msgs), msgs)
	}
	for _, want := range []string{"ERROR", "request-results", "app/users", "bytes", strconv.Itoa(protocol.MaxLineBytes)} {
		if !strings.Contains(msgs[0], want) {
			t.Errorf("log %q does not contain %q", msgs[0], want)
		}
	}
}

// ignoringStore writes records and ignores the error Record returns, as
// careless store code does.
type ignoringSilo struct{ bigSilo }

func (s ignoringSilo) DataStores(context.Context, memory.Config) ([]protocol.DataStore, error) {
	return []protocol.DataStore{protocol.Sync(ignoringTable{bigTable{memory.NewTable("users", 3), s.pad}})}, nil
}

type ignoringTable struct{ bigTable }

func (t ignoringTable) Query(_ context.Context, _ protocol.QueryIdentifier, out protocol.RecordWriter) error {
	t.rows(ignoreErrors{out})
	return nil
}

type ignoreErrors struct{ protocol.RecordWriter }

func (w ignoreErrors) Record(data any) error { w.RecordWriter.Record(data); return nil }

// TestOversizedRecordIgnoredStillFails: a store that drops the error of
// Record does not make a lost record pass silently.
func TestOversizedRecordIgnoredStillFails(t *testing.T) {
	r := execute(t, ignoringSilo{bigSilo{pad: 100 << 10}}, fixture(t, goodFiles(t)), resultsArgs()...)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1: %s", r.code, r.stderr)
	}
	platformRead(t, r)
	if msgs := logs(t, r.stderr); len(msgs) != 1 || !strings.Contains(msgs[0], "app/users") {
		t.Errorf("LOG lines %q, want one naming app/users", msgs)
	}
}

// TestOversizedQueryResult: a REQUEST_RESULT the platform could not read
// fails query, which prints all its results or none.
func TestOversizedQueryResult(t *testing.T) {
	r := execute(t, bigSilo{handlePad: 100 << 10}, fixture(t, goodFiles(t)), queryArgs()...)
	assertOneLog(t, r, 1, "query", "app/users", "REQUEST_RESULT", strconv.Itoa(protocol.MaxLineBytes))
	platformRead(t, r)
}

// TestOversizedSchema: a SCHEMA message over the limit (many stores with
// large schemas) fails schema with an error naming the limit.
func TestOversizedSchema(t *testing.T) {
	r := execute(t, bigSilo{extraStores: 80}, fixture(t, goodFiles(t)), "schema", "-c", "config.json")
	assertOneLog(t, r, 1, "schema", "SCHEMA", "81 data stores", strconv.Itoa(protocol.MaxLineBytes))
	platformRead(t, r)
}

// TestOversizedSpec: a spec.json whose SPEC line is over the limit fails
// spec with an error naming the limit.
func TestOversizedSpec(t *testing.T) {
	spec := `{"spec":{"type":"object","description":"` + strings.Repeat("d", 70<<10) + `"}}`
	var stdout, stderr bytes.Buffer
	code := protocol.Execute(context.Background(), memory.Silo{}, []byte(spec), protocol.Env{Args: []string{"spec"}, Stdout: &stdout, Stderr: &stderr})
	r := result{code, stdout.String(), stderr.String()}
	assertOneLog(t, r, 1, "spec.json", "SPEC", strconv.Itoa(protocol.MaxLineBytes))
	platformRead(t, r)
}
