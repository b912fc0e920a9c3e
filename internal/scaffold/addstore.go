package scaffold

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/monoid-gen/monoid-gen/internal/project"
	"github.com/monoid-gen/monoid-gen/templates"
)

// storesMarker is the line of silo.go above which add store registers a
// new store, as kubebuilder's +kubebuilder:scaffold markers work.
const storesMarker = "// +monoid-gen:scaffold:stores"

// AddedStore is what AddStore did.
type AddedStore struct {
	File string // the store's file, relative to the project
	// Registered says whether the store was registered in silo.go; when
	// not (the author removed the marker), Line is what to add to
	// DataStores by hand.
	Registered bool
	Line       string
}

// AddStore adds data store name to the project in dir: its file, from the
// synchronous skeleton or, when async, the asynchronous one; its line in
// silo.go's DataStores, at the marker; and its name in the project file.
// All of it is written at once or not at all.
func AddStore(dir, name string, async bool) (*AddedStore, error) {
	p, err := project.Load(dir)
	if err != nil {
		return nil, err
	}
	tmpl, ok := lookupTemplate(p.Template)
	if !ok {
		return nil, fmt.Errorf("%s: unknown template %q", filepath.Join(dir, project.File), p.Template)
	}
	if slices.Contains(p.Stores, name) {
		return nil, &OptionError{"NAME", name, "the project has a store of that name already"}
	}
	if err := checkStores(append(slices.Clone(p.Stores), name)); err != nil {
		if oe, ok := err.(*OptionError); ok {
			oe.Flag = "NAME" // as new's --store checks it, but given as NAME here
		}
		return nil, err
	}
	d := newData(Options{Name: p.Name, Module: p.Module, Template: p.Template, Image: p.DockerImage, Tag: p.DockerTag,
		Stores: []string{name}, NewID: func() string { return p.ManifestID }}, tmpl)
	d.Package = p.Package
	s := d.Stores[0]
	file := p.Package + "/" + name + ".go"
	if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(file))); err == nil {
		return nil, fmt.Errorf("%s exists already; choose another store name", filepath.Join(dir, file))
	}
	var src []byte
	var line string
	if async && tmpl.Example == "export" {
		// The export project's own store, as the template has it: the
		// same skeleton over the project's client.
		src, err = exportStore(d, s)
		line = fmt.Sprintf("&%s{api: c},", s.Type)
	} else {
		skeleton := "stub/store.go.tmpl"
		line = fmt.Sprintf("protocol.Sync(&%s{conf: conf}),", s.Type)
		if async {
			skeleton, line = "stub/async_store.go.tmpl", fmt.Sprintf("&%s{conf: conf},", s.Type)
		}
		var text string
		if text, err = templates.ExecuteFile("project/"+skeleton, storeData{data: d, Store: s}); err == nil {
			src, err = formatGo(file, []byte(text), userOwned)
		}
	}
	if err != nil {
		return nil, err
	}
	changes := []Change{{Path: file, Content: src}}
	added := &AddedStore{File: file, Line: line}

	siloPath := p.Package + "/silo.go"
	silo, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(siloPath)))
	if err != nil {
		return nil, err
	}
	if registered, ok := insertAtMarker(silo, line); ok {
		if registered, err = format.Source(registered); err != nil {
			return nil, fmt.Errorf("%s: registering the store would not parse (%v); add %q to DataStores by hand", siloPath, err, line)
		}
		changes = append(changes, Change{Path: siloPath, Content: registered})
		added.Registered = true
	}

	p.Stores = append(p.Stores, name)
	pf, err := p.Marshal()
	if err != nil {
		return nil, err
	}
	changes = append(changes, Change{Path: project.File, Content: pf})
	if err := Apply(dir, changes); err != nil {
		return nil, err
	}
	return added, nil
}

// insertAtMarker puts line above the first storesMarker line of src, with
// the marker's indentation; ok is false when there is no marker.
func insertAtMarker(src []byte, line string) (out []byte, ok bool) {
	i := bytes.Index(src, []byte(storesMarker))
	if i < 0 {
		return nil, false
	}
	start := bytes.LastIndexByte(src[:i], '\n') + 1
	indent := src[start:i]
	if strings.TrimSpace(string(indent)) != "" {
		return nil, false // the marker is not on a line of its own
	}
	out = append(out, src[:start]...)
	out = append(out, indent...)
	out = append(out, line...)
	out = append(out, '\n')
	return append(out, src[start:]...), true
}

// exportStore renders, for a project made from the export example, a new
// asynchronous store s as the example's own store is written (exports.go):
// its top-level names are renamed after s, and its name in Monoid is s's.
func exportStore(d *data, s store) ([]byte, error) {
	src, err := fs.ReadFile(templates.FS, "examples/export/exports.go")
	if err != nil {
		return nil, err
	}
	rename := map[string]string{
		"Exports":      s.Type,
		"recordSchema": s.Ident + "RecordSchema",
		"handleData":   s.Ident + "HandleData",
		"fileSafe":     s.Ident + "FileSafe",
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "exports.go", src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	f.Name.Name = d.Package
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			if to, ok := rename[n.Name]; ok {
				n.Name = to
			}
		case *ast.BasicLit:
			if n.Value == `"exports"` {
				n.Value = strconv.Quote(s.Name)
			}
		}
		return true
	})
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); strings.HasPrefix(p, selfInternal) {
			imp.Path.Value = strconv.Quote(path.Join(d.Module, "internal") + strings.TrimPrefix(p, selfInternal))
		}
	}
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		return nil, err
	}
	// Comments name the type as prose does.
	out := exportsWord.ReplaceAll(b.Bytes(), []byte(s.Type))
	return formatGo(d.Package+"/"+s.Name+".go", out, userOwned)
}

// exportsWord is the example store's type name, as a word.
var exportsWord = regexp.MustCompile(`\bExports\b`)
