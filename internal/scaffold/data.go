package scaffold

import (
	"strings"
)

// data is what templates see.
type data struct {
	Name        string // acme
	DisplayName string // Acme
	Package     string // acme: the connector package
	Module      string
	Image, Tag  string
	Template    string
	Version     string // monoid-gen's
	ManifestID  string
	GoVersion   string // the go directive of go.mod: monoid-gen's major.minor
	GoImage     string // the golang image's tag: the go directive's major.minor
	Group       string // the stores' group
	Stores      []store
	Config      []configField
	// TemplateReadme is the template's section of the README: an
	// example's README.md, or "" for a skeleton.
	TemplateReadme string

	tmpl *Template
	// configSource is the rendered config.go, from which spec.json is
	// derived.
	configSource []byte
	// checksums are those of the generated files, for the project file.
	checksums map[string]string
}

// store is one data store as templates see it.
type store struct {
	Name  string // order_items: the wire name
	Ident string // orderItems: the Go name
	Type  string // orderItemsStore: the Go type
	Title string // Order Items
}

// storeData is the data of a per-store template: the project and one store.
type storeData struct {
	*data
	Store store
}

func newData(o Options, tmpl *Template) *data {
	d := &data{
		Name:        o.Name,
		DisplayName: displayName(o.Name),
		Package:     packageName(o.Name),
		Module:      o.Module,
		Image:       o.Image,
		Tag:         o.Tag,
		Template:    o.Template,
		Version:     o.Version,
		ManifestID:  o.NewID(),
		GoVersion:   majorMinor(goVersion),
		GoImage:     majorMinor(goVersion),
		Group:       packageName(o.Name),
		Config:      tmpl.Config,
		tmpl:        tmpl,
	}
	if tmpl.Group != "" {
		d.Group = tmpl.Group
	}
	for _, s := range o.Stores {
		id := storeIdent(s)
		d.Stores = append(d.Stores, store{Name: s, Ident: id, Type: id + "Store", Title: displayName(strings.ReplaceAll(s, "_", "-"))})
	}
	return d
}

// displayName is the connector's name for people: google-sheets becomes
// "Google Sheets".
func displayName(name string) string {
	words := strings.Split(name, "-")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

// majorMinor cuts a Go version to its major and minor parts: 1.26.0 becomes
// 1.26.
func majorMinor(v string) string {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return v
	}
	return parts[0] + "." + parts[1]
}
