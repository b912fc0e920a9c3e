// Monoid-gen builds Monoid connectors in Go.
//
// It renders a complete connector project over a runtime that speaks the
// Monoid Protocol, keeps the project's spec.json in step with its Go config
// struct, and checks any connector against the protocol.
//
// Usage:
//
//	monoid-gen new NAME [flags]
//	monoid-gen version
//
// Example:
//
//	monoid-gen new acme
//	cd monoid-acme && go test ./...
//
// Run "monoid-gen help" for every command and flag.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
