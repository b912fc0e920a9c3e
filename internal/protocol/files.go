package protocol

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// fileGuard checks that FILE records point inside the persistence
// directory: the platform copies only that directory back out, so a file
// anywhere else is lost.
type fileGuard struct {
	root string // temp_store, absolute and with symlinks resolved; "" if unknown
}

func newFileGuard(tempStore string) fileGuard {
	if tempStore == "" {
		return fileGuard{}
	}
	return fileGuard{root: resolve(tempStore)}
}

// check returns an error unless path resolves to a location strictly inside
// the persistence directory. A relative path is taken relative to it.
func (g fileGuard) check(path string) error {
	if g.root == "" {
		return errors.New("file record written without a persistence directory (-p)")
	}
	p := path
	if !filepath.IsAbs(p) {
		p = filepath.Join(g.root, p)
	}
	rel, err := filepath.Rel(g.root, resolve(p))
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("file record %q is not inside temp_store %q: the platform can only read files written there", path, g.root)
	}
	return nil
}

// resolve makes p absolute and clean and follows symbolic links as far as
// the path exists, so that a link cannot lead a file out of the directory.
func resolve(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	// Resolve the longest existing prefix; the rest may not exist yet.
	rest := ""
	for cur := abs; ; {
		if real, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(real, rest)
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = parent
	}
}
