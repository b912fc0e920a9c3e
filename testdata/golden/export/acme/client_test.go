package acme

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{" 7 ", 7 * time.Second, true},
		{"99999999999999", 24 * time.Hour, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"Sat, 01 Mar 2025 12:00:30 GMT", 30 * time.Second, true},
		{"Sat, 01 Mar 2025 11:00:00 GMT", 0, true},
		{"soon", 0, false},
	} {
		got, ok := parseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestBackoff: without Retry-After, waits are random within a ceiling
// that doubles per attempt up to max; Retry-After is obeyed up to max.
func TestBackoff(t *testing.T) {
	p := retryPolicy{attempts: 5, base: 100 * time.Millisecond, max: time.Second}
	for n := 1; n <= 70; n++ {
		ceiling := min(p.max, p.base<<min(n-1, 20))
		var seenLow, seenHigh bool
		for range 200 {
			d := p.wait(n, 0, false)
			if d < 0 || d > ceiling {
				t.Fatalf("attempt %d: wait %v outside [0, %v]", n, d, ceiling)
			}
			seenLow = seenLow || d < ceiling/2
			seenHigh = seenHigh || d >= ceiling/2
		}
		if !seenLow || !seenHigh {
			t.Errorf("attempt %d: 200 waits all in one half of [0, %v]: not jittered", n, ceiling)
		}
	}
	if d := p.wait(1, 3*time.Second, true); d != time.Second {
		t.Errorf("Retry-After 3s gave %v, want the cap, 1s", d)
	}
	if d := p.wait(1, 200*time.Millisecond, true); d != 200*time.Millisecond {
		t.Errorf("Retry-After 200ms gave %v", d)
	}
}

// testClient is a client for srv with recorded waits and few attempts.
func testClient(t *testing.T, srv *httptest.Server, token string) (*client, *waits) {
	t.Helper()
	c, err := newClient(Config{BaseURL: srv.URL, APIToken: token, TimeoutSeconds: 5})
	if err != nil {
		t.Fatal(err)
	}
	w := &waits{}
	c.sleep = w.sleep
	t.Cleanup(c.close)
	return c, w
}

// TestNoRetryOnClientErrors: a 4xx other than 429 is final.
func TestNoRetryOnClientErrors(t *testing.T) {
	for _, code := range []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity} {
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			w.WriteHeader(code)
			io.WriteString(w, `{"message":"nope"}`)
		}))
		c, _ := testClient(t, srv, "tok")
		err := c.callJSON(context.Background(), http.MethodPost, "/v1/exports", jobRequest{}, nil)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Status != code || apiErr.Message != "nope" {
			t.Errorf("%d: error %v, want an APIError saying nope", code, err)
		}
		if hits.Load() != 1 {
			t.Errorf("%d: %d requests, want 1", code, hits.Load())
		}
		srv.Close()
	}
}

func TestTransportErrorsAreRetried(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	c, w := testClient(t, srv, "tok")
	srv.Close() // nothing listens any more
	err := c.checkToken(context.Background())
	if err == nil || !strings.Contains(err.Error(), "gave up after 5 attempts") || len(w.all()) != 4 {
		t.Errorf("error %v after waits %v, want 5 attempts", err, w.all())
	}
}

func TestAnswerTooLarge(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"id":"`+strings.Repeat("x", maxAnswer)+`"}`)
	}))
	defer srv.Close()
	c, _ := testClient(t, srv, "tok")
	_, err := c.job(context.Background(), pathExports, "j1")
	if err == nil || !strings.Contains(err.Error(), "larger than 1048576 bytes") {
		t.Errorf("error %v, want the answer too large", err)
	}
}

// TestCallTimeout: an API call that gets no answer within the timeout is
// given up and retried.
func TestCallTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c, _ := testClient(t, srv, "tok")
	c.timeout = 50 * time.Millisecond
	c.retry.attempts = 2
	err := c.checkToken(context.Background())
	if err == nil || !strings.Contains(err.Error(), "no answer within 50ms") || !strings.Contains(err.Error(), "gave up after 2 attempts") {
		t.Errorf("error %v, want no answer within the timeout, twice", err)
	}
}

// TestCancelStopsRetries: a cancelled command stops waiting at once.
func TestCancelStopsRetries(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "20")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	c, _ := testClient(t, srv, "tok")
	c.sleep = sleep // really wait
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	err := c.checkToken(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want the cancellation", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("returned after %v: the 20s Retry-After was not cut short", time.Since(start))
	}
}

// TestTokenOnlyToItsOrigin: the token goes to base_url's scheme, host and
// port, and nowhere else, whatever net/http would do on a redirect.
func TestTokenOnlyToItsOrigin(t *testing.T) {
	var sawAuth atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawAuth.Store(r.Header.Get("Authorization"))
		io.WriteString(w, `{}`)
	}))
	defer other.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		// Same host, other port; then localhost for 127.0.0.1.
		target := other.URL
		if r.URL.Path == "/v1/me" {
			target = strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
		}
		http.Redirect(w, r, target+"/elsewhere", http.StatusFound)
	}))
	defer api.Close()
	c, _ := testClient(t, api, "tok")
	for _, path := range []string{"/v1/me", "/v1/exports/x"} {
		sawAuth.Store("unset")
		if err := c.callJSON(context.Background(), http.MethodGet, path, nil, nil); err != nil {
			t.Fatal(err)
		}
		if got := sawAuth.Load(); got != "" {
			t.Errorf("redirected from %s, the other server got Authorization %q", path, got)
		}
	}
	for _, tc := range []struct{ a, b string }{
		{"https://api.example.com", "https://API.example.com:443/x"},
		{"http://127.0.0.1:80", "http://127.0.0.1/x"},
	} {
		a, _ := url.Parse(tc.a)
		b, _ := url.Parse(tc.b)
		if origin(a) != origin(b) {
			t.Errorf("origin(%s) = %s differs from origin(%s) = %s", tc.a, origin(a), tc.b, origin(b))
		}
	}
	for _, tc := range []struct{ a, b string }{
		{"https://api.example.com", "http://api.example.com"},
		{"https://api.example.com", "https://files.api.example.com"},
		{"https://api.example.com", "https://api.example.com:8443"},
	} {
		a, _ := url.Parse(tc.a)
		b, _ := url.Parse(tc.b)
		if origin(a) == origin(b) {
			t.Errorf("origin(%s) = origin(%s)", tc.a, tc.b)
		}
	}
}

func TestCheckRedirect(t *testing.T) {
	req := func(s string) *http.Request {
		r, _ := http.NewRequest(http.MethodGet, s, nil)
		return r
	}
	if err := checkRedirect(req("http://files.example.com/f?sig=secret"), []*http.Request{req("https://api.example.com/x")}); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("https to http: %v, want a refusal without the query", err)
	}
	if err := checkRedirect(req("https://files.example.com/f"), []*http.Request{req("https://api.example.com/x")}); err != nil {
		t.Errorf("https to https elsewhere: %v", err)
	}
	via := make([]*http.Request, 5)
	for i := range via {
		via[i] = req("https://api.example.com/x")
	}
	if err := checkRedirect(req("https://api.example.com/y"), via); err == nil {
		t.Error("a sixth redirect was followed")
	}
}

func TestErrorMessage(t *testing.T) {
	c := &client{token: "s3cret-token"}
	for body, want := range map[string]string{
		`{"error":"token s3cret-token is bad"}`:   "token [token] is bad",
		`{"message":"quota\nexceeded"}`:           "quota exceeded",
		"plain text s3cret-token":                 "plain text [token]",
		strings.Repeat("é", 300):                  strings.Repeat("é", 200) + "...",
		`{"error":"","message":"","other":"x y"}`: "",
	} {
		if got := c.errorMessage(strings.NewReader(body)); got != want {
			t.Errorf("errorMessage(%.30q) = %q, want %q", body, got, want)
		}
	}
}

// TestDownloadIdle: a download that stops sending data is given up after
// the timeout, retried, and the error says so.
func TestDownloadIdle(t *testing.T) {
	stop := make(chan struct{})
	defer close(stop)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		io.WriteString(w, strings.Repeat("x", 100))
		w.(http.Flusher).Flush()
		select {
		case <-stop:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	c, _ := testClient(t, srv, "tok")
	c.timeout = 100 * time.Millisecond
	c.retry.attempts = 2
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	u, _ := url.Parse(srv.URL + "/file")
	_, err = c.download(context.Background(), u, f, fileCheck{})
	if err == nil || !strings.Contains(err.Error(), "no data for 100ms after 100 bytes") || !strings.Contains(err.Error(), "gave up after 2 attempts") {
		t.Errorf("error %v, want an idle download given up", err)
	}
}

// TestDownloadRetriesFromStart: a 503, then a download that breaks off,
// then a good one: the file holds the good one only.
func TestDownloadRetriesFromStart(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch hits.Add(1) {
		case 1:
			w.WriteHeader(http.StatusServiceUnavailable)
		case 2:
			w.Header().Set("Content-Length", "10")
			io.WriteString(w, "AAAA")
		default:
			io.WriteString(w, "0123456789")
		}
	}))
	defer srv.Close()
	c, w := testClient(t, srv, "tok")
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	u, _ := url.Parse(srv.URL + "/file")
	n, err := c.download(context.Background(), u, f, fileCheck{size: 10, sha256: "84D89877F0D4041EFB6BF91A16F0248F2FD573E6AF05C19F96BEDB9F882F7882"})
	if err != nil || n != 10 || len(w.all()) != 2 {
		t.Fatalf("download: %d bytes, %v, after waits %v", n, err, w.all())
	}
	b, _ := os.ReadFile(f.Name())
	if string(b) != "0123456789" {
		t.Errorf("the file holds %q", b)
	}
}

// TestNewClientDefaults: an empty base_url and timeout take the defaults.
func TestNewClientDefaults(t *testing.T) {
	c, err := newClient(Config{APIToken: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if c.base.String() != defaultBaseURL || c.timeout != defaultTimeout {
		t.Errorf("base %s, timeout %v", c.base, c.timeout)
	}
	if _, err := newClient(Config{APIToken: "t", TimeoutSeconds: -1}); err == nil || !strings.Contains(err.Error(), "timeout_seconds") {
		t.Errorf("a negative timeout: %v", err)
	}
}
