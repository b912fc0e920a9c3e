package demo

import (
	"encoding/json"
	"testing"
)

// TestRowAppendJSON checks the hand-written encoding against encoding/json.
func TestRowAppendJSON(t *testing.T) {
	for _, r := range []Row{0, 7, 1234567} {
		b, err := r.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("row %d: %s is not JSON: %v", r, b, err)
		}
		for _, f := range []string{"id", "email", "name"} {
			want, _ := r.field(f)
			v, _ := json.Marshal(got[f])
			if s := string(v); s != want && s != `"`+want+`"` {
				t.Errorf("row %d: %s = %s, want %s", r, f, s, want)
			}
		}
	}
}
