//go:build !unix

package atomicfile

import (
	"os"
	"time"
)

// Locking tells whether writers lock directories here (flock). Without
// it, a leftover is told by its age: an hour.
const Locking = false

// Without flock, writers do not exclude one another, and what an
// interrupted run left is told by its age.

func lockDir(string) (func(), error) { return func() {}, nil }

// tryLock cannot tell whether another process uses path; it takes path as
// in use unless it is older than staleAge.
func tryLock(path string) (func(), error) {
	if lockStale(path) {
		return func() {}, nil
	}
	return nil, nil
}

// staleAge is the age past which, without locks, a temporary file or
// staging directory counts as left by an interrupted run.
const staleAge = time.Hour

func lockStale(path string) bool {
	info, err := os.Stat(path)
	return err == nil && time.Since(info.ModTime()) > staleAge
}
