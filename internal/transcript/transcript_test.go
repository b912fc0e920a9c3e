package transcript

import (
	"strings"
	"testing"
)

// TestCompare checks that nulls are ignored, key order does not matter,
// and every real difference is caught: a changed value, a missing line, an
// extra line, a line out of order, a line that is not JSON.
func TestCompare(t *testing.T) {
	want := `{"type":"VALIDATE","validate_msg":{"status":"SUCCESS","message":null},"log":null}
{"type":"LOG","log":{"message":"x"}}
`
	if err := Compare([]byte(`{"validate_msg":{"status":"SUCCESS"},"type":"VALIDATE"}
{"type":"LOG","log":{"message":"x"}}`), []byte(want)); err != nil {
		t.Errorf("equal transcripts differ: %v", err)
	}
	for got, msg := range map[string]string{
		`{"type":"VALIDATE","validate_msg":{"status":"FAILURE"}}` + "\n" + `{"type":"LOG","log":{"message":"x"}}`:          "line 1 differs",
		`{"type":"VALIDATE","validate_msg":{"status":"SUCCESS"}}`:                                                          "line 2 missing",
		`{"type":"VALIDATE","validate_msg":{"status":"SUCCESS"}}` + "\n" + `{"type":"LOG","log":{"message":"x"}}` + "\n{}": "line 3 unexpected",
		`{"type":"LOG","log":{"message":"x"}}` + "\n" + `{"type":"VALIDATE","validate_msg":{"status":"SUCCESS"}}`:          "line 1 differs",
		`{"type":"VALIDATE"` + "\n": "line 1 is not JSON",
	} {
		err := Compare([]byte(got), []byte(want))
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("Compare(%q): %v, want %q", got, err, msg)
		}
	}
}

func TestArgsIn(t *testing.T) {
	got := strings.Join(Runs[4].ArgsIn("/in"), " ")
	if got != "query -c /in/config.json -p /in/persist.json -q /in/query.json" {
		t.Errorf("ArgsIn: %s", got)
	}
}
