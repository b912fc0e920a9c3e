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
//		protocol.Run(new(acme.Silo), spec)
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
//
// # Secrets
//
// Once the config file is read, the value of every property the spec marks
// "secret": true is replaced by [redacted] in every LOG line and VALIDATE
// message, whoever wrote it: the runner's own errors, a driver's error
// quoting its connection string, store code logging through log/slog or
// the log package, a panic. The value is also looked for as it appears
// escaped in a URL's query, path or user info and inside a Go or JSON
// quoted string. Records are data and are never changed.
//
// # Signals
//
// SIGINT and SIGTERM cancel the context every silo and store method gets.
// A store that returns on cancellation ends the command with status 1 and
// one LOG line saying it was interrupted. A store that does not (a driver
// call that takes no context) gets [GracePeriod], 3 seconds; then, or at a
// second signal, the program exits with status 1 and one LOG line saying
// so, without waiting for the store. Records written by then stay on
// standard output as complete lines: no line is ever cut in half.
//
// # Line limit
//
// The platform reads a connector's output line by line with a
// bufio.Scanner and its default 64 KiB limit: one longer line ends the
// read, and every message after it is lost. The runtime never prints such
// a line ([MaxLineBytes]); what it does instead depends on the command:
//
//   - scan samples each store for data discovery: a record over the limit
//     is skipped with a WARN naming the store, the record's size and the
//     limit (once per store, with a count at the end if more followed), and
//     the scan goes on;
//   - request-results answers a user's data request, which would be
//     incomplete without the record: the record is refused, RecordWriter
//     returns a [LineTooLongError], and the command fails with an ERROR
//     naming the store, the size and the limit, even if the store dropped
//     the error;
//   - query, delete, request-status, validate and schema print all their
//     messages or none: a REQUEST_RESULT, REQUEST_STATUS, VALIDATE or SCHEMA
//     message over the limit fails the command with an ERROR naming it, its
//     size and the limit, and nothing is printed. A SCHEMA message holds
//     every store's JSON schema, so many stores with large schemas can
//     reach the limit;
//   - spec fails the same way if the embedded spec.json is too long.
package protocol
