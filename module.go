// Package monoidgen holds what monoid-gen needs to know about its own
// module: the go.mod and go.sum it was built with, from which generated
// projects take the versions and checksums of the runtime's dependencies.
package monoidgen

import (
	_ "embed"

	"golang.org/x/mod/modfile"
)

// GoMod is monoid-gen's go.mod.
//
//go:embed go.mod
var GoMod []byte

// GoSum is monoid-gen's go.sum.
//
//go:embed go.sum
var GoSum []byte

// Mod is GoMod, parsed.
var Mod = func() *modfile.File {
	f, err := modfile.Parse("go.mod", GoMod, nil)
	if err != nil {
		panic("monoid-gen's embedded go.mod does not parse: " + err.Error())
	}
	return f
}()

// Requirement returns the version at which monoid-gen requires module
// path, or "" when it does not.
func Requirement(path string) string {
	for _, r := range Mod.Require {
		if r.Mod.Path == path {
			return r.Mod.Version
		}
	}
	return ""
}
