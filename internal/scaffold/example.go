package scaffold

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/monoid-gen/monoid-gen/templates"
)

// examplesImport is the import path of the example packages here.
const examplesImport = "github.com/monoid-gen/monoid-gen/templates/examples"

// generateDirective is the line config.go carries so that `go generate
// ./...` derives spec.json again. The example packages leave it out: in
// this repository there is no spec.json for it to write.
const generateDirective = "//go:generate monoid-gen spec --dir .."

// exampleFiles copies the example package named by d's template into the
// project, as gonew copies a module: its Go files go into the connector
// package, renamed to it, with imports of this repository pointed at the
// project's copies; its testdata/ becomes the project's testdata/; its
// README.md becomes d.TemplateReadme. Any other file is copied as it is.
func exampleFiles(d *data) ([]File, error) {
	name := d.tmpl.Example
	root := "examples/" + name
	rw := goRewrite{
		fromPkg: name,
		toPkg:   d.Package,
		imports: map[string]string{
			examplesImport + "/" + name: path.Join(d.Module, d.Package),
			selfInternal:                path.Join(d.Module, "internal"),
		},
	}
	var files []File
	err := fs.WalkDir(templates.FS, root, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel := strings.TrimPrefix(p, root+"/")
		content, err := fs.ReadFile(templates.FS, p)
		if err != nil {
			return err
		}
		switch {
		case rel == exampleSumFile || rel == exampleModFile:
			return nil // go.sum's and go.mod's content (see exampleSum)
		case rel == "README.md":
			d.TemplateReadme = strings.TrimSpace(string(content))
			return nil
		case strings.HasPrefix(rel, "testdata/"):
			files = append(files, File{Path: rel, Content: content})
			return nil
		case strings.HasSuffix(rel, ".go"):
			out := path.Join(d.Package, rel)
			if content, err = rewriteGo(out, content, rw); err != nil {
				return err
			}
			if rel == "config.go" {
				content = addGenerateDirective(content)
			}
			if content, err = formatGo(out, content, userOwned); err != nil {
				return err
			}
			files = append(files, File{Path: out, Content: content})
			return nil
		}
		files = append(files, File{Path: path.Join(d.Package, rel), Content: content})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("copy the %s example: %w", name, err)
	}
	return files, nil
}

// addGenerateDirective puts generateDirective after the package clause.
func addGenerateDirective(src []byte) []byte {
	s := string(src)
	i := strings.Index(s, "\npackage ")
	if strings.HasPrefix(s, "package ") {
		i = -1
	} else if i < 0 {
		return src
	}
	end := strings.IndexByte(s[i+1:], '\n') + i + 2
	return []byte(s[:end] + "\n" + generateDirective + "\n" + s[end:])
}
