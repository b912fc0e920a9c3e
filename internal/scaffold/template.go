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

	// SelfContainedFixture says that the fixture in testdata/ is the whole
	// silo, reaching nothing outside the process (an example over tables
	// in memory): the project's tests run delete against it. Otherwise
	// testdata/config.json is a placeholder its author may one day point
	// at a real service, and delete runs only against a silo the author
	// names in MONOID_TEST_CONFIG, with MONOID_TEST_DESTRUCTIVE=1.
	SelfContainedFixture bool
	// NeedsService says that the connector answers only with a live
	// service behind it (a database): its fixture alone cannot pass the
	// conformance checks, so the project's tests run them only against
	// the silo MONOID_TEST_CONFIG names, and skip them, saying so,
	// without it. It excludes SelfContainedFixture.
	NeedsService bool
	// FakeURLField, when set, says that the example's fake subpackage is
	// a fake of its service (fake.NewServer, as httptest's): the project's
	// tests start it and run the checks with the fixture's config, this
	// field set to the fake's URL. Such a fixture is self-contained.
	FakeURLField string
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
			{path: "testdata/persist.json", tmpl: "stub/testdata/persist.json.tmpl"},
			{path: "testdata/schemas.json", tmpl: "stub/testdata/schemas.json.tmpl"},
			{path: "testdata/requests.json", tmpl: "stub/testdata/requests.json.tmpl"},
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
		// The tables are made anew by every command: delete loses nothing.
		SelfContainedFixture: true,
	},
	{
		Name:         "postgres",
		Summary:      "a Postgres connector that can replace the official one: one store per table, found at run time",
		Stores:       []string{"users"}, // the fixture's table; the connector finds every table
		Group:        "postgres/public",
		Example:      "postgres",
		NeedsService: true,
	},
	{
		Name:         "mysql",
		Summary:      "a MySQL and MariaDB connector that can replace the official one: one store per table, found at run time",
		Stores:       []string{"users", "orders"}, // the fixture's tables; the connector finds every table
		Group:        "monoid_example",
		Example:      "mysql",
		NeedsService: true,
	},
	{
		Name:                 "export",
		Summary:              "an asynchronous connector for an HTTP export API: jobs polled until done, results as a FILE, tested against a fake of the service",
		Stores:               []string{"exports"},
		Group:                "account",
		Example:              "export",
		SelfContainedFixture: true,
		FakeURLField:         "base_url",
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

// SelfContainedFixture tells templates the project template's
// Template.SelfContainedFixture.
func (d *data) SelfContainedFixture() bool { return d.tmpl.SelfContainedFixture }

// NeedsService tells templates the project template's Template.NeedsService.
func (d *data) NeedsService() bool { return d.tmpl.NeedsService }

// FakeURLField tells templates the project template's Template.FakeURLField.
func (d *data) FakeURLField() string { return d.tmpl.FakeURLField }

// lookupTemplate returns the template called name.
func lookupTemplate(name string) (*Template, bool) {
	for _, t := range catalog {
		if t.Name == name {
			return t, true
		}
	}
	return nil, false
}

// NeedsService reports whether the connectors of the template called name
// answer only with a live service behind them (see Template.NeedsService).
func NeedsService(name string) bool {
	t, ok := lookupTemplate(name)
	return ok && t.NeedsService
}
