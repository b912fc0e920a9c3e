// Monoid-gen builds Monoid connectors in Go.
//
// It renders a complete connector project over a runtime that speaks the
// Monoid Protocol, keeps the project's spec.json in step with its Go config
// struct, and checks any connector against the protocol.
//
// Usage:
//
//	monoid-gen new NAME [--dir DIR] [--module PATH] [--store NAME]... [--template stub|memory] [--image REPO] [--tag TAG] [--dry-run] [--force]
//	monoid-gen spec [--dir DIR] [--check]
//	monoid-gen check [--dir DIR] [--config FILE] [--query FILE] [--destructive] [--json] [-- CMD [ARGS...]]
//	monoid-gen dev [--dir DIR] [--addr 127.0.0.1:0] [-- CMD [ARGS...]]
//	monoid-gen manifest [--dir DIR] [--spec] [--merge FILE]
//	monoid-gen version (or --version)
//
// Example:
//
//	monoid-gen new acme
//	cd monoid-acme && go test ./...
//	monoid-gen check
//
// Run "monoid-gen help COMMAND" for every flag, with examples.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
