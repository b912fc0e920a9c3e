package scaffold

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// before is a project as it stands; changes replace one of its files, add
// one and remove one.
var (
	before = map[string]string{
		"go.mod":       "module x\n",
		"main.go":      "package main // old\n",
		"pkg/old.go":   "package pkg // to remove\n",
		"author.txt":   "untouched\n",
		"pkg/keep.go":  "package pkg\n",
		"deep/a/b.txt": "b\n",
	}
	changes = []Change{
		{Path: "main.go", Content: []byte("package main // new\n")},
		{Path: "pkg/new.go", Content: []byte("package pkg // new\n")},
		{Path: "pkg/old.go", Remove: true},
		{Path: "deep/a/b.txt", Content: []byte("b2\n")},
	}
)

func plant(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		name := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// after is before with changes made.
func after() map[string]string {
	want := map[string]string{}
	for p, c := range before {
		want[p] = c
	}
	for _, c := range changes {
		if c.Remove {
			delete(want, c.Path)
		} else {
			want[c.Path] = string(c.Content)
		}
	}
	return want
}

func sameTree(got, want map[string]string) bool {
	if len(got) != len(want) {
		return false
	}
	for p, c := range want {
		if got[p] != c {
			return false
		}
	}
	return true
}

// assertClean fails if anything of monoid-gen's is left beside dir.
func assertClean(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Dir(dir))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), stagePrefix) {
			t.Errorf("left %s beside the project", e.Name())
		}
	}
}

func TestApplyChangesEveryFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	plant(t, dir, before)
	if err := Apply(dir, changes); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, dir); !sameTree(got, after()) {
		t.Errorf("got %v\nwant %v", got, after())
	}
	assertClean(t, dir)
}

// steps are the names crashHook sees while Apply makes changes.
func steps() []string {
	s := []string{"stage", "journal"}
	for i := range changes {
		s = append(s, fmt.Sprintf("move %d", i+1))
	}
	return append(s, "done")
}

// TestApplyFailsAtEachStep injects a failure at every step and checks that
// the project is as it was, with nothing left behind.
func TestApplyFailsAtEachStep(t *testing.T) {
	for _, at := range steps() {
		t.Run(at, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "p")
			plant(t, dir, before)
			injected := errors.New("injected")
			crashHook = func(s string) error {
				if s == at {
					return injected
				}
				return nil
			}
			defer func() { crashHook = nil }()
			if err := Apply(dir, changes); !errors.Is(err, injected) {
				t.Fatalf("Apply: %v, want the injected failure", err)
			}
			if got := readTree(t, dir); !sameTree(got, before) {
				t.Errorf("after a failure at %s:\ngot  %v\nwant %v", at, got, before)
			}
			assertClean(t, dir)
		})
	}
}

// TestApplyFailsOnARealError makes one move fail for real (a read-only
// directory) and checks the rollback.
func TestApplyFailsOnARealError(t *testing.T) {
	if os.Getuid() == 0 {
		t.Skip("SKIP: root ignores directory permissions; the injected failures of TestApplyFailsAtEachStep cover the rollback")
	}
	dir := filepath.Join(t.TempDir(), "p")
	plant(t, dir, before)
	os.Chmod(filepath.Join(dir, "deep", "a"), 0o555)
	defer os.Chmod(filepath.Join(dir, "deep", "a"), 0o755)
	if err := Apply(dir, changes); err == nil {
		t.Fatal("Apply succeeded")
	}
	if got := readTree(t, dir); !sameTree(got, before) {
		t.Errorf("got %v\nwant %v", got, before)
	}
}

// crashEnv makes the test binary apply changes and kill itself with
// SIGKILL at the step it names.
const crashEnv = "SCAFFOLD_TEST_KILL_AT"

func TestMain(m *testing.M) {
	if at := os.Getenv(crashEnv); at != "" {
		crashHook = func(s string) error {
			if s == at {
				syscall.Kill(os.Getpid(), syscall.SIGKILL)
			}
			return nil
		}
		Apply(os.Args[len(os.Args)-1], changes)
		os.Exit(3) // not reached when the step comes
	}
	code := m.Run()
	for _, d := range binDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

// TestApplyKilledAtEachStep kills a process applying the changes at every
// step, then checks that each file is as it was or as intended, and that
// the next run (Recover) puts the project back as it was and removes the
// staging directory.
func TestApplyKilledAtEachStep(t *testing.T) {
	for _, at := range steps() {
		t.Run(at, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "p")
			plant(t, dir, before)
			cmd := exec.Command(os.Args[0], "-test.run=^$", dir)
			cmd.Env = append(os.Environ(), crashEnv+"="+at)
			err := cmd.Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("the child was not killed at %s: %v", at, err)
			}
			got, old, new := readTree(t, dir), before, after()
			for p := range mergeKeys(got, old, new) {
				if c, ok := got[p]; ok && c != old[p] && c != new[p] {
					t.Errorf("after a kill at %s, %s is %q: neither as it was nor as intended", at, p, c)
				}
			}
			if err := Recover(dir); err != nil {
				t.Fatal(err)
			}
			if got := readTree(t, dir); !sameTree(got, before) {
				t.Errorf("after Recover:\ngot  %v\nwant %v", got, before)
			}
			assertClean(t, dir)
		})
	}
}

func mergeKeys(ms ...map[string]string) map[string]bool {
	keys := map[string]bool{}
	for _, m := range ms {
		for k := range m {
			keys[k] = true
		}
	}
	return keys
}
