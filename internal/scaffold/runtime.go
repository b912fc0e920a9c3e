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
	"github.com/monoid-gen/monoid-gen/internal/protocol/entrypoint"
)

// Where the copied packages go in a project, and their import paths here.
const (
	runtimeDir     = "internal/protocol"
	entrypointDir  = "internal/protocol/entrypoint"
	conformanceDir = "internal/conformance"

	runtimeImport    = "github.com/monoid-gen/monoid-gen/internal/protocol"
	entrypointImport = "github.com/monoid-gen/monoid-gen/internal/protocol/entrypoint"
)

// runtimeFiles copies the runtime's sources under runtimeDir, the image
// entrypoint's under entrypointDir, and the conformance checks under
// conformanceDir, each import of one of them pointed at the project's copy. Each file is preceded by the
// generated-code header (and a blank line, so that the header never
// becomes the package's doc comment).
func runtimeFiles(d *data) ([]File, error) {
	rewrite := map[string]string{
		runtimeImport:    path.Join(d.Module, runtimeDir),
		entrypointImport: path.Join(d.Module, entrypointDir),
	}
	var files []File
	for _, pkg := range []struct {
		sources fs.FS
		dir     string
	}{
		{protocol.Sources, runtimeDir},
		{entrypoint.Sources, entrypointDir},
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

// rewriteImports changes import paths in a Go file with astutil, then
// formats it again (the import block may need re-sorting).
func rewriteImports(name string, src []byte, rewrite map[string]string) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	changed := false
	for from, to := range rewrite {
		changed = astutil.RewriteImport(fset, f, from, to) || changed
	}
	if !changed {
		return src, nil
	}
	var out bytes.Buffer
	if err := format.Node(&out, fset, f); err != nil {
		return nil, fmt.Errorf("format %s: %w", name, err)
	}
	return out.Bytes(), nil
}
