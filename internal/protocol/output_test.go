package protocol

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// FuzzAppendJSONString checks AppendJSONString against encoding/json: the
// same bytes, and valid JSON that decodes to the same string.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", `quote " back \ slash`, "ctl \x00\x1f\n\r\t", "é ✓ \u2028 \u2029", "bad \xff utf8", "<&>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := AppendJSONString(nil, s)
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		want := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		if !bytes.Equal(got, want) {
			t.Fatalf("AppendJSONString(%q) = %s, encoding/json gives %s", s, got, want)
		}
	})
}

// callRecorder records every Write call.
type callRecorder struct{ calls [][]byte }

func (c *callRecorder) Write(p []byte) (int, error) {
	c.calls = append(c.calls, append([]byte(nil), p...))
	return len(p), nil
}

// TestWritesHoldWholeLines writes enough records to flush several times
// and checks that every Write call ends on a line end.
func TestWritesHoldWholeLines(t *testing.T) {
	rec := &callRecorder{}
	lw := newLineWriter(rec, false)
	rw := newRecordWriter(lw, "app", "users", fileGuard{}, nil)
	long := strings.Repeat("x", 1000)
	for i := range 500 {
		if err := rw.Record(map[string]any{"i": i, "pad": long}); err != nil {
			t.Fatal(err)
		}
	}
	if err := lw.flush(); err != nil {
		t.Fatal(err)
	}
	if len(rec.calls) < 3 {
		t.Fatalf("only %d write calls; the test needs several flushes", len(rec.calls))
	}
	lines := 0
	for i, c := range rec.calls {
		if !bytes.HasSuffix(c, []byte("\n")) {
			t.Fatalf("write call %d ends mid-line", i)
		}
		lines += bytes.Count(c, []byte("\n"))
	}
	if lines != 500 {
		t.Errorf("%d lines written, want 500", lines)
	}
}

// TestHeldWriterWritesNothingUntilFlush checks the all-or-nothing mode.
func TestHeldWriterWritesNothingUntilFlush(t *testing.T) {
	rec := &callRecorder{}
	lw := newLineWriter(rec, true)
	for range 2000 {
		if err := lw.message(&Message{Type: TypeLog, Log: &LogMessage{Message: strings.Repeat("y", 100)}}, "a LOG message"); err != nil {
			t.Fatal(err)
		}
	}
	if len(rec.calls) != 0 {
		t.Fatalf("held writer wrote %d times before flush", len(rec.calls))
	}
	lw.discard()
	if err := lw.flush(); err != nil || len(rec.calls) != 0 {
		t.Fatalf("discarded output was written: %d calls, %v", len(rec.calls), err)
	}
}

func TestRecordEncodings(t *testing.T) {
	var out bytes.Buffer
	lw := newLineWriter(&out, false)
	rw := newRecordWriter(lw, "", "users", newFileGuard(t.TempDir()), nil)
	type row struct {
		ID   int    `json:"id"`
		Note string `json:"note"`
	}
	for _, data := range []any{
		row{1, "a<b"},
		map[string]any{"id": 2},
		json.RawMessage("{\n  \"id\": 3\n}"),
	} {
		if err := rw.Record(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := rw.File("export/part-1.csv"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []any{"text", json.RawMessage(`{"id":`), func() {}} {
		if err := rw.Record(bad); err == nil {
			t.Errorf("Record(%T) accepted", bad)
		}
	}
	if err := lw.flush(); err != nil {
		t.Fatal(err)
	}
	want := `{"type":"RECORD","record":{"record_type":"RECORD","schema_name":"users","data":{"id":1,"note":"a<b"}}}
{"type":"RECORD","record":{"record_type":"RECORD","schema_name":"users","data":{"id":2}}}
{"type":"RECORD","record":{"record_type":"RECORD","schema_name":"users","data":{"id":3}}}
{"type":"RECORD","record":{"record_type":"FILE","schema_name":"users","file":"export/part-1.csv"}}
`
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestFileGuard(t *testing.T) {
	root := t.TempDir()
	g := newFileGuard(root)
	for _, ok := range []string{root + "/a.csv", "a.csv", "sub/dir/b.json", root + "/x/../y"} {
		if err := g.check(ok); err != nil {
			t.Errorf("%s rejected: %v", ok, err)
		}
	}
	for _, bad := range []string{"/etc/passwd", "../escape", root, root + "/..", root + "/../" + "other"} {
		if err := g.check(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if err := (fileGuard{}).check("a"); err == nil {
		t.Error("check without a persistence directory accepted")
	}
}
