// Package conformance runs a Monoid connector, in any language, through the
// whole protocol and reports, check by check, what is right and what is
// wrong: the protocol checks of `monoid-gen check`. Generated projects
// carry a copy, so that their own tests run the same checks. What is not
// the protocol's, such as the lint of what the platform's form can render,
// monoid-gen adds through Options.SpecChecks.
//
// The sequence: spec, validate (the fixture config), schema, scan of every
// schema, query (the fixture query) with request-status polled until each
// request ends and request-results; delete and its status and results only
// when asked (Options.Destructive); then two negative probes, a config that
// violates the spec and an unknown command.
package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// Options say which connector to run and with what.
type Options struct {
	// Command starts the connector; the protocol's arguments are appended.
	Command []string
	// Env, when not nil, is the connector's whole environment.
	Env []string
	// Dir is the connector's working directory ("" for the current one).
	Dir string

	// Config is the config file every command gets (required).
	Config string
	// RealConfig says that Config is the author's own, meant to reach a
	// real system: a connector that rejects it fails "validate: status".
	// Otherwise Config is a fixture whose placeholder values the
	// connector may rightly reject, and the check is skipped.
	RealConfig bool
	// Query is the query file; "" skips query, delete and their requests.
	Query string
	// SpecFile, when set, is the spec.json that the spec command's output
	// must equal (a project's drift check).
	SpecFile string
	// SpecChecks are further checks of the config schema that the spec
	// command prints (spec.json's "spec"), run after the protocol's own:
	// monoid-gen check adds its lint of what the platform's form can
	// render here.
	SpecChecks []SpecCheck `json:"-"`
	// Persist is the persistence directory; "" makes a fresh temporary one,
	// removed afterwards.
	Persist string
	// Destructive runs delete, which may delete real data.
	Destructive bool

	// Timeout bounds each command (0 for the default, 60s).
	Timeout time.Duration
	// PollTimeout bounds the polling of request-status (0 for the
	// default, 2m).
	PollTimeout time.Duration
}

// SpecCheck is a check of a connector's config schema: Problems returns
// what is wrong with it, nothing when it passes. Its result is named
// "spec: " + Name.
type SpecCheck struct {
	Name     string
	Problems func(schema json.RawMessage) []string
}

// Status is the outcome of one check.
type Status string

// The outcomes. WARN is a check that passed on nothing: the connector
// did no wrong, but returned no record from any store, so the record
// checks proved nothing and the data may not be reaching it. It fails
// nothing.
const (
	Pass Status = "PASS"
	Fail Status = "FAIL"
	Skip Status = "SKIP"
	Warn Status = "WARN"
)

// Result is one check: its name, its outcome and, for FAIL, SKIP and
// WARN, why; a PASS may carry a note, such as the records counted.
type Result struct {
	Check  string `json:"check"`
	Status Status `json:"status"`
	Detail string `json:"detail,omitempty"`
}

// Report is the outcome of a run.
type Report struct {
	Results []Result `json:"results"`
	Passed  int      `json:"passed"`
	Failed  int      `json:"failed"`
	Skipped int      `json:"skipped"`
	Warned  int      `json:"warned"`
}

// Add records the outcome of a check made outside Run, such as a
// project's own checks. The check's name and detail are escaped (see
// WriteText) and the detail bounded, so that the report, text or JSON,
// is safe to print whatever the connector printed.
func (r *Report) Add(res Result) {
	res.Check, res.Detail = escape(res.Check), bound(escape(res.Detail))
	r.Results = append(r.Results, res)
	switch res.Status {
	case Pass:
		r.Passed++
	case Fail:
		r.Failed++
	case Skip:
		r.Skipped++
	case Warn:
		r.Warned++
	}
}

// OK reports whether no check failed.
func (r *Report) OK() bool { return r.Failed == 0 }

// Run runs the whole sequence. The error is for faults of the run itself
// (no config file, no temporary directory); everything the connector does
// wrong is a failed check in the report.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.Timeout < 0 || o.PollTimeout < 0 {
		return nil, fmt.Errorf("timeout %v and poll timeout %v: neither may be negative (0 takes the default)", o.Timeout, o.PollTimeout)
	}
	if o.Timeout == 0 {
		o.Timeout = 60 * time.Second
	}
	if o.PollTimeout == 0 {
		o.PollTimeout = 2 * time.Minute
	}
	if _, err := os.Stat(o.Config); err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp("", "monoid-check-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	s := &suite{opts: o, work: work, report: &Report{}}
	if o.Persist == "" {
		if s.persistDir, err = os.MkdirTemp(work, "persist-"); err != nil {
			return nil, err
		}
	} else {
		s.persistDir = o.Persist
	}
	if err := s.setup(); err != nil {
		return nil, err
	}
	s.run(ctx)
	return s.report, nil
}
