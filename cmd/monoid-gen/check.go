package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/mod/semver"

	"github.com/monoid-gen/monoid-gen/internal/configspec"
	"github.com/monoid-gen/monoid-gen/internal/conformance"
	"github.com/monoid-gen/monoid-gen/internal/project"
)

func newCheckCmd() *cobra.Command {
	var o conformance.Options
	var dir string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check [flags] [-- CMD [ARGS...]]",
		Short: "Run a connector through the whole protocol and report what is wrong",
		Long: `Run a connector through the whole Monoid Protocol, as the platform would,
and report check by check: PASS, FAIL (with the offending line and what was
expected), SKIP (with why) or WARN, then the totals. The exit status is 1
when any check failed. WARN fails nothing: it marks a run in which no store
returned a record, so that the record checks passed on nothing; scan and
the query's results say how many records each store returned.

In a generated project (the current directory or --dir) the connector is
built from the project, as its image holds it; testdata/config.json
and testdata/query.json are the fixtures, the spec command must print the project's spec.json, and
spec.json must be what Config gives (as monoid-gen spec --check).

For every connector, the config schema its spec command prints must be one
the platform's form renders, with credential-looking fields marked secret:
the lint monoid-gen spec runs on what it derives.

Any other connector, in any language, is run as CMD ARGS after "--", with
the protocol's arguments appended; --config is then required. A config
given with --config is the author's own: the connector must accept it.
The project's fixture config may hold placeholder values, and a connector
that rejects it skips "validate: status" instead.

The sequence: spec, validate, schema, scan of every schema, query with
request-status polled until each request ends and request-results, and
delete with its status and results only with --destructive (it may delete
real data). Then two probes: a config that violates the spec must fail
cleanly, and an unknown command must be a usage error (exit status 2).
Every stdout line must be one valid message, and every line of stdout
and stderr must reach the platform, which reads them merged through a
TTY with a 64 KiB line limit. Input files and the persistence directory
live in a fresh temporary directory, removed afterwards (unless --persist
names one).

Each command runs in a process group of its own, killed at --timeout and
once the connector exits, so nothing it starts outlives it. check keeps
at most 16 MiB of what one command prints and stops a connector that
prints more; what the connector printed is escaped in the report.`,
		Example: `  # The project in the current directory:
  monoid-gen check

  # A Python-kit connector:
  monoid-gen check --config secrets/config.json --query query.json -- python main.py

  # A Docker image, as the platform runs it:
  monoid-gen check --config config.json -- docker run --rm -i -v /tmp:/tmp monoidco/monoid-postgres:0.0.1`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Command = args
			o.SpecChecks = formChecks
			for _, d := range []struct {
				flag  string
				value time.Duration
			}{{"timeout", o.Timeout}, {"poll-timeout", o.PollTimeout}} {
				if d.value <= 0 {
					return &usageError{fmt.Errorf("--%s must be more than 0, got %v", d.flag, d.value)}
				}
			}
			// A config named on the command line is the author's own, not
			// a fixture with placeholder values: the connector must accept it.
			o.RealConfig = cmd.Flags().Changed("config")
			if len(args) == 0 {
				cleanup, err := projectOptions(cmd, dir, &o)
				if err != nil {
					return err
				}
				defer cleanup()
			} else if o.Config == "" {
				return &usageError{errors.New("--config is required when checking a command")}
			}
			report, err := conformance.Run(cmd.Context(), o)
			if err != nil {
				return err
			}
			if len(args) == 0 {
				report.Add(specDrift(dir))
			}
			out := cmd.OutOrStdout()
			if asJSON {
				err = report.WriteJSON(out)
			} else {
				err = report.WriteText(out)
			}
			if err != nil {
				return err
			}
			if !report.OK() {
				noun := "checks"
				if report.Failed == 1 {
					noun = "check"
				}
				// The report above is the detail; the error sums it up.
				return fmt.Errorf("%d %s failed", report.Failed, noun)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "dir", ".", "the generated project to check, when no command is given")
	f.StringVar(&o.Config, "config", "", "config file (default testdata/config.json in a project)")
	f.StringVar(&o.Query, "query", "", "query file (default testdata/query.json in a project; none: query is skipped)")
	f.StringVar(&o.Persist, "persist", "", "persistence directory (default a fresh temporary one)")
	f.BoolVar(&o.Destructive, "destructive", false, "also run delete, which may delete real data")
	f.DurationVar(&o.Timeout, "timeout", 60*time.Second, "time limit of each command (more than 0)")
	f.DurationVar(&o.PollTimeout, "poll-timeout", 2*time.Minute, "time limit for requests to complete (more than 0)")
	f.BoolVar(&asJSON, "json", false, "write the report as JSON")
	cmd.MarkFlagDirname("dir")
	cmd.MarkFlagDirname("persist")
	return cmd
}

// formChecks are the checks of a connector's config schema beyond the
// protocol's: the lint that monoid-gen spec also runs on what it derives,
// here over whatever the connector prints, Go or not.
var formChecks = []conformance.SpecCheck{
	{Name: "form can render it", Problems: func(schema json.RawMessage) []string { return lines(configspec.FormProblems(schema)) }},
	{Name: "credentials are secret", Problems: func(schema json.RawMessage) []string { return lines(configspec.CredentialProblems(schema)) }},
}

// lines renders problems as the lines of a check's detail.
func lines(ps []configspec.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

// specDrift is the project's own check that spec.json is what its Config
// gives, as `monoid-gen spec --check` reports it.
func specDrift(dir string) conformance.Result {
	const name = "project: spec.json matches Config"
	have, derived, err := configspec.Check(dir)
	if err != nil {
		return conformance.Result{Check: name, Status: conformance.Fail, Detail: err.Error()}
	}
	if !bytes.Equal(have, derived.JSON) {
		return conformance.Result{Check: name, Status: conformance.Fail, Detail: "spec.json has drifted from Config: run monoid-gen spec"}
	}
	return conformance.Result{Check: name, Status: conformance.Pass}
}

// projectOptions fills o for the generated project in dir: it builds the
// connector into a temporary directory, as the Dockerfile does, runs it,
// and takes the fixtures from testdata/. The returned function removes the
// build.
func projectOptions(cmd *cobra.Command, dir string, o *conformance.Options) (func(), error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	p, err := project.Load(abs)
	if err != nil {
		return nil, fmt.Errorf("%w; to check another connector, give its command after --", err)
	}
	if older(p.GeneratorVersion, version()) {
		fmt.Fprintf(cmd.ErrOrStderr(), "warning: %s's runtime is from monoid-gen %s, older than this one (%s): run monoid-gen upgrade --dir %s\n",
			dir, p.GeneratorVersion, version(), dir)
	}
	tmp, err := os.MkdirTemp("", "monoid-check-bin-")
	if err != nil {
		return nil, err
	}
	cleanup := func() { os.RemoveAll(tmp) }
	bin := filepath.Join(tmp, "connector")
	build := exec.CommandContext(cmd.Context(), "go", "build", "-o", bin, ".")
	build.Dir = abs
	if out, err := build.CombinedOutput(); err != nil {
		cleanup()
		return nil, fmt.Errorf("build the connector in %s: %v\n%s", dir, err, out)
	}
	o.Command = []string{bin}
	if o.Config == "" {
		o.Config = filepath.Join(abs, "testdata", "config.json")
	}
	if q := filepath.Join(abs, "testdata", "query.json"); o.Query == "" {
		if _, err := os.Stat(q); err == nil {
			o.Query = q
		}
	}
	o.SpecFile = filepath.Join(abs, "spec.json")
	return cleanup, nil
}

// older reports whether release a precedes release b; versions that are
// not releases (a development build) are never compared.
func older(a, b string) bool {
	return semver.IsValid(a) && semver.IsValid(b) && semver.Compare(a, b) < 0
}
