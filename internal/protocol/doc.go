// Package protocol is the Go runtime of a Monoid connector: the wire types of
// the Monoid Protocol, the interfaces a connector author implements, and the
// runner that turns a connector into the command-line program the platform
// starts in a container.
//
// A connector's main function hands its silo and its embedded spec.json to
// [Run]:
//
//	//go:embed spec.json
//	var spec []byte
//
//	func main() {
//		protocol.Run(acme.Silo{}, spec)
//	}
//
// That program is the connector image's entrypoint. The platform starts
// a container for every command, spec included, so the package keeps its
// start-up cost near a bare Go program's: spec prints the embedded file and
// nothing more, and no package it imports does heavy work in init.
//
// A silo ([Silo]) is generic over the connector's own config struct and
// lists its data stores ([DataStore]); a store that answers at once, such
// as a database table, implements the smaller [SyncStore] and is wrapped
// with [Sync]. Records go to a [RecordWriter] one at a time, never
// collected. Connector code logs with log/slog as usual: for the duration
// of a command the default logger writes LOG messages on standard error.
//
// The runner is wire-compatible with the Python development kit
// (monoid_pydev): it accepts the same command line, validates the config
// against the spec before anything else, writes one JSON message per line on
// standard output and logs as LOG messages on standard error. Unlike the
// Python kit it reports bad input as one readable LOG line instead of a
// traceback, never leaves a half-written line on standard output, and never
// echoes the value of a secret config property.
package protocol
