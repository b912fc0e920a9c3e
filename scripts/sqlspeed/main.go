// Command sqlspeed measures an example SQL connector end to end and prints
// the figures: the connector runs as a child process through the real
// runtime, as the platform starts it, and answers request-results for a
// query that matches many rows of a local database. For each size it
// prints rows per second, the connector's peak memory, and the time the
// database's own bulk export takes for the same rows.
//
// Usage (from the repository root):
//
//	go run ./scripts/sqlspeed -driver postgres [-runs N] [-spec FILE]
//
// Each database's measurement lives in its own file (postgres.go) and
// registers itself with register in an init function.
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// driver is one database's measurement.
type driver struct {
	// connector runs the example connector with spec.json's content; it
	// does not return. The program runs it when started as the child
	// (connectorEnv set).
	connector func(spec []byte)
	// measure sets up the workload, runs the connector through c and
	// prints the figures.
	measure func(c *child) error
}

var drivers = map[string]driver{}

// register makes a driver selectable with -driver name.
func register(name string, d driver) { drivers[name] = d }

// The environment of the child: which driver's connector to run, on
// which spec.json.
const (
	connectorEnv = "SQLSPEED_CONNECTOR"
	specEnv      = "SQLSPEED_SPEC"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("sqlspeed: ")
	if name := os.Getenv(connectorEnv); name != "" {
		spec, err := os.ReadFile(os.Getenv(specEnv))
		if err != nil {
			log.Fatal(err)
		}
		drivers[name].connector(spec)
		return
	}

	names := slices.Sorted(func(yield func(string) bool) {
		for n := range drivers {
			if !yield(n) {
				return
			}
		}
	})
	name := flag.String("driver", "", "the database to measure: "+strings.Join(names, ", "))
	spec := flag.String("spec", "", "the connector's spec.json (default testdata/monoid/specs/DRIVER.spec.json)")
	runs := flag.Int("runs", 3, "runs of each measurement; the median is printed")
	flag.Parse()
	d, ok := drivers[*name]
	if !ok {
		log.Fatalf("-driver must be one of: %s", strings.Join(names, ", "))
	}
	if *spec == "" {
		*spec = filepath.Join("testdata", "monoid", "specs", *name+".spec.json")
	}
	c, err := newChild(*name, *spec, *runs)
	if err != nil {
		log.Fatal(err)
	}
	defer c.cleanup()
	if err := d.measure(c); err != nil {
		c.cleanup()
		log.Fatal(err)
	}
}
