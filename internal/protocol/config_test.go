package protocol

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLoadConfigDefaults checks that absent properties take the spec's
// defaults, inside present objects too, that present ones keep their
// value, that an absent object stays absent, and that integers beyond
// float64's precision come through exact.
func TestLoadConfigDefaults(t *testing.T) {
	spec, err := parseSpec([]byte(`{"spec":{"type":"object","properties":{
		"host":{"type":"string","default":"localhost"},
		"port":{"type":"integer","default":5432},
		"tags":{"type":"array","items":{"type":"string"},"default":["a","b"]},
		"id":{"type":"integer"},
		"tls":{"type":"object","properties":{"verify":{"type":"boolean","default":true},"ca":{"type":"string"}}},
		"pool":{"type":"object","properties":{"size":{"type":"integer","default":4}}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	type config struct {
		Host string   `json:"host"`
		Port int      `json:"port"`
		Tags []string `json:"tags"`
		ID   int64    `json:"id"`
		TLS  struct {
			Verify bool   `json:"verify"`
			CA     string `json:"ca"`
		} `json:"tls"`
		Pool *struct {
			Size int `json:"size"`
		} `json:"pool"`
	}
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte(`{"port":6543,"id":9007199254740993,"tls":{"ca":"x"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := decodeConfig[config](spec, path, mustRead(t, path))
	if err != nil {
		t.Fatal(err)
	}
	if got.Host != "localhost" || got.Port != 6543 || len(got.Tags) != 2 || got.Tags[1] != "b" {
		t.Errorf("host %q, port %d, tags %q; want the default localhost, the given 6543, the default [a b]", got.Host, got.Port, got.Tags)
	}
	if !got.TLS.Verify || got.TLS.CA != "x" {
		t.Errorf("tls %+v, want verify filled by its default and ca kept", got.TLS)
	}
	if got.Pool != nil {
		t.Errorf("pool %+v, want it absent as in the file", got.Pool)
	}
	if got.ID != 9007199254740993 {
		t.Errorf("id %d, want 9007199254740993 exactly", got.ID)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
