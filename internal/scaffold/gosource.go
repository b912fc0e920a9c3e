package scaffold

import (
	"bytes"
	"fmt"
	"go/format"
	"go/parser"
	"go/token"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ast/astutil"
)

// goRewrite says how a Go file copied into a project changes: its package
// is renamed, and imports under a prefix are moved under another, as gonew
// rewrites a module it copies.
type goRewrite struct {
	// fromPkg and toPkg rename the package clause (and an external test
	// package's, fromPkg_test) and the "Package fromPkg" doc comment;
	// empty to keep the package's name.
	fromPkg, toPkg string
	// imports maps an import path prefix to its replacement; a prefix
	// matches the path itself or the path followed by "/".
	imports map[string]string
}

// rewriteGo applies rw to the Go file name, through the syntax tree, and
// formats the result.
func rewriteGo(name string, src []byte, rw goRewrite) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	if rw.fromPkg != "" {
		switch f.Name.Name {
		case rw.fromPkg:
			f.Name.Name = rw.toPkg
		case rw.fromPkg + "_test":
			f.Name.Name = rw.toPkg + "_test"
		}
		if f.Doc != nil {
			c := f.Doc.List[0]
			c.Text = strings.Replace(c.Text, "// Package "+rw.fromPkg+" ", "// Package "+rw.toPkg+" ", 1)
		}
	}
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		for from, to := range rw.imports {
			if rest, ok := strings.CutPrefix(p, from); ok && (rest == "" || rest[0] == '/') {
				astutil.RewriteImport(fset, f, p, to+rest)
				break
			}
		}
	}
	var out bytes.Buffer
	if err := format.Node(&out, fset, f); err != nil {
		return nil, fmt.Errorf("format %s: %w", name, err)
	}
	return out.Bytes(), nil
}
