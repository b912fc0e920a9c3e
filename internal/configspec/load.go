package configspec

import (
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// pkg is the connector package as read from source: parsed, and
// type-checked on its own. Nothing is built or run, and no other package
// is read: imports resolve to nothing, which is why Config may use only
// the package's own types and the predeclared ones.
type pkg struct {
	fset    *token.FileSet
	types   *types.Package
	structs map[*types.Struct]*ast.StructType // each struct type's syntax, for doc comments
	decls   map[token.Pos]*ast.TypeSpec       // the package's type declarations, by their name's position
	errs    []types.Error                     // type errors, some of them only from the missing imports
}

// sourceFile is one Go file: its name as messages show it (relative to the
// project) and its content.
type sourceFile struct {
	name string
	src  []byte
}

// readPackageDir reads the Go files of the package in dir that the go
// command would build on this machine (build constraints and file-name
// suffixes honoured, tests left out). name is dir as messages show it.
func readPackageDir(dir, name string) ([]sourceFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []sourceFile
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		if ok, err := build.Default.MatchFile(dir, n); err != nil {
			return nil, err
		} else if !ok {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return nil, err
		}
		files = append(files, sourceFile{name: filepath.Join(name, n), src: src})
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s has no Go files: it should hold the connector package, with its Config", name)
	}
	return files, nil
}

// check parses files and type-checks them as one package. A syntax error
// is returned with its file:line:col; type errors are kept for the caller,
// which reports those inside Config's declarations and ignores the rest
// (most are only the missing imports).
func check(files []sourceFile) (*pkg, error) {
	p := &pkg{fset: token.NewFileSet(), structs: map[*types.Struct]*ast.StructType{}, decls: map[token.Pos]*ast.TypeSpec{}}
	var syntax []*ast.File
	var errs scanner.ErrorList
	for _, f := range files {
		af, err := parser.ParseFile(p.fset, f.name, f.src, parser.ParseComments|parser.SkipObjectResolution)
		var el scanner.ErrorList
		if errors.As(err, &el) {
			errs = append(errs, el...)
		} else if err != nil {
			return nil, err
		}
		if err == nil {
			syntax = append(syntax, af)
		}
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, &SourceError{Problems: errorLines(errs)}
	}
	for _, f := range syntax[1:] {
		if f.Name.Name != syntax[0].Name.Name {
			return nil, &SourceError{Problems: []string{fmt.Sprintf("%s: package %s, but %s is package %s: one directory holds one package",
				p.fset.Position(f.Name.Pos()).Filename, f.Name.Name, p.fset.Position(syntax[0].Name.Pos()).Filename, syntax[0].Name.Name)}}
		}
	}
	for _, f := range syntax {
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok {
				for _, spec := range gd.Specs {
					if ts, ok := spec.(*ast.TypeSpec); ok {
						p.decls[ts.Name.Pos()] = ts
					}
				}
			}
		}
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	conf := types.Config{
		Importer:         noImports{},
		IgnoreFuncBodies: true,
		FakeImportC:      true,
		Error: func(err error) {
			var te types.Error
			if errors.As(err, &te) {
				p.errs = append(p.errs, te)
			}
		},
	}
	p.types, _ = conf.Check(syntax[0].Name.Name, p.fset, syntax, info)
	for expr, tv := range info.Types {
		if st, ok := expr.(*ast.StructType); ok {
			if s, ok := tv.Type.(*types.Struct); ok {
				p.structs[s] = st
			}
		}
	}
	return p, nil
}

// noImports resolves no import: the connector's dependencies are neither
// read nor built, so spec needs no module download and runs no code of
// theirs. go/types then treats each imported package as unknown, and
// everything typed by it as invalid.
type noImports struct{}

func (noImports) Import(path string) (*types.Package, error) {
	return nil, fmt.Errorf("%s is not read: spec reads the connector package alone", path)
}

// errorsWithin returns the type errors positioned inside node, as
// file:line:col: message lines.
func (p *pkg) errorsWithin(node ast.Node) []string {
	var out []string
	for _, e := range p.errs {
		if e.Pos >= node.Pos() && e.Pos < node.End() {
			out = append(out, fmt.Sprintf("%s: %s", p.fset.Position(e.Pos), e.Msg))
		}
	}
	return slices.Compact(out)
}

// SourceError is Go source that does not parse or type-check where Config
// is declared: the messages, each with the file:line:col at fault, paths
// relative to the project.
type SourceError struct{ Problems []string }

func (e *SourceError) Error() string {
	return "the package's source cannot be read:\n  " + strings.Join(e.Problems, "\n  ")
}

func errorLines(errs scanner.ErrorList) []string {
	var out []string
	for i, e := range errs {
		if i == 10 {
			out = append(out, fmt.Sprintf("(and %d more)", len(errs)-i))
			break
		}
		out = append(out, e.Error())
	}
	return out
}
