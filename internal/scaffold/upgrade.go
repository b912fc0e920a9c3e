package scaffold

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"

	"github.com/monoid-gen/monoid-gen/internal/manifest"
	"github.com/monoid-gen/monoid-gen/internal/project"
)

// Upgrade is what `monoid-gen upgrade` would change in a project: the
// generated files rendered anew by this monoid-gen, the requirements its
// runtime adds to go.mod, and the generated files the author changed,
// which it leaves alone.
type Upgrade struct {
	Dir string
	// Changes are the files to write or remove, the project file last.
	Changes []Change
	// Edited are generated files whose content is neither what monoid-gen
	// wrote nor what it would write now: the author changed them.
	Edited []Change
	// Current holds the content on disk of every file in Changes and
	// Edited, for diffs; a file that does not exist has none.
	Current map[string][]byte
}

// PlanUpgrade renders the project in dir with this monoid-gen (version)
// and compares it with the files on disk. It writes nothing.
//
// A generated file is replaced when the author has not changed it: its
// content matches the checksum the project file recorded, or, in a
// project of a release that recorded none, it still starts with the
// generated-code header. spec.json is left to `monoid-gen spec`, which
// derives it from the author's Config; the author's own files are never
// touched, except that go.mod and go.sum gain what the new runtime needs.
func PlanUpgrade(dir, version string) (*Upgrade, error) {
	p, err := project.Load(dir)
	if err != nil {
		return nil, err
	}
	tmpl, ok := lookupTemplate(p.Template)
	if !ok {
		return nil, fmt.Errorf("%s: template %q is not one this monoid-gen knows (%s); upgrade with the release that made the project", filepath.Join(dir, project.File), p.Template, strings.Join(TemplateNames(), ", "))
	}
	o := Options{Name: p.Name, Dir: dir, Module: p.Module, Template: p.Template, Image: p.DockerImage, Tag: p.DockerTag,
		Version: version, NewID: func() string { return p.ManifestID }}
	if tmpl.StoreFlag {
		o.Stores = p.Stores
	}
	files, err := Render(&o)
	if err != nil {
		return nil, fmt.Errorf("render %s anew: %w", dir, err)
	}
	u := &Upgrade{Dir: dir, Current: map[string][]byte{}}
	sums := map[string]string{}
	rendered := map[string]bool{}
	for _, f := range files {
		rendered[f.Path] = true
		switch {
		case f.Path == project.File:
			continue // written last, below
		case f.Path == "spec.json":
			if cur, err := os.ReadFile(filepath.Join(dir, "spec.json")); err == nil {
				sums[f.Path] = project.Checksum(cur)
			}
			continue
		case f.Path == "integration-manifest.yaml":
			// From the project file as it is: the author may have
			// changed its name, logo or documentation URL.
			if f.Content, err = manifestFile(p); err != nil {
				return nil, err
			}
		case f.Path == "go.mod" || f.Path == "go.sum":
			if err := u.merge(f); err != nil {
				return nil, err
			}
			continue
		case !f.Generated:
			continue
		}
		sums[f.Path] = project.Checksum(f.Content)
		if err := u.consider(p, f); err != nil {
			return nil, err
		}
	}
	if err := u.removeStale(p, rendered); err != nil {
		return nil, err
	}
	for _, c := range u.Edited {
		// An edited file keeps the checksum monoid-gen wrote, so that it
		// still reads as edited next time.
		if old, ok := p.Files[c.Path]; ok {
			sums[c.Path] = old
		} else {
			delete(sums, c.Path)
		}
	}
	next := *p
	next.GeneratorVersion = version
	next.Files = sums
	b, err := next.Marshal()
	if err != nil {
		return nil, err
	}
	u.change(Change{Path: project.File, Content: b})
	return u, nil
}

// consider plans generated file f: written when missing or unchanged by
// the author, listed as edited otherwise.
func (u *Upgrade) consider(p *project.Project, f File) error {
	cur, err := os.ReadFile(filepath.Join(u.Dir, filepath.FromSlash(f.Path)))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		u.change(Change{Path: f.Path, Content: f.Content})
		return nil
	case err != nil:
		return err
	case bytes.Equal(cur, f.Content):
		return nil
	}
	u.Current[f.Path] = cur
	if untouched(p, f.Path, cur) {
		u.Changes = append(u.Changes, Change{Path: f.Path, Content: f.Content})
	} else {
		u.Edited = append(u.Edited, Change{Path: f.Path, Content: f.Content})
	}
	return nil
}

// untouched reports whether the generated file at path, whose content is
// cur, is as monoid-gen wrote it.
func untouched(p *project.Project, path string, cur []byte) bool {
	if p.Files != nil {
		return p.Files[path] == project.Checksum(cur)
	}
	return bytes.HasPrefix(cur, []byte(GeneratedHeader+"\n")) || path == "integration-manifest.yaml"
}

// removeStale plans the removal of generated files this monoid-gen no
// longer writes (such as a file of a package the runtime dropped). Those
// a project file recorded are removed when unchanged; in a project of a
// release that recorded none, a Go file is removed when it carries the
// generated-code header.
func (u *Upgrade) removeStale(p *project.Project, rendered map[string]bool) error {
	var stale []string
	if p.Files != nil {
		for path := range p.Files {
			if !rendered[path] {
				stale = append(stale, path)
			}
		}
	} else {
		err := filepath.WalkDir(u.Dir, func(name string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(name, ".go") {
				return err
			}
			rel, _ := filepath.Rel(u.Dir, name)
			if rel = filepath.ToSlash(rel); !rendered[rel] {
				stale = append(stale, rel)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	slices.Sort(stale)
	for _, path := range stale {
		cur, err := os.ReadFile(filepath.Join(u.Dir, filepath.FromSlash(path)))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return err
		}
		if !untouched(p, path, cur) {
			if p.Files != nil {
				u.Current[path] = cur
				u.Edited = append(u.Edited, Change{Path: path, Remove: true})
			}
			continue
		}
		u.Current[path] = cur
		u.Changes = append(u.Changes, Change{Path: path, Remove: true})
	}
	return nil
}

// merge plans go.mod or go.sum: the author's file, plus what the rendered
// one requires that it lacks.
func (u *Upgrade) merge(f File) error {
	name := filepath.Join(u.Dir, f.Path)
	cur, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	var merged []byte
	if f.Path == "go.mod" {
		merged, err = mergeGoMod(name, cur, f.Content)
	} else {
		merged = mergeGoSum(cur, f.Content)
	}
	if err != nil {
		return err
	}
	if !bytes.Equal(merged, cur) {
		u.Current[f.Path] = cur
		u.Changes = append(u.Changes, Change{Path: f.Path, Content: merged})
	}
	return nil
}

// mergeGoMod adds to the author's go.mod every requirement of want it
// lacks, or holds at a lower version; the rest is kept as it is.
func mergeGoMod(name string, cur, want []byte) ([]byte, error) {
	f, err := modfile.Parse(name, cur, nil)
	if err != nil {
		return nil, err
	}
	w, err := modfile.Parse("rendered go.mod", want, nil)
	if err != nil {
		return nil, err
	}
	have := map[string]string{}
	for _, r := range f.Require {
		have[r.Mod.Path] = r.Mod.Version
	}
	for _, r := range w.Require {
		if v, ok := have[r.Mod.Path]; ok && semver.Compare(v, r.Mod.Version) >= 0 {
			continue
		}
		if err := f.AddRequire(r.Mod.Path, r.Mod.Version); err != nil {
			return nil, err
		}
	}
	f.Cleanup()
	return modfile.Format(f.Syntax), nil
}

// mergeGoSum adds to the author's go.sum the lines of want it lacks, in
// go.sum's order.
func mergeGoSum(cur, want []byte) []byte {
	lines := map[string]bool{}
	var all []string
	added := false
	for i, b := range [][]byte{cur, want} {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if l := sc.Text(); l != "" && !lines[l] {
				lines[l] = true
				all = append(all, l)
				added = added || i == 1
			}
		}
	}
	if !added {
		return cur
	}
	slices.Sort(all)
	return []byte(strings.Join(all, "\n") + "\n")
}

// change plans c, remembering the current content for diffs.
func (u *Upgrade) change(c Change) {
	if cur, err := os.ReadFile(filepath.Join(u.Dir, filepath.FromSlash(c.Path))); err == nil {
		if bytes.Equal(cur, c.Content) {
			return
		}
		u.Current[c.Path] = cur
	}
	u.Changes = append(u.Changes, c)
}

// Apply makes the upgrade, all or nothing. With edited files it refuses,
// unless keepEdited: then each edited file is replaced too, its content
// kept beside it as PATH.orig.
func (u *Upgrade) Apply(keepEdited bool) error {
	changes := u.Changes
	if len(u.Edited) > 0 {
		if !keepEdited {
			return fmt.Errorf("%d generated files were changed by hand: %s; upgrade would lose those changes (--force keeps each beside it as FILE.orig)", len(u.Edited), strings.Join(u.EditedPaths(), ", "))
		}
		for _, c := range u.Edited {
			changes = append(changes, Change{Path: c.Path + ".orig", Content: u.Current[c.Path]}, c)
		}
	}
	return Apply(u.Dir, changes)
}

// EditedPaths lists the paths of the edited files.
func (u *Upgrade) EditedPaths() []string {
	paths := make([]string, len(u.Edited))
	for i, c := range u.Edited {
		paths[i] = c.Path
	}
	return paths
}

// manifestFile renders the project's integration-manifest.yaml from p.
func manifestFile(p *project.Project) ([]byte, error) {
	b, err := manifest.FromProject(p, nil).Marshal(false)
	if err != nil {
		return nil, err
	}
	return append([]byte(manifestHeader), b...), nil
}

// SaveProject writes p as the project file of the project in dir, with
// the manifest entry it gives, all at once; the entry's checksum is
// recorded, so that upgrade still takes it for monoid-gen's.
func SaveProject(dir string, p *project.Project) error {
	entry, err := manifestFile(p)
	if err != nil {
		return err
	}
	if p.Files != nil {
		p.Files["integration-manifest.yaml"] = project.Checksum(entry)
	}
	b, err := p.Marshal()
	if err != nil {
		return err
	}
	return Apply(dir, []Change{{Path: "integration-manifest.yaml", Content: entry}, {Path: project.File, Content: b}})
}
