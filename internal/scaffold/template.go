package scaffold

import (
	"fmt"
	"strings"
)

// Template is one project template, all of it in one value: what
// `new --template NAME` renders besides the files every project has.
// Adding a template is adding one value to catalog, plus its files under
// templates/.
type Template struct {
	// Name is the value of --template.
	Name string
	// Summary is the template's line in help text.
	Summary string
	// Stores are the data stores made by default. A skeleton template
	// renders one store file per store; an example's stores are its own,
	// listed here for the project file.
	Stores []string
	// StoreFlag says whether --store may choose the stores.
	StoreFlag bool
	// Group is the stores' group; "" means the connector's package name.
	Group string
	// Example names the package under templates/examples that is the
	// connector: its files are copied into the connector package, as
	// gonew copies a module, and its testdata/ becomes the project's.
	// "" for a skeleton rendered from Files.
	Example string
	// Files are the template's own files, rendered from templates/project.
	Files []fileSpec
	// Readme names the template under templates/project of a skeleton's
	// section of the README; an example's is its README.md.
	Readme string
	// Config are the Config fields a skeleton's config.go declares.
	Config []configField
}

// catalog lists the project templates, in the order help text shows them;
// the first is the default.
var catalog = []*Template{
	{
		Name:      "stub",
		Summary:   "every store a skeleton with TODOs that compiles and answers correctly with no records",
		Stores:    []string{"users"},
		StoreFlag: true,
		Readme:    "stub/README.md.tmpl",
		Files: []fileSpec{
			{path: "{{.Package}}/config.go", tmpl: "stub/config.go.tmpl"},
			{path: "{{.Package}}/silo.go", tmpl: "stub/silo.go.tmpl"},
			{path: "{{.Package}}/{{.Store.Name}}.go", tmpl: "stub/store.go.tmpl", perStore: true},
			{path: "testdata/config.json", tmpl: "stub/testdata/config.json.tmpl"},
			{path: "testdata/query.json", tmpl: "stub/testdata/query.json.tmpl"},
		},
		Config: []configField{
			{GoName: "Hostname", JSONName: "hostname", GoType: "string", Title: "Hostname", Required: true,
				Doc: "Host name of the service to connect to."},
			{GoName: "APIKey", JSONName: "api_key", GoType: "string", Title: "API Key", Required: true, Secret: true,
				Doc: "Key used to authenticate with the service."},
		},
	},
	{
		Name:    "memory",
		Summary: "a working connector over in-memory tables, the example to learn from; it behaves exactly like the protocol's reference connector",
		Stores:  []string{"users", "orders"},
		Group:   "app",
		Example: "memory",
	},
}

// DefaultTemplate is the template `new` uses without --template.
var DefaultTemplate = catalog[0].Name

// TemplateNames lists the project templates in the order help text shows
// them.
func TemplateNames() []string {
	names := make([]string, len(catalog))
	for i, t := range catalog {
		names[i] = t.Name
	}
	return names
}

// TemplateHelp describes every template, one per line, for help text.
func TemplateHelp() string {
	var b strings.Builder
	for _, t := range catalog {
		fmt.Fprintf(&b, "  %-8s %s\n", t.Name, t.Summary)
	}
	return strings.TrimRight(b.String(), "\n")
}

// lookupTemplate returns the template called name.
func lookupTemplate(name string) (*Template, bool) {
	for _, t := range catalog {
		if t.Name == name {
			return t, true
		}
	}
	return nil, false
}
