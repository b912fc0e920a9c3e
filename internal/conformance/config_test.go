package conformance

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestRejectedConfig checks what becomes of a config the connector
// rejects: the author's own config fails validate: status with the
// connector's message; a project's fixture, whose placeholder values may
// rightly be rejected, skips it with the same message.
func TestRejectedConfig(t *testing.T) {
	const message = "cannot reach the database: dial error: dial tcp 10.0.0.1:5432: connection refused"
	for _, real := range []bool{true, false} {
		o := fixture(t, "validate-rejects")
		o.RealConfig = real
		r, err := Run(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		got := results(r)["validate: status"]
		want := Skip
		if real {
			want = Fail
		}
		if got.Status != want || !strings.Contains(got.Detail, message) || strings.Contains(got.Detail, "placeholder") == real {
			t.Errorf("RealConfig %v: validate: status is %s %q, want %s with the connector's message", real, got.Status, got.Detail, want)
		}
	}
}

// TestNegativeTimeoutIsRefused checks that Run refuses a negative
// timeout instead of running every command past its deadline.
func TestNegativeTimeoutIsRefused(t *testing.T) {
	o := fixture(t, "none")
	o.Timeout = -time.Second
	if _, err := Run(context.Background(), o); err == nil || !strings.Contains(err.Error(), "negative") {
		t.Errorf("Run with a timeout of -1s: %v, want an error", err)
	}
}
