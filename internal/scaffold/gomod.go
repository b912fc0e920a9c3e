package scaffold

import (
	"bufio"
	"bytes"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/mod/modfile"

	monoidgen "github.com/monoid-gen/monoid-gen"
	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// A generated project requires exactly what the runtime imports, at the
// versions monoid-gen itself is built and tested with (its own go.mod), and
// carries their checksums (from monoid-gen's go.sum), so that `go build`
// and `go test` work at once with nothing to run by hand.

// sumOnlyModules are modules whose checksums a project needs although the
// runtime does not import them: dependencies of the runtime's dependencies
// that `go mod tidy` records. A test runs `go mod tidy -diff` on every
// golden project, so this list cannot drift.
var sumOnlyModules = []string{"github.com/google/go-cmp"}

// goVersion is the go directive of generated projects: monoid-gen's.
var goVersion = monoidgen.Mod.Go.Version

// runtimeRequires returns the modules, with versions, that provide the
// imports of the runtime. The sources are embedded, so the answer is
// worked out once per process, for go.mod and go.sum.
var runtimeRequires = sync.OnceValues(func() ([]modfile.Require, error) {
	reqs, err := addRequires(nil, protocol.Sources)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(reqs, func(a, b modfile.Require) int { return strings.Compare(a.Mod.Path, b.Mod.Path) })
	return reqs, nil
})

// addRequires adds to reqs the modules that provide the imports of the Go
// files in sources.
func addRequires(reqs []modfile.Require, sources fs.FS) ([]modfile.Require, error) {
	entries, err := fs.ReadDir(sources, ".")
	if err != nil {
		return nil, err
	}
	self := monoidgen.Mod.Module.Mod.Path + "/"
	for _, e := range entries {
		src, _ := fs.ReadFile(sources, e.Name())
		f, err := parser.ParseFile(token.NewFileSet(), e.Name(), src, parser.ImportsOnly)
		if err != nil {
			return nil, fmt.Errorf("runtime source %s: %w", e.Name(), err)
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !strings.Contains(strings.Split(p, "/")[0], ".") || strings.HasPrefix(p, self) {
				continue // the standard library, or a package copied too
			}
			r := moduleOf(p)
			if r == nil {
				return nil, fmt.Errorf("runtime imports %s, which no requirement of monoid-gen's go.mod provides", p)
			}
			if !slices.ContainsFunc(reqs, func(x modfile.Require) bool { return x.Mod.Path == r.Mod.Path }) {
				reqs = append(reqs, *r)
			}
		}
	}
	return reqs, nil
}

// moduleOf finds the requirement of monoid-gen's go.mod that provides the
// package at importPath: the longest module path that prefixes it.
func moduleOf(importPath string) *modfile.Require {
	var best *modfile.Require
	for _, r := range monoidgen.Mod.Require {
		if importPath == r.Mod.Path || strings.HasPrefix(importPath, r.Mod.Path+"/") {
			if best == nil || len(r.Mod.Path) > len(best.Mod.Path) {
				best = r
			}
		}
	}
	return best
}

// renderGoMod writes the project's go.mod with x/mod/modfile.
func renderGoMod(d *data) ([]byte, error) {
	reqs, err := runtimeRequires()
	if err != nil {
		return nil, err
	}
	if sum, _ := exampleSum(d); sum != nil {
		if reqs, err = exampleRequires(d); err != nil {
			return nil, err
		}
	}
	f := new(modfile.File)
	if err := f.AddModuleStmt(d.Module); err != nil {
		return nil, err
	}
	if err := f.AddGoStmt(d.GoVersion); err != nil {
		return nil, err
	}
	rs := make([]*modfile.Require, len(reqs))
	for i := range reqs {
		rs[i] = &reqs[i]
	}
	// Direct and indirect requirements in two blocks, as go mod tidy
	// writes them.
	f.SetRequireSeparateIndirect(rs)
	f.Cleanup()
	return modfile.Format(f.Syntax), nil
}

// renderGoSum writes the checksums of the runtime's modules and of
// sumOnlyModules, taken from monoid-gen's go.sum at the versions it uses.
func renderGoSum(d *data) ([]byte, error) {
	if sum, err := exampleSum(d); sum != nil || err != nil {
		return sum, err
	}
	reqs, err := runtimeRequires()
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, r := range reqs {
		want[r.Mod.Path+" "+r.Mod.Version] = true
	}
	var out bytes.Buffer
	found := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(monoidgen.GoSum))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 3 {
			continue
		}
		mod, ver := fields[0], strings.TrimSuffix(fields[1], "/go.mod")
		if want[mod+" "+ver] || slices.Contains(sumOnlyModules, mod) {
			out.WriteString(sc.Text() + "\n")
			found[mod] = true
		}
	}
	for _, r := range reqs {
		if !found[r.Mod.Path] {
			return nil, fmt.Errorf("monoid-gen's go.sum has no checksum for %s %s", r.Mod.Path, r.Mod.Version)
		}
	}
	return out.Bytes(), nil
}
