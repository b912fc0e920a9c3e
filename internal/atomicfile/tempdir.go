package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// TempDir creates a staging directory in parent, named prefix and a
// random suffix, and holds it for this process until release is called:
// a staging directory no live process holds was left by an interrupted
// run, and TempDir removes those of the same prefix first. Creating and
// removing run under parent's lock, so that a directory another run has
// just created is never taken for a leftover.
func TempDir(parent, prefix string) (dir string, release func(), err error) {
	unlock, err := lockDir(parent)
	if err != nil {
		return "", nil, err
	}
	defer unlock()
	if err := removeStale(parent, prefix); err != nil {
		return "", nil, err
	}
	dir, err = os.MkdirTemp(parent, prefix)
	if err != nil {
		return "", nil, err
	}
	release, err = tryLock(dir)
	if err == nil && release == nil {
		err = fmt.Errorf("lock %s: held by another process", dir)
	}
	if err != nil {
		os.Remove(dir)
		return "", nil, err
	}
	return dir, release, nil
}

// Leftover reports whether path is a staging directory of prefix that an
// interrupted run left: no live process holds it.
func Leftover(path, prefix string) bool {
	if !strings.HasPrefix(filepath.Base(path), prefix) {
		return false
	}
	if info, err := os.Lstat(path); err != nil || !info.IsDir() {
		return false
	}
	release, err := tryLock(path)
	if err != nil || release == nil {
		return false
	}
	release()
	return true
}

// removeStale removes the staging directories of prefix in parent that no
// live process holds.
func removeStale(parent, prefix string) error {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		path := filepath.Join(parent, e.Name())
		release, err := tryLock(path)
		if err != nil || release == nil {
			continue // in use, or not ours to judge
		}
		err = os.RemoveAll(path)
		release()
		if err != nil {
			return fmt.Errorf("remove %s, left by an interrupted run: %w", path, err)
		}
	}
	return nil
}
