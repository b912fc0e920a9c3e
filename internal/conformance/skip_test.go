package conformance

import (
	"regexp"
	"testing"
)

// rounds is the part of a check's name that varies from run to run.
var rounds = regexp.MustCompile(` \(\d+ rounds?\)$`)

// checkNames are the names of r's checks, without their round counts.
func checkNames(r *Report) map[string]Result {
	names := map[string]Result{}
	for _, res := range r.Results {
		names[rounds.ReplaceAllString(res.Check, "")] = res
	}
	return names
}

// TestEveryCheckIsReported checks that when a step fails, every check
// that depends on it still appears in the report, as SKIP with the
// reason: a report lists every check a correct connector gets, whatever
// fails.
func TestEveryCheckIsReported(t *testing.T) {
	want := checkNames(runAgainst(t, "none", true))
	for _, defect := range []string{"spec-fails", "validate-garbage", "schema-fails", "query-fails", "request-status-fails", "request-results-fails"} {
		t.Run(defect, func(t *testing.T) {
			t.Parallel()
			got := checkNames(runAgainst(t, defect, true))
			for name := range want {
				res, ok := got[name]
				switch {
				case !ok:
					t.Errorf("%s is missing", name)
				case res.Status == Skip && res.Detail == "":
					t.Errorf("%s is skipped without a reason", name)
				}
			}
		})
	}
}
