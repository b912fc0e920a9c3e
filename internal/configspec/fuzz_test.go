package configspec

import (
	"encoding/json"
	"testing"
)

// FuzzLint checks that no spec a connector prints makes the form and
// credential lints panic: check runs them on any connector's output.
func FuzzLint(f *testing.F) {
	f.Add([]byte(`{"type":"object","properties":{"a":{"type":"string","title":"A","order":0}},"required":["a"]}`))
	f.Add([]byte(`{"properties":{"n":{"type":"integer"},"o":{"type":"object","properties":{"api_key":{"type":"string"}}}}}`))
	f.Add([]byte(`{"properties":{"a":null,"b":[1],"c":{"type":["a"]}},"required":[1,null]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if !json.Valid(b) {
			return
		}
		FormProblems(json.RawMessage(b))
		CredentialProblems(json.RawMessage(b))
	})
}
