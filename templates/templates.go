// Package templates holds the embedded templates of generated connector
// projects. Files named *.tmpl are Go text/templates (the .tmpl suffix keeps
// the go tool from compiling *.go.tmpl); the scaffold package lists which
// file each one becomes.
//
// Layout: project/common/ is shared by every project template;
// project/stub/ and project/memory/ hold what differs between the two
// project templates.
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
//go:embed all:project examples
var FS embed.FS

// base holds what every template gets: sprig's functions, and failure on a
// missing key rather than "<no value>". Execute clones it: installing the
// hundred-odd functions anew, each checked by reflection, would cost more
// than executing most templates.
var base = template.New("").Funcs(sprig.TxtFuncMap()).Option("missingkey=error")

// Execute runs the template text, named name in errors, over data, with
// sprig's functions; a missing key is an error.
func Execute(name, text string, data any) (string, error) {
	clone, err := base.Clone()
	if err != nil {
		return "", fmt.Errorf("parse template %s: %w", name, err)
	}
	t, err := clone.New(name).Parse(text)
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
