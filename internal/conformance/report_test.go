package conformance

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestFailureShowsTheConnectorsMessage checks that a failed command's
// detail carries what the connector said, in full up to maxQuote bytes:
// the message of its LOG line, with the root cause at its end.
func TestFailureShowsTheConnectorsMessage(t *testing.T) {
	f := failed(runAgainst(t, "long-error", false))
	d := f["validate: exit status"]
	if !strings.Contains(d, "stderr: validate: context context ") || !strings.HasSuffix(d, "dial error: the root cause") {
		t.Errorf("validate: exit status does not end in the connector's message: %q", d)
	}
	d = failed(runAgainst(t, "huge-error", false))["validate: exit status"]
	if !strings.Contains(d, strings.Repeat("x", maxQuote-len("validate: "))+"... (10010 bytes)") {
		t.Errorf("a message of 10010 bytes is not cut at %d: %q", maxQuote, d)
	}
}

// TestReportEscapesControlCharacters checks that nothing a connector
// prints reaches the terminal as a control: ANSI escapes, "\r", DEL, C1
// controls, bidirectional overrides and invalid UTF-8 are escaped.
func TestReportEscapesControlCharacters(t *testing.T) {
	r := runAgainst(t, "ansi", false)
	var text bytes.Buffer
	r.WriteText(&text)
	for i, l := range strings.Split(strings.TrimSuffix(text.String(), "\n"), "\n") {
		if !utf8.ValidString(l) {
			t.Errorf("report line %d is not UTF-8: %q", i+1, l)
		}
		for _, c := range l {
			if !unicode.IsPrint(c) {
				t.Errorf("report line %d holds %U: %q", i+1, c, l)
				break
			}
		}
	}
	want := `stderr: \x1b[2J\x1b[31mred\rover\u202eevil\xff\x7f\u009b`
	if d := failed(r)["validate: exit status"]; !strings.Contains(d, want) {
		t.Errorf("validate: exit status: %q, want it to contain %q", d, want)
	}
}

// TestReportLinesAreBounded checks that a detail of any size makes a
// report line of at most maxDetail bytes, cut at a character.
func TestReportLinesAreBounded(t *testing.T) {
	r := &Report{}
	r.Add(Result{Check: "scan: record data", Status: Fail, Detail: strings.Repeat("é", 1<<20)})
	d := r.Results[0].Detail
	if len(d) > maxDetail+64 || !utf8.ValidString(d) || !strings.HasSuffix(d, "... (2097152 bytes in all)") {
		t.Errorf("detail of %d bytes, ending %q", len(d), d[max(0, len(d)-40):])
	}
}
