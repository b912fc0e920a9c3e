package conformance

import (
	"bytes"
	"strings"
	"testing"
)

// results are r's results by check name.
func results(r *Report) map[string]Result {
	m := map[string]Result{}
	for _, res := range r.Results {
		m[res.Check] = res
	}
	return m
}

// TestRecordCounts checks that scan and the query's results report how
// many records each store returned (3 a store, as the fixture config
// asks; one user and one order match the fixture query).
func TestRecordCounts(t *testing.T) {
	r := results(runAgainst(t, "none", true))
	for check, want := range map[string]string{
		"scan: records per store":                   "app/orders 3, app/users 3",
		"query: request-results: records per store": "app/orders 1, app/users 1",
	} {
		if got := r[check]; got.Status != Pass || got.Detail != want {
			t.Errorf("%s: %s %q, want PASS %q", check, got.Status, got.Detail, want)
		}
	}
	if _, ok := r["delete: request-results: records per store"]; ok {
		t.Error("the results of a deletion are counted: a deletion returns no records")
	}
}

// TestNoRecordsWarns checks that a connector that runs without fault but
// returns no record at all is told apart from one that returns records:
// a warning, which fails nothing.
func TestNoRecordsWarns(t *testing.T) {
	report := runAgainst(t, "empty", false)
	r := results(report)
	for _, check := range []string{"scan: records per store", "query: request-results: records per store"} {
		if got := r[check]; got.Status != Warn || !strings.Contains(got.Detail, "no store returned a record (app/orders 0, app/users 0)") {
			t.Errorf("%s: %s %q, want a warning", check, got.Status, got.Detail)
		}
	}
	if !report.OK() || report.Warned != 2 {
		t.Errorf("OK %v, %d warned; want OK with 2 warnings", report.OK(), report.Warned)
	}
	var text bytes.Buffer
	report.WriteText(&text)
	if !strings.HasSuffix(text.String(), " passed, 0 failed, 1 skipped, 2 warned\n") {
		t.Errorf("totals: %q", text.String()[strings.LastIndexByte(strings.TrimSuffix(text.String(), "\n"), '\n')+1:])
	}
}
