package conformance

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The fuzz targets below cover what check decodes of a connector's
// output that has no target elsewhere (ParseMessage has its own in
// package protocol; the platform's line reader is FuzzPlatformRead).

// FuzzLines checks the line splitter against strings.Split: the same
// lines, numbered from 1, an unterminated last line included.
func FuzzLines(f *testing.F) {
	for _, s := range []string{"", "\n", "a", "a\n", "a\nb", "a\n\nb\n", "\r\n\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var want []string
		if len(b) > 0 {
			want = strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		}
		var got []string
		for n, l := range lines(b) {
			if n != len(got)+1 {
				t.Fatalf("line %d numbered %d", len(got)+1, n)
			}
			got = append(got, string(l))
		}
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(got) != len(want) {
			t.Fatalf("lines(%q) = %q, want %q", b, got, want)
		}
	})
}

// FuzzOutputMessages checks that every stdout line is counted once, as a
// message or not, and that a pass over the messages yields the ones
// counted, in order.
func FuzzOutputMessages(f *testing.F) {
	f.Add([]byte(`{"type":"LOG","log":{"message":"hi"}}` + "\n" + `not json` + "\n" + ` {"type":"SPEC"}`))
	f.Add([]byte(`{"type":"RECORD","record":{"record_type":"RECORD","schema_name":"a","data":{}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		o := &output{stdout: b}
		o.count()
		total := 0
		for range lines(b) {
			total++
		}
		if o.nMsgs+o.nBad != total {
			t.Fatalf("%d messages and %d others of %d lines", o.nMsgs, o.nBad, total)
		}
		n, last := 0, 0
		for l := range o.messages() {
			if l.n <= last {
				t.Fatalf("line %d after line %d", l.n, last)
			}
			n, last = n+1, l.n
		}
		if n != o.nMsgs {
			t.Fatalf("a pass yields %d messages, %d counted", n, o.nMsgs)
		}
	})
}

// FuzzEscape checks that the report's escaping leaves only printable
// UTF-8, is idempotent, and loses nothing: read as a Go string literal,
// the escaped text is the original (for text without backslashes, which
// escape leaves as they are).
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"plain", "\x1b[2J\r\n\t", "\u202eevil", "\xff\xfe", "\u009b\u2028", "\U0001F600", "\uFFFD"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := escape(s)
		if !utf8.ValidString(e) {
			t.Fatalf("escape(%q) = %q is not UTF-8", s, e)
		}
		for _, r := range e {
			if !unicode.IsPrint(r) {
				t.Fatalf("escape(%q) = %q holds %U", s, e, r)
			}
		}
		if escape(e) != e {
			t.Fatalf("escape is not idempotent on %q", s)
		}
		if strings.Contains(s, `\`) {
			return
		}
		back, err := strconv.Unquote(`"` + strings.ReplaceAll(e, `"`, `\"`) + `"`)
		if err != nil || back != s {
			t.Fatalf("escape(%q) = %q reads back as %q (%v)", s, e, back, err)
		}
	})
}

// FuzzStderr checks what check reads of stderr: its logs, its last
// message and a stack trace, bounded whatever stderr holds.
func FuzzStderr(f *testing.F) {
	f.Add([]byte(`{"type":"LOG","log":{"message":"dial error"}}` + "\n"))
	f.Add([]byte("Traceback (most recent call last):\n  File \"x\"\n{\"type\":\"SPEC\"}\n{\n"))
	f.Add([]byte(`{"type":"LOG","log":{}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if p := logProblems(b); len(p) > maxProblems+1 {
			t.Fatalf("%d problems listed, want at most %d and a count", len(p), maxProblems)
		}
		if m := connectorMessage(b); len(m) > maxQuote+32 {
			t.Fatalf("message of %d bytes", len(m))
		}
		if tb := traceback(b); tb != nil && !bytes.Contains(b, tb) {
			t.Fatalf("traceback %q is not in stderr", tb)
		}
	})
}

// FuzzCompileSchema checks that no schema from the connector makes the
// compiler panic, and that none naming a document outside itself
// compiles.
func FuzzCompileSchema(f *testing.F) {
	for _, s := range []string{
		`{"type":"object","properties":{"a":{"$ref":"#/definitions/b"}},"definitions":{"b":{"type":"integer"}}}`,
		`{"$ref":"file:///etc/passwd"}`,
		`{"$id":"http://example.com/s","properties":{"a":{"$ref":"other.json"}}}`,
		`{"$schema":"/dev/stdin"}`,
		`{"allOf":[{"$ref":"#"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := compileSchema(b)
		var doc any
		if err == nil && json.Unmarshal(b, &doc) == nil {
			if ref, at := externalRef(doc, ""); at != "" {
				t.Fatalf("%s compiles, though it names %q at %s", b, ref, at)
			}
		}
	})
}

// FuzzSpecChecks checks that no spec from the connector makes the spec
// checks panic, and that the config made to violate it is JSON.
func FuzzSpecChecks(f *testing.F) {
	f.Add([]byte(`{"spec":{"type":"object","properties":{"a":{"type":"string","title":"A","order":0}},"required":["a"]}}`))
	f.Add([]byte(`{"spec":{"properties":{"n":{"type":"integer"},"o":{"type":"object","properties":{"api_key":{"type":"string"}}}}}}`))
	f.Add([]byte(`{"spec":{"properties":{"a":null,"b":[1],"c":{"type":["a"]}},"required":[1,null]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if bad, _ := violatingConfig(b); bad != nil && !json.Valid(bad) {
			t.Fatalf("violating config %q is not JSON", bad)
		}
	})
}

// FuzzValidateData checks that no record data makes validation panic.
func FuzzValidateData(f *testing.F) {
	sch, err := compileSchema([]byte(`{"type":"object","properties":{"id":{"type":"integer"},"email":{"type":"string","format":"email"},"tags":{"type":"array","items":{"type":"string"}}},"required":["id"]}`))
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(`{"id":1,"email":"a@b.c","tags":["x"]}`))
	f.Add([]byte(`{"id":"one","tags":[1,{}]}`))
	f.Add([]byte(`[1e400]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		validateData(sch, b)
	})
}
