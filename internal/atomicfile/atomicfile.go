// Package atomicfile replaces files so that a reader, or an interrupted
// run, sees either the old content or the new, never a part.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write replaces name with data: it writes a temporary file in the same
// directory, syncs it, and renames it over name. An existing file keeps
// its permissions; a new one gets perm.
func Write(name string, data []byte, perm os.FileMode) error {
	if info, err := os.Stat(name); err == nil {
		perm = info.Mode().Perm()
	}
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-*")
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
	return os.Rename(tmp, name)
}
