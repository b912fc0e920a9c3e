package main

import (
	"context"
	"os"
	"testing"

	"monoid-acme/internal/conformance"
)

// asConnector makes the test binary act as the connector, so that the
// conformance checks run the real program, as the platform would.
const asConnector = "ACME_TEST_AS_CONNECTOR"

func TestMain(m *testing.M) {
	if os.Getenv(asConnector) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestConformance runs the connector through the whole Monoid Protocol with
// the fixtures in testdata/: the same checks as `monoid-gen check`, so the
// connector's own tests cover the protocol. Every failed check fails the
// test with the offending line; skipped checks are logged.
func TestConformance(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	report, err := conformance.Run(context.Background(), conformance.Options{
		Command:  []string{exe},
		Env:      append(os.Environ(), asConnector+"=1"),
		Config:   "testdata/config.json",
		Query:    "testdata/query.json",
		SpecFile: "spec.json",
		// Delete runs because this connector's stores delete nothing real
		// yet. Set it to false before testdata/config.json can reach data
		// that must not be deleted.
		Destructive: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range report.Results {
		switch r.Status {
		case conformance.Fail:
			t.Errorf("%s: %s", r.Check, r.Detail)
		case conformance.Skip:
			t.Logf("skipped %s: %s", r.Check, r.Detail)
		}
	}
	t.Logf("%d passed, %d failed, %d skipped", report.Passed, report.Failed, report.Skipped)
}
