package scaffold

import (
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/monoid-gen/monoid-gen/templates"
)

// exampleSumFile is, in an example's directory, the go.sum of its
// project: exactly what `go mod tidy` gives a project generated from it.
// An example that imports modules beyond the runtime's carries one;
// `make golden` refreshes it, and the golden build test's
// `go mod tidy -diff` fails when it is stale.
const exampleSumFile = "go.sum.txt"

// exampleSum returns the go.sum of d's example, or nil when it has none.
func exampleSum(d *data) ([]byte, error) {
	if d.tmpl.Example == "" {
		return nil, nil
	}
	b, err := fs.ReadFile(templates.FS, "examples/"+d.tmpl.Example+"/"+exampleSumFile)
	if err != nil {
		return nil, nil
	}
	return b, nil
}

// exampleModFile is, beside exampleSumFile, the go.mod that `go mod tidy`
// gives the example's project: its requirements, direct and indirect, are
// the project's (the module line is the project's own).
const exampleModFile = "go.mod.txt"

// exampleRequires returns the requirements of a project made from d's
// example, as exampleModFile lists them.
func exampleRequires(d *data) ([]modfile.Require, error) {
	name := "examples/" + d.tmpl.Example + "/" + exampleModFile
	b, err := fs.ReadFile(templates.FS, name)
	if err != nil {
		// Not made yet: make golden writes it, and the golden build
		// test's go mod tidy -diff fails until it has.
		return runtimeRequires()
	}
	f, err := modfile.ParseLax(name, b, nil)
	if err != nil {
		return nil, err
	}
	reqs := make([]modfile.Require, len(f.Require))
	for i, r := range f.Require {
		reqs[i] = *r
	}
	slices.SortFunc(reqs, func(a, b modfile.Require) int { return strings.Compare(a.Mod.Path, b.Mod.Path) })
	return reqs, nil
}

// exampleImports returns the modules that provide the imports of the
// example, by path.
func exampleImports(example string) (map[string]bool, error) {
	root := "examples/" + example
	mods := map[string]bool{}
	err := fs.WalkDir(templates.FS, root, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".go") || strings.Contains(p, "/testdata/") {
			return err
		}
		src, err := fs.ReadFile(templates.FS, p)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, src, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if r := moduleOf(path); r != nil {
				mods[r.Mod.Path] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the %s example's imports: %w", example, err)
	}
	return mods, nil
}
