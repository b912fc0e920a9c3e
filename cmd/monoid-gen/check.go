package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/mod/semver"

	"github.com/monoid-gen/monoid-gen/internal/conformance"
	"github.com/monoid-gen/monoid-gen/internal/project"
	"github.com/monoid-gen/monoid-gen/internal/specgen"
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
expected) or SKIP (with why), then the totals. The exit status is 1 when
any check failed.

In a generated project (the current directory or --dir) the connector and
the entrypoint its image starts are built from the project and every
command goes through the entrypoint, as in the image; testdata/config.json
and testdata/query.json are the fixtures, the spec command must print the project's spec.json, and
spec.json must be what Config gives (as monoid-gen spec --check).

Any other connector, in any language, is run as CMD ARGS after "--", with
the protocol's arguments appended; --config is then required.

The sequence: spec, validate, schema, scan of every schema, query with
request-status polled until each request ends and request-results, and
delete with its status and results only with --destructive (it may delete
real data). Then two probes: a config that violates the spec must fail
cleanly, and an unknown command must be a usage error (exit status 2).
Every stdout line must be one valid message. Input files and the
persistence directory live in a fresh temporary directory, removed
afterwards (unless --persist names one).`,
		Example: `  # The project in the current directory:
  monoid-gen check

  # A Python-kit connector:
  monoid-gen check --config secrets/config.json --query query.json -- python main.py

  # A Docker image, as the platform runs it:
  monoid-gen check --config config.json -- docker run --rm -i -v /tmp:/tmp monoidco/monoid-postgres:0.0.1`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Command = args
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
				report.Add(specDrift(cmd, dir))
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
				return silentError{code: exitFailure, msg: fmt.Sprintf("%d %s failed", report.Failed, noun)}
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
	f.DurationVar(&o.Timeout, "timeout", 60*time.Second, "time limit of each command")
	f.DurationVar(&o.PollTimeout, "poll-timeout", 2*time.Minute, "time limit for requests to complete")
	f.BoolVar(&asJSON, "json", false, "write the report as JSON")
	cmd.MarkFlagDirname("dir")
	cmd.MarkFlagDirname("persist")
	return cmd
}

// specDrift is the project's own check that spec.json is what its Config
// gives, as `monoid-gen spec --check` reports it.
func specDrift(cmd *cobra.Command, dir string) conformance.Result {
	const name = "project: spec.json matches Config"
	have, want, err := specgen.Check(cmd.Context(), dir)
	if err != nil {
		return conformance.Result{Check: name, Status: conformance.Fail, Detail: err.Error()}
	}
	if !bytes.Equal(have, want) {
		return conformance.Result{Check: name, Status: conformance.Fail, Detail: "spec.json has drifted from Config: run monoid-gen spec"}
	}
	return conformance.Result{Check: name, Status: conformance.Pass}
}

// entrypointTag is the build tag under which a generated project's root
// package is the image's entrypoint instead of the connector.
const entrypointTag = "monoid_entrypoint"

// projectOptions fills o for the generated project in dir: it builds the
// connector and the entrypoint into a temporary directory, as the
// Dockerfile does, runs the entrypoint, and takes the fixtures from
// testdata/. The returned function removes the build.
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
	// A project made before entrypoint.go existed builds its connector
	// under the tag as well, and is then run directly.
	for _, b := range []struct{ name, tags string }{{"connector", ""}, {"entrypoint", entrypointTag}} {
		build := exec.CommandContext(cmd.Context(), "go", "build", "-tags", b.tags, "-o", filepath.Join(tmp, b.name), ".")
		build.Dir = abs
		if out, err := build.CombinedOutput(); err != nil {
			cleanup()
			return nil, fmt.Errorf("build the %s in %s: %v\n%s", b.name, dir, err, out)
		}
	}
	o.Command = []string{filepath.Join(tmp, "entrypoint")}
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
