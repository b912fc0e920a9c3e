package scaffold

// owner says who edits a generated file afterwards.
type owner int

const (
	// userOwned files are the author's to edit; they carry no marker.
	userOwned owner = iota
	// generatorOwned files are rewritten by monoid-gen; Go files among
	// them carry the "Code generated ... DO NOT EDIT." header.
	generatorOwned
)

// fileSpec is one file of a generated project: where it goes, what renders
// it, and who owns it. Adding a file to every project is adding one entry.
type fileSpec struct {
	// path is the output path, itself a template over data (or storeData
	// when perStore), with forward slashes.
	path string
	// tmpl names the template under templates/project.
	tmpl string
	// render, when set, produces the content instead of a template.
	render func(*data) ([]byte, error)
	owner  owner
	// perStore makes one file per data store.
	perStore bool
}

// projectFiles are the files every generated project has, in the order
// --dry-run lists them. The template's own files follow them (see
// Template), then the runtime's sources (runtimeFiles).
var projectFiles = []fileSpec{
	// go.mod and go.sum start with what the runtime needs; the author
	// adds the dependencies of the connector itself.
	{path: "go.mod", render: renderGoMod},
	{path: "go.sum", render: renderGoSum},
	{path: "main.go", tmpl: "common/main.go.tmpl", owner: generatorOwned},
	{path: "main_test.go", tmpl: "common/main_test.go.tmpl"},
	{path: "spec.json", render: renderSpec, owner: generatorOwned},
	{path: "Dockerfile", tmpl: "common/Dockerfile.tmpl"},
	{path: ".dockerignore", tmpl: "common/.dockerignore.tmpl"},
	{path: ".gitignore", tmpl: "common/.gitignore.tmpl"},
	{path: "Makefile", tmpl: "common/Makefile.tmpl"},
	{path: "integration-manifest.yaml", render: renderManifest, owner: generatorOwned},
	{path: "README.md", tmpl: "common/README.md.tmpl"},
}
