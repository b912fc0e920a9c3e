package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/monoid-gen/monoid-gen/internal/atomicfile"
	"github.com/monoid-gen/monoid-gen/internal/project"
)

// Write puts a new project's files into dir, all or nothing (see Apply).
//
// dir must not exist, or be empty, or force must be set; with force, dir
// may hold other files, but none where the project has one: an author's
// file is never overwritten. A dir that is already a monoid-gen project is
// refused whatever force says: upgrade is the command that changes one.
func Write(dir string, files []File, force bool) error {
	if err := checkPaths(files); err != nil {
		return err
	}
	if err := CheckTarget(dir, files, force); err != nil {
		return err
	}
	changes := make([]Change, len(files))
	for i, f := range files {
		changes[i] = Change{Path: f.Path, Content: f.Content}
	}
	return Apply(dir, changes)
}

// CheckTarget reports whether files may be written into dir as a new
// project, as Write does.
func CheckTarget(dir string, files []File, force bool) error {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !info.IsDir():
		return fmt.Errorf("target %s exists and is not a directory", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, project.File)); err == nil {
		return fmt.Errorf("%s is a monoid-gen project already; run monoid-gen upgrade there to take this version's runtime and generated files (your own files are kept)", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	// What an interrupted run of an earlier release left inside dir does
	// not count: Apply removes it.
	entries = slices.DeleteFunc(entries, func(e fs.DirEntry) bool {
		return atomicfile.Leftover(filepath.Join(dir, e.Name()), stagePrefix)
	})
	if len(entries) == 0 {
		return nil
	}
	if !force {
		return fmt.Errorf("target directory %s exists and is non-empty; use --force to write into it (no existing file is replaced)", dir)
	}
	var clashes []string
	for _, f := range files {
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(f.Path))); err == nil {
			clashes = append(clashes, f.Path)
		}
	}
	if len(clashes) > 0 {
		slices.Sort(clashes)
		return fmt.Errorf("%s already holds %d of the project's files, which --force never replaces: %s; move them away, or choose another --dir", dir, len(clashes), strings.Join(clashes, ", "))
	}
	return nil
}

// checkDestinations refuses paths that would write through a symbolic link
// or where a directory and a file are in each other's way.
func checkDestinations(root *os.Root, changes []Change) error {
	for _, f := range changes {
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
