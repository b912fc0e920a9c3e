package configschema

import "embed"

// Sources are this package's non-test sources, which `monoid-gen spec`
// copies verbatim into its temporary generator program. sources.go itself
// stays out.
//
//go:embed describe.go
var Sources embed.FS
