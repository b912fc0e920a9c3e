package protocol_test

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedDir returns the monoid directory of the shared test data, which
// sits beside the repository checkout (../shared/monoid). MONOID_SHARED
// overrides the search. Its absence fails the test: the tests that need it
// must not pass without comparing.
func sharedDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("MONOID_SHARED"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		cand := filepath.Join(dir, "shared", "monoid")
		if _, err := os.Stat(filepath.Join(cand, "PROTOCOL.md")); err == nil {
			return cand
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("shared test data not found: expected shared/monoid beside the checkout, or set MONOID_SHARED")
		}
		dir = parent
	}
}
