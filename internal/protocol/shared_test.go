package protocol_test

import (
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/transcript"
)

// sharedDir returns ../shared/monoid or fails the test.
func sharedDir(t testing.TB) string {
	t.Helper()
	d, err := transcript.SharedDir()
	if err != nil {
		t.Fatal(err)
	}
	return d
}
