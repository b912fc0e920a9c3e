package scaffold

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/atomicfile"
)

var sample = []File{
	{Path: "go.mod", Content: []byte("module x\n")},
	{Path: "pkg/a.go", Content: []byte("package pkg\n")},
	{Path: ".gitignore", Content: []byte("/bin/\n")},
}

func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			got[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	return got
}

func TestWriteNewDirectory(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "deep", "project")
	if err := Write(dir, sample, false); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, dir)
	if len(got) != len(sample) {
		t.Errorf("wrote %v", got)
	}
	for _, f := range sample {
		if got[f.Path] != string(f.Content) {
			t.Errorf("%s = %q", f.Path, got[f.Path])
		}
	}
	entries, _ := os.ReadDir(filepath.Join(parent, "deep"))
	if len(entries) != 1 {
		t.Errorf("staging left behind: %v", entries)
	}
}

// TestWriteAllOrNothing makes the last file fail and checks that nothing
// at all was written.
func TestWriteAllOrNothing(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "project")
	bad := append(append([]File(nil), sample...), File{Path: "go.mod/x", Content: []byte("a file under a file")})
	if err := Write(dir, bad, false); err == nil {
		t.Fatal("Write succeeded")
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("a failed Write left %v", entries)
	}
}

func TestWriteRefusesNonEmptyWithoutForce(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("mine\n"), 0o644)
	err := Write(dir, sample, false)
	if err == nil || !strings.Contains(err.Error(), "exists and is non-empty; use --force") {
		t.Fatalf("error %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "go.mod")); string(b) != "mine\n" {
		t.Errorf("existing file changed to %q", b)
	}
	err = Write(dir, sample, true)
	if err == nil || !strings.Contains(err.Error(), "already holds 1 of the project's files, which --force never replaces: go.mod") {
		t.Fatalf("--force over a clash: error %v, want a refusal listing go.mod", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "go.mod")); string(b) != "mine\n" {
		t.Errorf("--force replaced go.mod: %q", b)
	}
	os.Rename(filepath.Join(dir, "go.mod"), filepath.Join(dir, "notes.txt"))
	if err := Write(dir, sample, true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "notes.txt")); string(b) != "mine\n" {
		t.Errorf("--force changed another file: %q", b)
	}
}

func TestWriteRefusesAProject(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "monoid-gen.json"), []byte("{}\n"), 0o644)
	for _, force := range []bool{false, true} {
		err := Write(dir, sample, force)
		if err == nil || !strings.Contains(err.Error(), "is a monoid-gen project already; run monoid-gen upgrade") {
			t.Errorf("force=%v: error %v, want a refusal pointing to upgrade", force, err)
		}
	}
}

// TestWriteNeverLeavesTheDirectory plants a symbolic link to a directory
// outside and checks that --force refuses to write through it, changing
// nothing.
func TestWriteNeverLeavesTheDirectory(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "pkg")); err != nil {
		t.Fatal(err)
	}
	err := Write(dir, sample, true)
	if err == nil || !strings.Contains(err.Error(), "symbolic link pkg") {
		t.Fatalf("error %v, want a refusal naming the link", err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("wrote outside the project: %v", entries)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
		t.Error("a refused Write still wrote go.mod")
	}
}

func TestCheckPathsRefusesEscapes(t *testing.T) {
	for _, p := range []string{"../x", "/etc/passwd", "a/../../b", "", "a//b", "./a"} {
		if err := checkPaths([]File{{Path: p}}); err == nil {
			t.Errorf("path %q accepted", p)
		}
	}
	if err := checkPaths([]File{{Path: "a"}, {Path: "a"}}); err == nil {
		t.Error("duplicate paths accepted")
	}
}

// leftover makes a staging directory as an interrupted Write leaves it:
// named as Write names it, half filled, held by no process.
func leftover(t *testing.T, parent string) string {
	t.Helper()
	dir, err := os.MkdirTemp(parent, stagePrefix)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestWriteCleansInterruptedRun: the staging directory an interrupted run
// left, beside the target or inside it, is removed by the next run, which
// then writes the project as if it were not there.
func TestWriteCleansInterruptedRun(t *testing.T) {
	if !atomicfile.Locking {
		t.Skip("SKIP: without flock, a leftover is told by its age, not by a lock")
	}
	t.Run("beside", func(t *testing.T) {
		parent := t.TempDir()
		old := leftover(t, parent)
		if err := Write(filepath.Join(parent, "project"), sample, false); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(old); !os.IsNotExist(err) {
			t.Errorf("%s is still there (%v)", old, err)
		}
	})
	t.Run("inside", func(t *testing.T) {
		dir := t.TempDir()
		old := leftover(t, dir)
		// Without --force: the leftover does not make the directory
		// non-empty.
		if err := Write(dir, sample, false); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(old); !os.IsNotExist(err) {
			t.Errorf("%s is still there (%v)", old, err)
		}
		if got := readTree(t, dir); len(got) != len(sample) {
			t.Errorf("project holds %v", got)
		}
	})
}
