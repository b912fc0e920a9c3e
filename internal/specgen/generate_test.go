package specgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/transcript"
)

// goldenDir holds the golden projects of `monoid-gen new`.
const goldenDir = "../../testdata/golden"

// TestGoldenProjectsPassCheck derives the spec of every golden project from
// its Config, through the generator program, and requires spec.json to be
// exactly that: a fresh project passes `monoid-gen spec --check`.
func TestGoldenProjectsPassCheck(t *testing.T) {
	entries, err := os.ReadDir(goldenDir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("no golden projects in %s: %v", goldenDir, err)
	}
	for _, e := range entries {
		t.Run(e.Name(), func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(goldenDir, e.Name())
			s, err := Derive(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			have, err := os.ReadFile(filepath.Join(dir, "spec.json"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(have, s.Marshal()) {
				t.Errorf("spec.json of %s is not what monoid-gen spec derives:\n%s", e.Name(), s.Marshal())
			}
		})
	}
}

// TestMemorySpecIsReference checks that the memory template's spec is the
// reference connector's spec.json, as JSON.
func TestMemorySpecIsReference(t *testing.T) {
	data, err := transcript.DataDir()
	if err != nil {
		t.Fatal(err)
	}
	var got, want any
	b, _ := os.ReadFile(filepath.Join(goldenDir, "memory", "spec.json"))
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(filepath.Join(data, "reference", "inputs", "spec.json"))
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("memory spec.json differs from the reference's:\n got %v\nwant %v", got, want)
	}
}

// TestCompileErrorShowsCompiler breaks a copy of a golden project and
// checks that the error is the compiler's, with a path in the project.
func TestCompileErrorShowsCompiler(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(goldenDir, "defaults"))); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "acme", "config.go")
	b, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, append(b, "\nvar broken = undefinedThing\n"...), 0o644)
	_, err := Derive(context.Background(), dir)
	var ce *CompileError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v, want a CompileError", err)
	}
	if !strings.Contains(ce.Output, "acme/config.go:") || !strings.Contains(ce.Output, "undefined: undefinedThing") {
		t.Errorf("compiler output %q lacks file:line and message", ce.Output)
	}
}
