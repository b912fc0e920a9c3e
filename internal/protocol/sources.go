package protocol

import "embed"

// Sources are this package's non-test source files, which monoid-gen copies
// verbatim into every generated project. The list is explicit so that tests
// and this file stay out; a test checks that no source file is missing.
//
//go:embed argv.go config.go decode.go doc.go enums.go files.go identifier.go jsonschema.go log.go message.go output.go runner.go scrub.go silo.go syncstore.go utf8.go wire.go
var Sources embed.FS
