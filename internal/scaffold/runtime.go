package scaffold

import (
	"bytes"
	"fmt"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"path"

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

// runtimeFiles copies the runtime's sources verbatim under runtimeDir, and
// the conformance checks under conformanceDir with their import of the
// runtime pointed at the project's copy. Each file is preceded by the
// generated-code header (and a blank line, so that the header never
// becomes the package's doc comment).
func runtimeFiles(d *data) ([]File, error) {
	rt, err := copySources(protocol.Sources, runtimeDir, nil)
	if err != nil {
		return nil, err
	}
	cf, err := copySources(conformance.Sources, conformanceDir, map[string]string{
		runtimeImport: path.Join(d.Module, runtimeDir),
	})
	if err != nil {
		return nil, err
	}
	return append(rt, cf...), nil
}

// copySources copies every file of fsys into dir, rewriting the imports in
// rewrite (old path to new) through the Go parser.
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
		if len(rewrite) > 0 {
			if src, err = rewriteImports(e.Name(), src, rewrite); err != nil {
				return nil, err
			}
		}
		var b bytes.Buffer
		b.WriteString(GeneratedHeader + "\n\n")
		b.Write(src)
		files = append(files, File{Path: path.Join(dir, e.Name()), Content: b.Bytes()})
	}
	return files, nil
}

// rewriteImports changes import paths in a Go file with astutil, then
// formats it again (the import block may need re-sorting).
func rewriteImports(name string, src []byte, rewrite map[string]string) ([]byte, error) {
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
