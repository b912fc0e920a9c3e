package scaffold

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"slices"
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
	skeleton, line := "stub/store.go.tmpl", fmt.Sprintf("protocol.Sync(&%s{conf: conf}),", s.Type)
	if async {
		skeleton, line = "stub/async_store.go.tmpl", fmt.Sprintf("&%s{conf: conf},", s.Type)
	}
	text, err := templates.ExecuteFile("project/"+skeleton, storeData{data: d, Store: s})
	if err != nil {
		return nil, err
	}
	src, err := formatGo(file, []byte(text), userOwned)
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
