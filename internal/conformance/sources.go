package conformance

import "embed"

// Sources are this package's non-test sources, which monoid-gen copies into
// every generated project so that its tests run the same checks as
// `monoid-gen check`. sources.go itself stays out.
//
//go:embed conformance.go export.go invoke.go platform.go proc_other.go proc_unix.go report.go spec.go suite.go
var Sources embed.FS
