package export

import (
	"context"
	"strings"
	"testing"
)

func TestWriteRecords(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string // compact records
		err      string
	}{
		{"ndjson", "{\"a\":1}\n{\"a\":2}\n", []string{`{"a":1}`, `{"a":2}`}, ""},
		{"ndjson without final newline", "{\"a\":1}\n{\"a\":2}", []string{`{"a":1}`, `{"a":2}`}, ""},
		{"array", `[{"a":1},{"a":2}]`, []string{`{"a":1}`, `{"a":2}`}, ""},
		{"pretty array", "\n [\n  {\n   \"a\": [1, 2]\n  }\n ]\n", []string{`{"a":[1,2]}`}, ""},
		{"empty array", "[]", nil, ""},
		{"empty file", "", nil, ""},
		{"not an object", `[{"a":1}, 2]`, []string{`{"a":1}`}, "record 2: record data must be a JSON object"},
		{"broken JSON", "{\"a\":1}\n{\"a\":", []string{`{"a":1}`}, "record 2 is not valid JSON"},
		{"unclosed array", `[{"a":1}`, []string{`{"a":1}`}, "result: "},
		{"data after the array", `[{"a":1}] {"b":2}`, []string{`{"a":1}`}, "data after the closing ]"},
		{"record too large", `[{"a":"` + strings.Repeat("x", maxRecord+2<<20) + `"}]`, nil, "record 1 is larger than 16777216 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := &collector{}
			err := writeRecords(context.Background(), strings.NewReader(tc.in), "result", out)
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("error %v, want %q", err, tc.err)
			}
			var got []string
			for _, r := range out.records {
				got = append(got, string(r))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("records %q, want %q", got, tc.want)
			}
		})
	}
}
