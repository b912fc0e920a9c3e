package acme

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryPolicy says how often and how patiently a call is retried.
type retryPolicy struct {
	attempts int           // tries in all, the first included
	base     time.Duration // the ceiling of the first wait; it doubles per attempt
	max      time.Duration // no wait is longer, Retry-After included
}

// defaultRetry tries five times over at most about a minute: 429, 5xx and
// failures to get an answer are usually over by then; if not, the command
// fails and the platform asks again later.
var defaultRetry = retryPolicy{attempts: 5, base: 500 * time.Millisecond, max: 30 * time.Second}

// wait is how long to wait before attempt n+1 after attempt n failed:
// what Retry-After asked for, if anything, else "full jitter", a random
// wait between zero and base*2^(n-1), so that many clients throttled at
// once do not come back at once. Both are capped at max.
func (p retryPolicy) wait(n int, after time.Duration, hasAfter bool) time.Duration {
	if hasAfter {
		return min(after, p.max)
	}
	ceiling := p.base
	for i := 1; i < n && ceiling < p.max; i++ {
		ceiling *= 2
	}
	return rand.N(min(ceiling, p.max) + 1)
}

// retryable is an error worth another attempt, with the wait the service
// asked for in Retry-After, if it did.
type retryable struct {
	err      error
	after    time.Duration
	hasAfter bool
}

func (r *retryable) Error() string { return r.err.Error() }
func (r *retryable) Unwrap() error { return r.err }

// withRetries runs attempt until it succeeds, fails for good (an error
// that is not *retryable), the attempts run out or ctx ends. what names
// the call in logs and errors.
func (c *client) withRetries(ctx context.Context, what string, attempt func(context.Context) error) error {
	for n := 1; ; n++ {
		err := attempt(ctx)
		var r *retryable
		if !errors.As(err, &r) {
			return err
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w", what, ctx.Err())
		}
		if n >= c.retry.attempts {
			return fmt.Errorf("%w (gave up after %d attempts)", r.err, n)
		}
		d := c.retry.wait(n, r.after, r.hasAfter)
		slog.Warn(fmt.Sprintf("retrying in %v (attempt %d of %d): %v", d.Round(time.Millisecond), n+1, c.retry.attempts, r.err))
		if err := c.sleep(ctx, d); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
}

// sleep waits d, or less if ctx ends first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// parseRetryAfter reads a Retry-After header: a number of seconds or an
// HTTP date, which is turned into the time left from now (zero if
// passed). ok is false when the header is absent or unreadable.
func parseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseUint(v, 10, 63); err == nil {
		if secs > uint64(24*time.Hour/time.Second) {
			secs = uint64(24 * time.Hour / time.Second) // beyond any cap; avoids overflow
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
