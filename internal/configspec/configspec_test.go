package configspec

import (
	"bytes"
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
// its connector package and requires spec.json to be exactly that: a fresh
// project passes `monoid-gen spec --check`.
func TestGoldenProjectsPassCheck(t *testing.T) {
	entries, err := os.ReadDir(goldenDir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("no golden projects in %s: %v", goldenDir, err)
	}
	for _, e := range entries {
		t.Run(e.Name(), func(t *testing.T) {
			current, d, err := Check(filepath.Join(goldenDir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(current, d.JSON) {
				t.Errorf("spec.json of %s is not what monoid-gen spec derives:\n%s", e.Name(), d.JSON)
			}
			if len(d.Warnings) > 0 {
				t.Errorf("warnings on a golden project: %v", d.Warnings)
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
	d, err := FromDir(filepath.Join(goldenDir, "memory"))
	if err != nil {
		t.Fatal(err)
	}
	var got, want any
	if err := json.Unmarshal(d.JSON, &got); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(data, "reference", "inputs", "spec.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("memory spec.json differs from the reference's:\n got %v\nwant %v", got, want)
	}
}

// copyGolden copies a golden project into a temporary directory.
func copyGolden(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(goldenDir, name))); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestSyntaxErrorNamesFile breaks a copy of a golden project and checks
// that the error gives the file:line:col, relative to the project.
func TestSyntaxErrorNamesFile(t *testing.T) {
	dir := copyGolden(t, "defaults")
	os.WriteFile(filepath.Join(dir, "acme", "broken.go"), []byte("package acme\n\nvar broken = \n"), 0o644)
	_, err := FromDir(dir)
	var se *SourceError
	if !errors.As(err, &se) {
		t.Fatalf("error %v, want a SourceError", err)
	}
	if !strings.Contains(err.Error(), "acme/broken.go:3:15: expected operand") {
		t.Errorf("error %q lacks file:line:col and message", err)
	}
}

// TestTypeErrorInConfig checks that a type error inside Config is shown as
// the compiler would, while one elsewhere in the package does not stop
// derivation (only Config's declarations are spec's business).
func TestTypeErrorInConfig(t *testing.T) {
	dir := copyGolden(t, "defaults")
	os.WriteFile(filepath.Join(dir, "acme", "elsewhere.go"), []byte("package acme\n\nvar broken = undefinedThing\n"), 0o644)
	if _, err := FromDir(dir); err != nil {
		t.Errorf("a type error outside Config stops derivation: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "acme", "config.go"), []byte("package acme\n\ntype Config struct {\n\tPort Portnum `json:\"port\"`\n}\n"), 0o644)
	_, err := FromDir(dir)
	if err == nil || !strings.Contains(err.Error(), "acme/config.go:4:7: undefined: Portnum") {
		t.Errorf("error %v, want acme/config.go:4:7: undefined: Portnum", err)
	}
	// In the declaration of a type Config names.
	os.WriteFile(filepath.Join(dir, "acme", "config.go"), []byte("package acme\n\ntype Config struct {\n\tPort Port `json:\"port\"`\n}\n\ntype Port = Portnum\n"), 0o644)
	_, err = FromDir(dir)
	if err == nil || !strings.Contains(err.Error(), "acme/config.go:7:13: undefined: Portnum") {
		t.Errorf("error %v, want acme/config.go:7:13: undefined: Portnum", err)
	}
}

// TestBuildConstraints checks that files the go command would not build
// here are not read: a second Config behind a constraint is no conflict.
func TestBuildConstraints(t *testing.T) {
	dir := copyGolden(t, "defaults")
	os.WriteFile(filepath.Join(dir, "acme", "other.go"), []byte("//go:build never\n\npackage acme\n\ntype Config struct{ X int }\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "acme", "config_test.go"), []byte("package acme\n\nfunc broken( {\n"), 0o644)
	current, d, err := Check(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(current, d.JSON) {
		t.Errorf("derived spec changed:\n%s", d.JSON)
	}
}

func TestNoConfig(t *testing.T) {
	_, err := FromSource("acme/config.go", []byte("package acme\n\ntype Settings struct{}\n"))
	if err == nil || !strings.Contains(err.Error(), "package acme declares no type Config") {
		t.Errorf("error %v", err)
	}
	_, err = FromSource("acme/config.go", []byte("package acme\n\ntype Config []string\n"))
	if err == nil || !strings.Contains(err.Error(), "acme/config.go:3:6: Config is []string, not a struct") {
		t.Errorf("error %v", err)
	}
}
