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

// exampleRequires returns the requirements of a project whose go.sum is
// sum: every module whose code the build needs (a module zip's hash, not
// only its go.mod's), at that version, marked indirect unless the runtime
// or the example imports one of its packages. This is what go.mod must
// list for a module at go 1.17 or later.
func exampleRequires(d *data, sum []byte) ([]modfile.Require, error) {
	direct, err := exampleImports(d.tmpl.Example)
	if err != nil {
		return nil, err
	}
	runtime, err := runtimeRequires()
	if err != nil {
		return nil, err
	}
	for _, r := range runtime {
		direct[r.Mod.Path] = true
	}
	var reqs []modfile.Require
	sc := bufio.NewScanner(bytes.NewReader(sum))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 3 || strings.HasSuffix(fields[1], "/go.mod") {
			continue
		}
		r := modfile.Require{Indirect: !direct[fields[0]]}
		r.Mod.Path, r.Mod.Version = fields[0], fields[1]
		reqs = append(reqs, r)
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
