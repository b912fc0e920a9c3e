package protocol

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestSourcesListsEveryFile checks that the embedded sources are exactly
// the package's non-test files other than sources.go, so that a new file
// cannot be left out of generated projects.
func TestSourcesListsEveryFile(t *testing.T) {
	onDisk, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range onDisk {
		if !strings.HasSuffix(f, "_test.go") && f != "sources.go" {
			want = append(want, f)
		}
	}
	entries, err := fs.ReadDir(Sources, ".")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
		embedded, _ := fs.ReadFile(Sources, e.Name())
		disk, _ := os.ReadFile(e.Name())
		if string(embedded) != string(disk) {
			t.Errorf("%s: embedded copy differs from the file", e.Name())
		}
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Sources holds %v, the package has %v", got, want)
	}
}
