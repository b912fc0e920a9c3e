// Package templates holds the embedded templates of generated connector
// projects. Files named *.tmpl are Go text/templates (the .tmpl suffix keeps
// the go tool from compiling *.go.tmpl); the scaffold package lists which
// file each one becomes.
//
// Layout: project/common/ is shared by every project template;
// project/stub/ and project/memory/ hold what differs between the two
// project templates. specgen/ is the program `monoid-gen spec` builds
// against a project to reflect its Config.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"text/template"

	"github.com/Masterminds/sprig/v3"
)

// FS holds the templates. The all: prefix keeps dotfiles (.gitignore,
// .dockerignore).
//
//go:embed all:project specgen
var FS embed.FS

// funcs are the template functions: sprig's, built once (the map is large).
var funcs = sprig.TxtFuncMap()

// Execute runs the template text, named name in errors, over data. Templates
// get sprig's functions and fail on a missing key rather than printing
// "<no value>".
func Execute(name, text string, data any) (string, error) {
	t, err := template.New(name).Funcs(funcs).Option("missingkey=error").Parse(text)
	if err != nil {
		return "", fmt.Errorf("parse template %s: %w", name, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("failed to execute template %s: %w", name, err)
	}
	return b.String(), nil
}

// ExecuteFile runs the template stored in FS at name over data.
func ExecuteFile(name string, data any) (string, error) {
	src, err := fs.ReadFile(FS, name)
	if err != nil {
		return "", fmt.Errorf("read template %s: %w", name, err)
	}
	return Execute(name, string(src), data)
}
