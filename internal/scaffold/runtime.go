package scaffold

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"strconv"

	"golang.org/x/tools/go/ast/astutil"

	"github.com/monoid-gen/monoid-gen/internal/conformance"
	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// Where the copied packages go in a project, and their import paths here.
const (
	runtimeDir     = "internal/protocol"
	conformanceDir = "internal/conformance"

	runtimeImport = "github.com/monoid-gen/monoid-gen/internal/protocol"
)

// runtimeFiles copies the runtime's sources under runtimeDir and the
// conformance checks under conformanceDir, each import of the runtime
// pointed at the project's copy. Each file is preceded by the
// generated-code header (and a blank line, so that the header never
// becomes the package's doc comment).
func runtimeFiles(d *data) ([]File, error) {
	rewrite := map[string]string{
		runtimeImport: path.Join(d.Module, runtimeDir),
	}
	var files []File
	for _, pkg := range []struct {
		sources fs.FS
		dir     string
	}{
		{protocol.Sources, runtimeDir},
		{conformance.Sources, conformanceDir},
	} {
		copied, err := copySources(pkg.sources, pkg.dir, rewrite)
		if err != nil {
			return nil, err
		}
		files = append(files, copied...)
	}
	return files, nil
}

// copySources copies every file of fsys into dir, rewriting the imports in
// rewrite (old path to new) through the Go parser; a file that imports
// none of them is copied as it is.
func copySources(fsys fs.FS, dir string, rewrite map[string]string) ([]File, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read embedded sources: %w", err)
	}
	var files []File
	for _, e := range entries {
		src, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("read embedded source %s: %w", e.Name(), err)
		}
		if src, err = rewriteImports(e.Name(), src, rewrite); err != nil {
			return nil, err
		}
		var b bytes.Buffer
		b.WriteString(GeneratedHeader + "\n\n")
		b.Write(src)
		files = append(files, File{Path: path.Join(dir, e.Name()), Content: b.Bytes()})
	}
	return files, nil
}

// rewriteImports changes the import paths in rewrite (old to new) in a Go
// file. A file that imports none of them is returned as it is. Otherwise
// the quoted paths are replaced in place, which keeps the file
// gofmt-clean as long as each import group stays sorted and no import
// carries a trailing comment (whose alignment depends on the path's
// length); when either fails, astutil rewrites the syntax tree and the
// file is formatted again. Only the imports are parsed on the fast path:
// a full parse and print of every copied file would be most of what
// rendering a project costs.
func rewriteImports(name string, src []byte, rewrite map[string]string) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly|parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	var out []byte
	last, spliced, inPlace := 0, false, true
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		to, ok := rewrite[p]
		if !ok {
			continue
		}
		if imp.Comment != nil {
			inPlace = false
		}
		start, end := fset.Position(imp.Path.Pos()).Offset, fset.Position(imp.Path.End()).Offset
		out = append(append(out, src[last:start]...), strconv.Quote(to)...)
		last, spliced = end, true
	}
	if !spliced {
		return src, nil
	}
	out = append(out, src[last:]...)
	if inPlace && importsSorted(fset, f.Imports, rewrite) {
		return out, nil
	}
	return rewriteTree(name, src, rewrite)
}

// importsSorted reports whether every group of imports (a run of specs on
// consecutive lines) is in gofmt's order by path once rewritten. Splicing
// changes no line, so the groups are those of the parsed file.
func importsSorted(fset *token.FileSet, imports []*ast.ImportSpec, rewrite map[string]string) bool {
	path := func(imp *ast.ImportSpec) string {
		p, _ := strconv.Unquote(imp.Path.Value)
		if to, ok := rewrite[p]; ok {
			return to
		}
		return p
	}
	for i := 1; i < len(imports); i++ {
		prev, cur := imports[i-1], imports[i]
		sameGroup := fset.Position(cur.Pos()).Line == fset.Position(prev.End()).Line+1
		if sameGroup && path(cur) < path(prev) {
			return false
		}
	}
	return true
}

// rewriteTree rewrites the imports through the syntax tree and formats the
// file, which re-sorts the import block.
func rewriteTree(name string, src []byte, rewrite map[string]string) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	for from, to := range rewrite {
		astutil.RewriteImport(fset, f, from, to)
	}
	var out bytes.Buffer
	if err := format.Node(&out, fset, f); err != nil {
		return nil, fmt.Errorf("format %s: %w", name, err)
	}
	return out.Bytes(), nil
}
