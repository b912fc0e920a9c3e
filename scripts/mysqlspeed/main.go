// Command sqlspeed measures the SQL example connectors against a local
// server and prints the figures: rows per second of request-results on one
// identifier that matches a million rows, run through the real runtime in
// a child process, peak memory at 100k and 1M rows, and the floor, the
// database's own command-line client fetching the same rows.
//
// Usage (from the repository root):
//
//	go run ./scripts/mysqlspeed mysql [flags]
//
// where <database> is one of those registered by the files beside this one
// (go run ./scripts/mysqlspeed -h lists them). Each measurement re-executes
// this program as its connector (protocol.Run), selected by an environment
// variable.
package main

import (
	"fmt"
	"log"
	"os"
	"slices"
	"strings"
)

// A measurement, registered by its file's init under a database name.
type measurement struct {
	// run measures, with the arguments after the database name.
	run func(args []string) error
	// connector runs this program as the connector (protocol.Run); it
	// does not return.
	connector func()
}

var measurements = map[string]measurement{}

// childEnv, set to a database name, makes this program that database's
// connector.
const childEnv = "SQLSPEED_CONNECTOR"

func main() {
	log.SetFlags(0)
	log.SetPrefix("sqlspeed: ")
	if name := os.Getenv(childEnv); name != "" {
		m, ok := measurements[name]
		if !ok {
			log.Fatalf("%s=%s: no such connector", childEnv, name)
		}
		m.connector()
		return
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range measurements {
			if !yield(n) {
				return
			}
		}
	})
	if len(os.Args) < 2 || measurements[os.Args[1]].run == nil {
		fmt.Fprintf(os.Stderr, "usage: go run ./scripts/mysqlspeed {%s} [flags]\n", strings.Join(names, "|"))
		os.Exit(2)
	}
	if err := measurements[os.Args[1]].run(os.Args[2:]); err != nil {
		log.Fatal(err)
	}
}
