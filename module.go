// Package monoidgen holds what monoid-gen needs to know about its own
// module: the go.mod and go.sum it was built with, from which generated
// projects take the versions and checksums of the runtime's dependencies.
package monoidgen

import _ "embed"

// GoMod is monoid-gen's go.mod.
//
//go:embed go.mod
var GoMod []byte

// GoSum is monoid-gen's go.sum.
//
//go:embed go.sum
var GoSum []byte
