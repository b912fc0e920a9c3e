//go:build unix

package atomicfile

import (
	"fmt"
	"os"
	"syscall"
)

// Locking tells whether writers lock directories here (flock). Without
// it, a leftover is told by its age: an hour.
const Locking = true

// lockDir takes an exclusive lock on directory dir, waiting for it, and
// returns its release. The system drops the lock if the process dies.
func lockDir(dir string) (unlock func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	return func() { f.Close() }, nil // closing the file releases the lock
}

// tryLock takes an exclusive lock on path (a file or a directory) if no
// one holds one, and returns its release, or nil if the lock is held.
func tryLock(path string) (unlock func(), err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if err == syscall.EWOULDBLOCK {
			return nil, nil
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}

// lockStale reports whether a temporary file found with its directory
// locked is stale: with locks, it always is.
func lockStale(string) bool { return true }
