// Package sourcestest checks, for the packages whose sources monoid-gen
// embeds and copies into every project (the runtime, the conformance
// checks), that the embedded list is complete.
package sourcestest

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Check fails t unless fsys holds exactly the non-test .go files of the
// current directory other than embedder (the file with the go:embed
// line), each identical to the file on disk.
func Check(t *testing.T, fsys fs.FS, embedder string) {
	t.Helper()
	onDisk, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range onDisk {
		if !strings.HasSuffix(f, "_test.go") && f != embedder {
			want = append(want, f)
		}
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
		embedded, _ := fs.ReadFile(fsys, e.Name())
		disk, _ := os.ReadFile(e.Name())
		if string(embedded) != string(disk) {
			t.Errorf("%s: embedded copy differs from the file", e.Name())
		}
	}
	slices.Sort(want)
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("embedded sources are %v, the package has %v", got, want)
	}
}
