package entrypoint

import "embed"

// Sources are this package's non-test source files, which monoid-gen copies
// verbatim into every generated project beside the runtime. sources.go
// itself stays out; a test checks that no source file is missing.
//
//go:embed entrypoint.go exec_other.go exec_unix.go
var Sources embed.FS
