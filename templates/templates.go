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

import "embed"

// FS holds the templates. The all: prefix keeps dotfiles (.gitignore,
// .dockerignore).
//
//go:embed all:project specgen
var FS embed.FS
