package protocol

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckUTF8(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"a":"plain","b":[1,true,null,{"c":"é ✓"}]}`, ""},
		{`{"a":"\ud83d\ude00 pair","b":"\u00e9"}`, ""},
		{`{"a":"\\ud800 is an escaped backslash"}`, ""},
		{"{\"a\":{\"b\":[\"ok\",\"x\xffy\"]}}", "f: a.b[1]: the string is not valid UTF-8"},
		{`{"a":"\ud800"}`, "f: a: the string"},
		{`{"a":"\udc00\ud800"}`, "f: a: the string"},
		{`{"a":"\ud800\u0041"}`, "f: a: the string"},
		{"{\"a\":{\"k\xc3\":1}}", "f: a: a property name is not valid UTF-8"},
		{"[\"\xff\"]", "f: [0]: the string"},
		{"\"\xff\"", "f: the string"},
		{"{\"a\":\"\xff\"", ""}, // not JSON: validation reports it
	} {
		err := checkUTF8("f", []byte(tc.in))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.in, err)
		case tc.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.want)):
			t.Errorf("%q: error %v, want prefix %q", tc.in, err, tc.want)
		}
	}
}

// FuzzCheckUTF8 checks that the scan of a config file never panics, that
// it finds every document with bytes that are not UTF-8, and that it only
// reports valid JSON.
func FuzzCheckUTF8(f *testing.F) {
	for _, s := range []string{`{"a":"b"}`, "{\"a\":[\"\xff\"]}", `{"a":"\ud800"}`, `{"a":"\ud83d\ude00"}`, `[[[{"\u00e9":1}]]]`, `"\\u"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		err := checkUTF8("f", b)
		valid := json.Valid(b)
		if err != nil && !valid {
			t.Fatalf("reported on a document that is not JSON: %v", err)
		}
		if valid && !utf8.Valid(b) && err == nil {
			t.Fatalf("bytes that are not UTF-8 passed: %q", b)
		}
	})
}
