// Package transcript compares a connector's output with the reference
// transcripts of the Python kit (testdata/monoid/reference): the runs, and
// the comparison the reference README prescribes (JSON values with null
// fields dropped, line order significant).
package transcript

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
)

// Run is one reference run: the output file and the connector's arguments,
// with input file names relative to reference/inputs.
type Run struct {
	Output string   // e.g. "query.jsonl"
	Args   []string // e.g. query -c config.json -p persist.json -q query.json
}

// Runs are the nine runs of reference/README.md.
var Runs = []Run{
	{"spec.jsonl", []string{"spec"}},
	{"validate.jsonl", []string{"validate", "-c", "config.json"}},
	{"validate-failure.jsonl", []string{"validate", "-c", "config-bad-key.json"}},
	{"schema.jsonl", []string{"schema", "-c", "config.json"}},
	{"query.jsonl", []string{"query", "-c", "config.json", "-p", "persist.json", "-q", "query.json"}},
	{"delete.jsonl", []string{"delete", "-c", "config.json", "-p", "persist.json", "-q", "query.json"}},
	{"scan.jsonl", []string{"scan", "-c", "config.json", "-p", "persist.json", "-s", "schemas.json"}},
	{"request-status.jsonl", []string{"request-status", "-c", "config.json", "-p", "persist.json", "-r", "requests.json"}},
	{"request-results.jsonl", []string{"request-results", "-c", "config.json", "-p", "persist.json", "-r", "requests.json"}},
}

// ArgsIn returns the run's arguments with every file argument joined to
// inputDir.
func (r Run) ArgsIn(inputDir string) []string {
	out := make([]string, len(r.Args))
	for i, a := range r.Args {
		if strings.HasSuffix(a, ".json") {
			a = filepath.Join(inputDir, a)
		}
		out[i] = a
	}
	return out
}

// Compare reports how got differs from want, line by line, after dropping
// null fields from both; nil means they hold the same messages.
func Compare(got, want []byte) error {
	g, err := lines(got)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	w, err := lines(want)
	if err != nil {
		return fmt.Errorf("reference: %w", err)
	}
	for i := range max(len(g), len(w)) {
		switch {
		case i >= len(g):
			return fmt.Errorf("line %d missing, want %s", i+1, show(w[i]))
		case i >= len(w):
			return fmt.Errorf("line %d unexpected: %s", i+1, show(g[i]))
		case !reflect.DeepEqual(g[i], w[i]):
			return fmt.Errorf("line %d differs:\n got  %s\n want %s", i+1, show(g[i]), show(w[i]))
		}
	}
	return nil
}

// lines parses each non-empty line as JSON and drops its nulls.
func lines(b []byte) ([]any, error) {
	var out []any
	for i, l := range bytes.Split(b, []byte("\n")) {
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		var v any
		d := json.NewDecoder(bytes.NewReader(l))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			return nil, fmt.Errorf("line %d is not JSON: %w", i+1, err)
		}
		out = append(out, DropNulls(v))
	}
	return out, nil
}

// DropNulls removes every object member whose value is null, recursively.
func DropNulls(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e == nil {
				delete(x, k)
				continue
			}
			x[k] = DropNulls(e)
		}
	case []any:
		for i, e := range x {
			x[i] = DropNulls(e)
		}
	}
	return v
}

func show(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
