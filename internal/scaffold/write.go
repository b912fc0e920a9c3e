package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/monoid-gen/monoid-gen/internal/atomicfile"
)

// Write puts files into dir, all or nothing: they are first written to a
// staging directory, and moved into place only when every one is written.
//
// A dir that does not exist is created by renaming the staging directory,
// in one step. An existing dir must be empty unless force is set; with
// force, existing files of the same names are replaced, others are left
// alone. Every path is resolved through os.Root, so no file lands outside
// dir, even through a symbolic link inside it. A staging directory that an
// interrupted run left, beside dir or inside it, is removed.
func Write(dir string, files []File, force bool) error {
	if err := checkPaths(files); err != nil {
		return err
	}
	if err := CheckTarget(dir, force); err != nil {
		return err
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return writeNew(dir, files)
	}
	return writeInto(dir, files)
}

// stagePrefix names Write's staging directories. One that an interrupted
// run left behind is removed by the next Write in the same place.
const stagePrefix = ".monoid-gen-"

// CheckTarget reports whether a project may be written into dir: it must
// not exist, or be a directory that is empty, or force must be set.
func CheckTarget(dir string, force bool) error {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !info.IsDir():
		return fmt.Errorf("target %s exists and is not a directory", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	// What an interrupted run left does not count: Write removes it.
	entries = slices.DeleteFunc(entries, func(e fs.DirEntry) bool {
		return atomicfile.Leftover(filepath.Join(dir, e.Name()), stagePrefix)
	})
	if len(entries) > 0 && !force {
		return fmt.Errorf("target directory %s exists and is non-empty; use --force to write into it (files of the same names are replaced)", dir)
	}
	return nil
}

// writeNew stages the project beside dir, then renames it into place.
func writeNew(dir string, files []File) error {
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	staging, release, err := atomicfile.TempDir(parent, stagePrefix)
	if err != nil {
		return err
	}
	defer release()
	if err := writeAll(staging, files); err != nil {
		os.RemoveAll(staging)
		return err
	}
	if err := os.Chmod(staging, 0o755); err != nil {
		os.RemoveAll(staging)
		return err
	}
	if err := os.Rename(staging, dir); err != nil {
		os.RemoveAll(staging)
		return fmt.Errorf("move project into %s: %w", dir, err)
	}
	return nil
}

// writeInto stages the project in a hidden directory inside dir, then
// renames each file into place.
func writeInto(dir string, files []File) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	staging, release, err := atomicfile.TempDir(dir, stagePrefix)
	if err != nil {
		return err
	}
	defer release()
	defer os.RemoveAll(staging)
	if err := writeAll(staging, files); err != nil {
		return err
	}
	// Find every obstacle before moving anything, so that a refusal
	// leaves dir as it was.
	if err := checkDestinations(root, files); err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	stageName := filepath.Base(staging)
	return eachFile(root, files, func(f File) error {
		if err := root.Rename(path.Join(stageName, f.Path), f.Path); err != nil {
			return fmt.Errorf("move %s into place: %w", f.Path, err)
		}
		return nil
	})
}

// eachFile creates the directory of each file under root, then calls fn
// with the file.
func eachFile(root *os.Root, files []File, fn func(File) error) error {
	for _, f := range files {
		if d := path.Dir(f.Path); d != "." {
			if err := root.MkdirAll(d, 0o755); err != nil {
				return fmt.Errorf("create %s: %w", filepath.Join(root.Name(), d), err)
			}
		}
		if err := fn(f); err != nil {
			return err
		}
	}
	return nil
}

// writeAll writes every file under dir through an os.Root.
func writeAll(dir string, files []File) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	return eachFile(root, files, func(f File) error {
		if err := root.WriteFile(f.Path, f.Content, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", f.Path, err)
		}
		return nil
	})
}

// checkDestinations refuses paths that would write through a symbolic link
// or where a directory and a file are in each other's way.
func checkDestinations(root *os.Root, files []File) error {
	for _, f := range files {
		parts := strings.Split(f.Path, "/")
		for i := range parts {
			p := strings.Join(parts[:i+1], "/")
			info, err := root.Lstat(p)
			if errors.Is(err, fs.ErrNotExist) {
				break
			}
			if err != nil {
				return err
			}
			last := i == len(parts)-1
			switch {
			case info.Mode()&fs.ModeSymlink != 0:
				return fmt.Errorf("refusing to write %s through the symbolic link %s", f.Path, p)
			case last && info.IsDir():
				return fmt.Errorf("cannot write %s: a directory is in the way", f.Path)
			case !last && !info.IsDir():
				return fmt.Errorf("cannot write %s: %s is a file, not a directory", f.Path, p)
			}
		}
	}
	return nil
}
