package protocol_test

import (
	"context"
	"strings"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
	"github.com/monoid-gen/monoid-gen/templates/examples/memory"
)

func TestSpecLine(t *testing.T) {
	spec := []byte("{\n  \"documentationUrl\": \"https://example.com/<docs>\",\n  \"connectionSpecification\": {\"type\": \"object\"}\n}\n")
	got, err := protocol.SpecLine(spec)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"SPEC","spec":{"documentationUrl":"https://example.com/<docs>","connectionSpecification":{"type":"object"}}}` + "\n"
	if string(got) != want {
		t.Errorf("SpecLine = %s, want %s", got, want)
	}
	if _, err := protocol.SpecLine([]byte(`{"a":`)); err == nil || !strings.Contains(err.Error(), "spec.json") {
		t.Errorf("SpecLine of truncated JSON: error %v, want one naming spec.json", err)
	}
}

// TestBadSpecIsOneLogLine checks that an embedded spec.json that is not
// JSON fails spec with one LOG line and nothing on stdout.
func TestBadSpecIsOneLogLine(t *testing.T) {
	var stdout, stderr strings.Builder
	code := protocol.Execute(context.Background(), memory.Silo{}, []byte(`{"spec":`), protocol.Env{Args: []string{"spec"}, Stdout: &stdout, Stderr: &stderr})
	r := result{code, stdout.String(), stderr.String()}
	assertOneLog(t, r, 1, "spec: embedded spec.json is not valid JSON")
}
