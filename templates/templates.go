// Package templates holds the embedded templates of generated connector
// projects. Files named *.tmpl are Go text/templates (the .tmpl suffix keeps
// the go tool from compiling *.go.tmpl); the scaffold package lists which
// file each one becomes.
//
// Layout: common/ is shared by every project template; stub/ and memory/
// hold what differs between the two project templates.
package templates

import "embed"

// FS holds the project templates. The all: prefix keeps dotfiles
// (.gitignore, .dockerignore).
//
//go:embed all:project
var FS embed.FS
