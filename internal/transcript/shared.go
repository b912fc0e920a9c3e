package transcript

import (
	"errors"
	"os"
	"path/filepath"
)

// DataDir returns testdata/monoid of this repository: the protocol's JSON
// Schema, the official spec files, the platform's YAML files and the
// reference transcripts (see its README.md for where each came from). It
// is found by walking up from the working directory, which for a test is
// its package's directory.
func DataDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		cand := filepath.Join(dir, "testdata", "monoid")
		if _, err := os.Stat(filepath.Join(cand, "monoid_protocol.json")); err == nil {
			return cand, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("protocol test data not found: expected testdata/monoid in the repository")
		}
		dir = parent
	}
}
