package scaffold

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/monoid-gen/monoid-gen/internal/atomicfile"
)

// A Change is one file of a project to write, or to remove.
type Change struct {
	Path    string // relative, slash-separated
	Content []byte // the new content; ignored when Remove
	Remove  bool
}

// stagePrefix starts the name of a staging directory, which sits beside
// the project directory (on the same file system, so that renames are
// atomic, and outside the project, so that nothing of monoid-gen's is ever
// left inside it). The project's base name follows, then a random suffix.
const stagePrefix = ".monoid-gen-"

// journalName is the file in a staging directory that lists, once every
// new file is staged and before the first rename into the project, each
// change as "new PATH", "replace PATH" or "remove PATH". A staging
// directory with a journal belongs to a run that may have changed the
// project; one without it changed nothing.
const journalName = "journal"

// crashHook, when set, is called before each step of Apply with the step's
// name ("stage", "journal", "move N", "done"); an error it returns fails
// that step. Tests use it to fail, or to kill the process, at each step.
var crashHook func(step string) error

func step(name string) error {
	if crashHook == nil {
		return nil
	}
	return crashHook(name)
}

// Apply makes changes in dir all at once or not at all. Every new content
// is first written to a staging directory beside dir; then each file is
// moved into place, an existing one moved aside into the staging
// directory first. A failure at any step puts back every file as it was
// and removes the staging directory. A run killed midway leaves its
// staging directory, with a journal, beside dir: the next Apply on dir
// (or Recover) puts the files it had changed back as they were.
//
// A dir that does not exist is created whole by renaming the staging
// directory into place. Paths are resolved through os.Root, so no file
// lands outside dir, even through a symbolic link inside it.
func Apply(dir string, changes []Change) (err error) {
	if err := checkChanges(changes); err != nil {
		return err
	}
	if err := Recover(dir); err != nil {
		return err
	}
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	// The staging directory is held (flock) while this run lives, so that
	// a concurrent run never takes it for an interrupted one.
	stage, release, err := atomicfile.TempDir(parent, stagePrefix+filepath.Base(dir)+"-")
	if err != nil {
		return fmt.Errorf("create a staging directory beside %s: %w", dir, err)
	}
	defer release()
	defer func() {
		if err != nil {
			os.RemoveAll(stage)
		}
	}()
	if err := step("stage"); err != nil {
		return err
	}
	newDir := filepath.Join(stage, "new")
	if err := writeChanges(newDir, changes); err != nil {
		return err
	}
	if _, statErr := os.Stat(dir); errors.Is(statErr, fs.ErrNotExist) {
		if err := os.Chmod(newDir, 0o755); err != nil {
			return err
		}
		if err := step("move 0"); err != nil {
			return err
		}
		if err := os.Rename(newDir, dir); err != nil {
			return fmt.Errorf("move the project into %s: %w", dir, err)
		}
		return os.RemoveAll(stage)
	}
	if err := commit(dir, stage, changes); err != nil {
		return err
	}
	// Removing the staging directory, journal first, is what makes the
	// run final.
	return os.RemoveAll(stage)
}

// commit moves the staged files of changes into dir, after journaling
// them; on failure it rolls back what it moved.
func commit(dir, stage string, changes []Change) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	if err := checkDestinations(root, changes); err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	entries := make([]journalEntry, len(changes))
	for i, c := range changes {
		entries[i] = journalEntry{op: "new", path: c.Path}
		if _, err := root.Lstat(c.Path); err == nil {
			entries[i].op = "replace"
		}
		if c.Remove {
			entries[i].op = "remove"
		}
	}
	if err := step("journal"); err != nil {
		return err
	}
	if err := writeJournal(stage, entries); err != nil {
		return err
	}
	for i, e := range entries {
		if err := step(fmt.Sprintf("move %d", i+1)); err != nil {
			return errors.Join(err, rollback(dir, stage, entries[:i]))
		}
		if err := moveOne(root, stage, e); err != nil {
			return errors.Join(err, rollback(dir, stage, entries[:i+1]))
		}
	}
	if err := step("done"); err != nil {
		return errors.Join(err, rollback(dir, stage, entries))
	}
	return nil
}

// moveOne moves the file e names aside into the staging directory, when
// there is one, and the staged new content into its place.
func moveOne(root *os.Root, stage string, e journalEntry) error {
	if e.op != "new" {
		aside := filepath.Join(stage, "old", filepath.FromSlash(e.path))
		if err := os.MkdirAll(filepath.Dir(aside), 0o755); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(root.Name(), filepath.FromSlash(e.path)), aside); err != nil {
			return fmt.Errorf("move %s aside: %w", e.path, err)
		}
	}
	if e.op == "remove" {
		return nil
	}
	if d := path.Dir(e.path); d != "." {
		if err := root.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", d, err)
		}
	}
	if err := os.Rename(filepath.Join(stage, "new", filepath.FromSlash(e.path)), filepath.Join(root.Name(), filepath.FromSlash(e.path))); err != nil {
		return fmt.Errorf("move %s into place: %w", e.path, err)
	}
	return nil
}

// rollback undoes entries, last first: a new file is removed, a replaced
// or removed one put back from the staging directory. A step that finds
// nothing to undo (the run stopped before it) is skipped.
func rollback(dir, stage string, entries []journalEntry) error {
	var errs []error
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		dest := filepath.Join(dir, filepath.FromSlash(e.path))
		aside := filepath.Join(stage, "old", filepath.FromSlash(e.path))
		if e.op == "new" {
			// Only a file that reached its place is removed.
			if _, err := os.Stat(filepath.Join(stage, "new", filepath.FromSlash(e.path))); errors.Is(err, fs.ErrNotExist) {
				if err := os.Remove(dest); err != nil && !errors.Is(err, fs.ErrNotExist) {
					errs = append(errs, err)
				}
			}
			continue
		}
		if _, err := os.Lstat(aside); err != nil {
			continue // never moved aside
		}
		if err := os.Rename(aside, dest); err != nil {
			errs = append(errs, fmt.Errorf("put back %s: %w", e.path, err))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("could not put every file of %s back as it was (the originals are in %s): %w", dir, stage, errors.Join(errs...))
	}
	return nil
}

// Recover finds the staging directories an interrupted run left beside
// dir (those no live process holds), puts back every file such a run had
// changed, and removes them. It also removes the staging directories that
// an interrupted run of an earlier release left inside dir: those held
// only staged copies.
func Recover(dir string) error {
	dir = filepath.Clean(dir)
	inside, err := filepath.Glob(filepath.Join(globEscape(dir), stagePrefix+"*"))
	if err != nil {
		return err
	}
	for _, stage := range inside {
		if atomicfile.Leftover(stage, stagePrefix) {
			if err := os.RemoveAll(stage); err != nil {
				return err
			}
		}
	}
	beside, err := filepath.Glob(filepath.Join(globEscape(filepath.Dir(dir)), stagePrefix+"*"))
	if err != nil {
		return err
	}
	mine := stagePrefix + filepath.Base(dir) + "-"
	for _, stage := range beside {
		if !atomicfile.Leftover(stage, stagePrefix) {
			continue // a live run's
		}
		entries, err := readJournal(stage)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			// It changed nothing: it holds staged copies only.
		case !isStageOf(filepath.Base(stage), mine):
			continue // another project's, which its next run puts back
		case err != nil:
			return fmt.Errorf("an interrupted run left %s, whose journal cannot be read (%v); compare it with %s by hand, then remove it", stage, err, dir)
		default:
			if err := rollback(dir, stage, entries); err != nil {
				return err
			}
		}
		if err := os.RemoveAll(stage); err != nil {
			return err
		}
	}
	return nil
}

// isStageOf reports whether name is a staging directory made with prefix:
// prefix and os.MkdirTemp's random digits (so that project acme's prefix
// does not claim acme-x's directories).
func isStageOf(name, prefix string) bool {
	rest, ok := strings.CutPrefix(name, prefix)
	return ok && rest != "" && strings.Trim(rest, "0123456789") == ""
}

// globEscape quotes the characters filepath.Match gives a meaning.
func globEscape(s string) string {
	r := strings.NewReplacer(`*`, `\*`, `?`, `\?`, `[`, `\[`, `\`, `\\`)
	return r.Replace(s)
}

type journalEntry struct{ op, path string }

func writeJournal(stage string, entries []journalEntry) error {
	var b strings.Builder
	for _, e := range entries {
		fmt.Fprintf(&b, "%s %s\n", e.op, e.path)
	}
	f, err := os.Create(filepath.Join(stage, journalName+".tmp"))
	if err != nil {
		return err
	}
	if _, err := f.WriteString(b.String()); err != nil {
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
	// The journal appears whole or not at all.
	return os.Rename(filepath.Join(stage, journalName+".tmp"), filepath.Join(stage, journalName))
}

func readJournal(stage string) ([]journalEntry, error) {
	f, err := os.Open(filepath.Join(stage, journalName))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var entries []journalEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		op, p, ok := strings.Cut(sc.Text(), " ")
		if !ok || (op != "new" && op != "replace" && op != "remove") || !fs.ValidPath(p) {
			return nil, fmt.Errorf("line %q", sc.Text())
		}
		entries = append(entries, journalEntry{op, p})
	}
	return entries, sc.Err()
}

// writeChanges writes the content of every change that is not a removal
// under dir.
func writeChanges(dir string, changes []Change) error {
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	for _, c := range changes {
		if c.Remove {
			continue
		}
		if d := path.Dir(c.Path); d != "." {
			if err := root.MkdirAll(d, 0o755); err != nil {
				return fmt.Errorf("stage %s: %w", c.Path, err)
			}
		}
		if err := root.WriteFile(c.Path, c.Content, 0o644); err != nil {
			return fmt.Errorf("stage %s: %w", c.Path, err)
		}
	}
	return nil
}

// checkChanges guards the paths: each must be local (no "..", not
// absolute) and appear once.
func checkChanges(changes []Change) error {
	seen := map[string]bool{}
	for _, c := range changes {
		if c.Path == "" || !fs.ValidPath(c.Path) || path.Clean(c.Path) != c.Path {
			return fmt.Errorf("refusing to write %q: not a path inside the project directory", c.Path)
		}
		if seen[c.Path] {
			return fmt.Errorf("two files render to %s", c.Path)
		}
		seen[c.Path] = true
	}
	return nil
}
