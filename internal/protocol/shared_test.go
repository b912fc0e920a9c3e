package protocol_test

import (
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/transcript"
)

// dataDir returns testdata/monoid or fails the test.
func dataDir(t testing.TB) string {
	t.Helper()
	d, err := transcript.DataDir()
	if err != nil {
		t.Fatal(err)
	}
	return d
}
