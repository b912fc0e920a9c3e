// Package atomicfile replaces files so that a reader, or an interrupted
// run, sees either the old content or the new, never a part; and so that
// what an interrupted run leaves behind is cleaned by the next.
//
// Writers of one directory take a lock on it (flock, where the system has
// it) for the time they update a file there: concurrent updates of one
// file run one after the other, each reading what the last wrote, and any
// temporary file found while holding the lock was left by a run that
// died.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Write replaces name with data: it writes a temporary file in the same
// directory, syncs it, and renames it over name. An existing file keeps
// its permissions; a new one gets perm. A symbolic link is followed, and
// the file it leads to is replaced; a read-only file is refused.
func Write(name string, data []byte, perm os.FileMode) error {
	return Update(name, perm, func([]byte, bool) ([]byte, error) { return data, nil })
}

// Update replaces name with what fn makes of its content, as Write does,
// under the directory's lock, so that concurrent updates never lose one
// another's changes. fn receives the current content and whether the
// file exists; if it returns nil data, the file is left as it is.
func Update(name string, perm os.FileMode, fn func(old []byte, exists bool) ([]byte, error)) error {
	target, err := resolve(name)
	if err != nil {
		return err
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return err
	}
	defer unlock()
	removeLeftovers(dir, base)

	old, err := os.ReadFile(target)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	data, err := fn(old, exists)
	if err != nil || data == nil {
		return err
	}
	if exists {
		info, err := os.Stat(target)
		if err != nil {
			return err
		}
		if info.Mode().Perm()&0o200 == 0 {
			// A rename would replace it anyway, permission or not.
			return fmt.Errorf("%s is read-only (mode %v); make it writable to have it changed", name, info.Mode().Perm())
		}
		perm = info.Mode().Perm()
	}
	return replace(dir, base, data, perm)
}

// replace writes data to a temporary file in dir, syncs it and renames it
// over dir/base.
func replace(dir, base string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(dir, tempPrefix(base)+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op once renamed
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp, perm); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, base))
}

// tempPrefix is the name of base's temporary files, less a random suffix.
func tempPrefix(base string) string { return "." + base + ".tmp-" }

// removeLeftovers removes the temporary files of base in dir. It is
// called with dir locked: every live writer of base holds that lock while
// its temporary file exists, so any found now was left by a run that was
// interrupted.
func removeLeftovers(dir, base string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := tempPrefix(base)
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasPrefix(e.Name(), prefix) && lockStale(filepath.Join(dir, e.Name())) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// resolve follows name through symbolic links to the file they lead to,
// which need not exist yet.
func resolve(name string) (string, error) {
	p := name
	for range 40 { // as many links as Linux follows
		info, err := os.Lstat(p)
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			return p, nil
		}
		dest, err := os.Readlink(p)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(p), dest)
		}
		p = dest
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", name)
}
