package scaffold

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rogpeppe/go-internal/diff"
)

var update = flag.Bool("update", false, "rewrite the golden projects in testdata/golden")

// goldenDir holds one complete generated project per case.
const goldenDir = "../../testdata/golden"

// goldenCases are the projects pinned byte for byte. Version and id are
// fixed so that output is deterministic.
var goldenCases = []struct {
	name string
	opts Options
}{
	{"defaults", Options{Name: "acme"}},
	{"two-stores", Options{Name: "google-sheets", Module: "example.com/connectors/sheets",
		Stores: []string{"spreadsheets", "cell_values"}, Image: "monoidco/monoid-sheets", Tag: "1.2.0"}},
	{"memory", Options{Name: "demo", Template: "memory"}},
	{"postgres", Options{Name: "shop", Template: "postgres"}},
	{"mysql", Options{Name: "shop", Template: "mysql"}},
	{"export", Options{Name: "acme", Template: "export"}},
}

func goldenOptions(o Options, i int) Options {
	o.Version = "v0.0.0-golden"
	o.NewID = func() string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1) }
	return o
}

// TestGolden renders each case and compares every file with the golden
// project, byte for byte; -update rewrites the golden projects instead.
func TestGolden(t *testing.T) {
	for i, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			o := goldenOptions(tc.opts, i)
			files, err := Render(&o)
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(goldenDir, tc.name)
			if *update {
				if err := os.RemoveAll(dir); err != nil {
					t.Fatal(err)
				}
				if err := Write(dir, files, false); err != nil {
					t.Fatal(err)
				}
				if refreshExampleSum(t, o, dir) {
					// The templates are embedded when the test is built:
					// the new go.sum reaches the project on the next run.
					t.Logf("the %s example's go.sum changed: run make golden again", tc.name)
				}
				t.Logf("rewrote %s (%d files)", dir, len(files))
				return
			}
			compareTree(t, dir, files)
		})
	}
}

// refreshExampleSum runs go mod tidy in the golden project at dir, made
// from an example template, and writes its go.sum and go.mod to the
// example's exampleSumFile and exampleModFile when they differ; it reports
// whether it did. An example
// that needs no module beyond the runtime's has no such file.
func refreshExampleSum(t *testing.T, o Options, dir string) bool {
	tmpl, _ := lookupTemplate(o.Template)
	if tmpl.Example == "" {
		return false
	}
	cmd := exec.Command("go", "mod", "tidy")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go mod tidy in %s: %v\n%s", dir, err, out)
	}
	changed := false
	for _, f := range []struct{ project, example string }{{"go.sum", exampleSumFile}, {"go.mod", exampleModFile}} {
		got, err := os.ReadFile(filepath.Join(dir, f.project))
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Join("../../templates/examples", tmpl.Example, f.example)
		old, _ := os.ReadFile(name)
		if bytes.Equal(got, old) {
			continue
		}
		if len(old) == 0 {
			// An example that imports only what the runtime does
			// needs no file: the runtime's requirements give its
			// go.mod and go.sum.
			mods, err := exampleImports(tmpl.Example)
			if err != nil {
				t.Fatal(err)
			}
			if len(mods) == 0 {
				continue
			}
		}
		if err := os.WriteFile(name, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote %s", name)
		changed = true
	}
	return changed
}

// compareTree reports every difference between files and the tree at dir:
// unexpected files, missing files, and wrong content with a diff. It fails
// when dir holds no files at all, so it can never pass without comparing.
func compareTree(t *testing.T, dir string, files []File) {
	t.Helper()
	onDisk := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		onDisk[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil || len(onDisk) == 0 {
		t.Fatalf("golden project %s is missing or empty (%v); run make golden", dir, err)
	}
	rendered := map[string]bool{}
	for _, f := range files {
		rendered[f.Path] = true
		want, ok := onDisk[f.Path]
		if !ok {
			t.Errorf("unexpected file %s (run make golden if intended)", f.Path)
			continue
		}
		if !bytes.Equal(f.Content, want) {
			t.Errorf("wrong %s:\n%s", f.Path, diff.Diff("golden/"+f.Path, want, "rendered/"+f.Path, f.Content))
		}
	}
	var missing []string
	for p := range onDisk {
		if !rendered[p] {
			missing = append(missing, p)
		}
	}
	slices.Sort(missing)
	for _, p := range missing {
		t.Errorf("missing file %s", p)
	}
}
