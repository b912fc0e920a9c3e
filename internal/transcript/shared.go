package transcript

import (
	"errors"
	"os"
	"path/filepath"
)

// SharedDir returns the directory of the protocol's shared test data
// (monoid_protocol.json, specs/, reference/), which sits beside the
// repository checkout as shared/monoid; $MONOID_SHARED overrides the search.
// Tests that need it fail without it: they must not pass without comparing.
func SharedDir() (string, error) {
	if d := os.Getenv("MONOID_SHARED"); d != "" {
		return d, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		cand := filepath.Join(dir, "shared", "monoid")
		if _, err := os.Stat(filepath.Join(cand, "PROTOCOL.md")); err == nil {
			return cand, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("shared test data not found: expected shared/monoid beside the checkout, or set MONOID_SHARED")
		}
		dir = parent
	}
}
