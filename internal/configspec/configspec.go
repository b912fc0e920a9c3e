// Package configspec owns spec.json, the config schema the platform's web
// form renders: its derivation from a connector's Config struct, its one
// canonical form, the check that a project's spec.json has not drifted,
// and the lint of any connector's config schema.
//
// Derivation reads Config from source and runs nothing of the author's:
// the connector package is parsed and type-checked on its own (go/parser,
// go/types, imports left unresolved), the equivalent struct is built with
// reflect.StructOf from the type information, reflected by
// github.com/invopop/jsonschema with the fields' doc comments as
// descriptions, converted to the form's dialect and linted. It needs no
// build, no network and no module of the connector's, and an init
// function of the connector or of its dependencies never runs. In return
// Config may use only predeclared types, slices of strings, and structs
// declared in the package (nested, embedded, or behind pointers); anything
// else is refused with what to use instead, as is anything the connector
// would read other than the form writes it (two fields with one JSON name,
// maps, interfaces, integers smaller than the form's without bounds).
//
// `monoid-gen new` derives spec.json from the config.go it renders
// (FromSource); `monoid-gen spec`, `go generate` and `monoid-gen check`
// from the project's package (FromDir, Check).
package configspec

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/monoid-gen/monoid-gen/internal/project"
)

// Derived is the spec derived from a Config.
type Derived struct {
	Schema Schema
	// JSON is spec.json, in its canonical form.
	JSON []byte
	// Warnings name the fields that look like credentials but are not
	// marked secret: the form shows them in clear text. Some are not
	// secrets (a public project token), so they do not stop derivation.
	Warnings []string
}

// ConfigError lists everything in Config that spec.json cannot say
// faithfully, each with the file:line:col, Go field and Go type at fault
// and what to do.
type ConfigError struct{ Problems []string }

func (e *ConfigError) Error() string {
	return "spec.json cannot be derived from Config:\n  " + strings.Join(e.Problems, "\n  ")
}

// FromDir derives the spec of the generated project in dir from the
// Config of its connector package, as that package's source stands now.
// Paths in messages are relative to dir.
func FromDir(dir string) (*Derived, error) {
	proj, err := project.Load(dir)
	if err != nil {
		return nil, err
	}
	pkgDir := filepath.Join(dir, proj.Package)
	if info, err := os.Stat(pkgDir); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("%s says Config is in package %q, but %s is not a directory; correct \"package\" there", project.File, proj.Package, pkgDir)
	}
	files, err := readPackageDir(pkgDir, proj.Package)
	if err != nil {
		return nil, err
	}
	return derive(files)
}

// FromSource derives the spec of the Config declared in one Go file, src,
// named name in messages: `monoid-gen new` gives it the config.go it has
// just rendered, before anything is written.
func FromSource(name string, src []byte) (*Derived, error) {
	return derive([]sourceFile{{name: name, src: src}})
}

// Check derives the spec of the project in dir and reads its spec.json:
// current is what the file holds (nil when there is none). It is up to
// date when current equals d.JSON.
func Check(dir string) (current []byte, d *Derived, err error) {
	d, err = FromDir(dir)
	if err != nil {
		return nil, nil, err
	}
	current, err = os.ReadFile(filepath.Join(dir, "spec.json"))
	if err != nil && !os.IsNotExist(err) {
		return nil, nil, err
	}
	return current, d, nil
}

// derive is the pipeline: read, walk the types, reflect, convert, write,
// lint. Each stage reports every problem it finds before derivation stops.
func derive(files []sourceFile) (*Derived, error) {
	p, err := check(files)
	if err != nil {
		return nil, err
	}
	w := &walker{p: p}
	t, fields, err := w.config()
	if err != nil {
		return nil, err
	}
	if len(w.problems) > 0 {
		return nil, &ConfigError{Problems: w.problems}
	}
	s, problems := convert(reflectSchema(t, w.fields), fields)
	if len(problems) > 0 {
		return nil, &ConfigError{Problems: problems}
	}
	d := &Derived{Schema: s, JSON: s.Marshal()}
	var doc struct {
		Spec json.RawMessage `json:"spec"`
	}
	if err := json.Unmarshal(d.JSON, &doc); err != nil {
		return nil, err
	}
	byPath := map[string]*field{}
	indexFields(byPath, "", fields)
	describe := func(pr Problem) string {
		if f := byPath[pr.Path]; f != nil {
			return f.where() + ": " + pr.Msg
		}
		return fmt.Sprintf("%s: Config: %s", w.root.pos, pr)
	}
	for _, pr := range FormProblems(doc.Spec) {
		problems = append(problems, describe(pr))
	}
	if len(problems) > 0 {
		return nil, &ConfigError{Problems: problems}
	}
	for _, pr := range CredentialProblems(doc.Spec) {
		d.Warnings = append(d.Warnings, describe(pr)+`; if it is a secret, tag it jsonschema_extras:"secret=true"`)
	}
	return d, nil
}

// indexFields maps each property's JSON path to its field.
func indexFields(m map[string]*field, path string, fields []*field) {
	for _, f := range fields {
		p := join(path, f.json)
		m[p] = f
		indexFields(m, p, f.fields)
	}
}
