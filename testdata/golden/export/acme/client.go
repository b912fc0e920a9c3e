package acme

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// This file is the HTTP client every call to the service goes through:
// the token, timeouts, retries and bounded answers. What is particular to
// a service is marked ADAPT: the auth header, which answers are worth a
// retry, how an error body reads. The endpoints themselves are in api.go.

// defaultBaseURL is the service's API when the config names none.
const defaultBaseURL = "https://api.example.com"

// defaultTimeout bounds one API call when the config says nothing.
const defaultTimeout = 30 * time.Second

// maxAnswer bounds a JSON answer of the API. Job descriptions are small;
// anything larger is a broken or hostile answer, not something to hold in
// memory.
const maxAnswer = 1 << 20

// errTokenRefused is the error of every call the service answers 401 or
// 403.
var errTokenRefused = errors.New("the API token was refused (expired or revoked)")

// client calls the service's API. One client serves one command, so one
// connection pool is reused across its calls.
type client struct {
	base    *url.URL // the API's address; endpoints are joined to it
	token   string   // only ever sent to base's origin (see authTransport)
	http    *http.Client
	timeout time.Duration // one API call; also the idle limit of a download
	retry   retryPolicy
	// maxDownload bounds a result file (see download.go).
	maxDownload int64
	// sleep waits between attempts; tests replace it to record the waits.
	sleep func(ctx context.Context, d time.Duration) error
}

// newClient checks conf and makes a client for it. Errors name the field
// at fault; none contains the token.
func newClient(conf Config) (*client, error) {
	raw := conf.BaseURL
	if raw == "" {
		raw = defaultBaseURL
	}
	base, err := parseBaseURL(raw)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(conf.APIToken) == "" {
		return nil, errors.New("api_token is empty: copy an API token from the service's settings")
	}
	timeout := defaultTimeout
	if conf.TimeoutSeconds < 0 {
		return nil, fmt.Errorf("timeout_seconds is %d: give a positive number of seconds", conf.TimeoutSeconds)
	}
	if conf.TimeoutSeconds > 0 {
		timeout = time.Duration(conf.TimeoutSeconds) * time.Second
	}
	transport := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   10 * time.Second, // connect
			KeepAlive: 30 * time.Second,
		}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: timeout, // the service must start answering within the timeout
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   4,
		ForceAttemptHTTP2:     true,
	}
	c := &client{
		base:  base,
		token: conf.APIToken,
		http: &http.Client{
			Transport:     &authTransport{next: transport, origin: origin(base), token: conf.APIToken},
			CheckRedirect: checkRedirect,
			// No Timeout here: it would cut a long download short. Each
			// API call gets its own deadline (callJSON); a download is
			// bounded by its size and by idle time (download.go).
		},
		timeout:     timeout,
		retry:       defaultRetry,
		maxDownload: defaultMaxDownload,
		sleep:       sleep,
	}
	return c, nil
}

// parseBaseURL checks base_url: an absolute http(s) URL without query or
// credentials. Plain http is accepted only for the loopback interface (a
// local fake or proxy): elsewhere the token would cross the network in
// clear text.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	switch {
	case err != nil:
		return nil, fmt.Errorf("base_url %q is not a URL: want one like %s", raw, defaultBaseURL)
	case u.Scheme != "https" && u.Scheme != "http" || u.Host == "":
		return nil, fmt.Errorf("base_url %q is not an http(s) address: want one like %s", raw, defaultBaseURL)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("base_url %q: give the address alone, without credentials, query or fragment", u.Redacted())
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return nil, fmt.Errorf("base_url %q uses plain http, which would send the API token unencrypted: use https", raw)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// close releases the client's idle connections.
func (c *client) close() { c.http.CloseIdleConnections() }

// endpoint is the URL of path under the API's address.
func (c *client) endpoint(path string) *url.URL { return c.base.JoinPath(path) }

// authTransport adds the token to requests for the API's own origin
// (scheme, host and port of base_url) and to no other. net/http's own
// rule is looser: on a redirect it keeps the Authorization header for the
// same host on any port or scheme and for its subdomains. Here the header
// is never on the request the client follows, so a redirect or a download
// URL elsewhere (object storage) goes without it.
type authTransport struct {
	next   http.RoundTripper
	origin string
	token  string
}

func (t *authTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if origin(r.URL) != t.origin {
		return t.next.RoundTrip(r)
	}
	r = r.Clone(r.Context())
	// ADAPT: how the service takes its token (a Bearer token here;
	// some want "Token <t>", an X-API-Key header or basic auth).
	r.Header.Set("Authorization", "Bearer "+t.token)
	return t.next.RoundTrip(r)
}

// origin is scheme://host:port, with the port made explicit.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// checkRedirect follows at most five redirects and never from https to
// plain http.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("stopped after 5 redirects")
	}
	if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
		return fmt.Errorf("refused a redirect from https to %s", safeURL(req.URL))
	}
	return nil
}

// safeURL is u for messages: no credentials and no query, which for a
// pre-signed download URL holds a signature.
func safeURL(u *url.URL) string {
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}

// APIError is an answer of the service that is not a success.
type APIError struct {
	Method, URL string // URL as safeURL gives it
	Status      int
	Message     string // what the service said, shortened, token removed
}

func (e *APIError) Error() string {
	msg := fmt.Sprintf("%s %s: %d %s", e.Method, e.URL, e.Status, http.StatusText(e.Status))
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// checkStatus turns a response that is not a success into an error: 401
// and 403 into errTokenRefused, 429 and 5xx into a retryable error
// (honouring Retry-After), any other status into an APIError. Only 2xx
// passes.
func (c *client) checkStatus(resp *http.Response) error {
	code := resp.StatusCode
	if code >= 200 && code < 300 {
		return nil
	}
	req := resp.Request
	if code == http.StatusUnauthorized || code == http.StatusForbidden {
		// The body is not read: services like to echo the token here.
		return fmt.Errorf("%s %s: %w (%d %s); put a valid token in api_token", req.Method, safeURL(req.URL), errTokenRefused, code, http.StatusText(code))
	}
	err := &APIError{Method: req.Method, URL: safeURL(req.URL), Status: code, Message: c.errorMessage(resp.Body)}
	// ADAPT: the statuses worth another attempt.
	if code == http.StatusTooManyRequests || code >= 500 {
		after, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		return &retryable{err: err, after: after, hasAfter: ok}
	}
	return err
}

// errorMessage reads what an error answer says: the "error" or "message"
// field of a JSON body, or the start of a text one, with the token cut
// out and at most 200 characters.
func (c *client) errorMessage(body io.Reader) string {
	b, _ := io.ReadAll(io.LimitReader(body, 4096))
	// ADAPT: where the service puts its error message.
	var v struct{ Error, Message string }
	msg := string(b)
	if json.Unmarshal(b, &v) == nil {
		msg = v.Error
		if msg == "" {
			msg = v.Message
		}
	}
	msg = strings.ReplaceAll(msg, c.token, "[token]")
	msg = strings.Join(strings.Fields(msg), " ")
	if r := []rune(msg); len(r) > 200 {
		msg = string(r[:200]) + "..."
	}
	return msg
}

// callJSON sends one API call, retrying as retryPolicy says, and decodes
// its JSON answer into out (unless out is nil). A POST carries an
// Idempotency-Key, the same on every attempt, so that the service starts
// one job however many attempts it takes; only then is retrying a POST
// safe. Each attempt, answer included, has the config's timeout.
func (c *client) callJSON(ctx context.Context, method, path string, body, out any) error {
	u := c.endpoint(path)
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return fmt.Errorf("%s %s: encode the request: %w", method, safeURL(u), err)
		}
	}
	header := http.Header{"Accept": {"application/json"}}
	if body != nil {
		header.Set("Content-Type", "application/json")
	}
	if method == http.MethodPost {
		// ADAPT: the header name your service reads (Idempotency-Key is
		// the common one). A service without idempotency keys may start
		// a second job when a POST is retried after a lost answer; if
		// that matters, make POST retry only on 429.
		header.Set("Idempotency-Key", newIdempotencyKey())
	}
	return c.withRetries(ctx, method+" "+safeURL(u), func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, c.timeout)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(payload))
		if err != nil {
			return err
		}
		req.Header = header.Clone()
		resp, err := c.http.Do(req)
		if err != nil {
			if ctx.Err() == context.DeadlineExceeded {
				err = fmt.Errorf("%s %s: no answer within %v (timeout_seconds)", method, safeURL(u), c.timeout)
			}
			return transportError(err)
		}
		defer resp.Body.Close()
		if err := c.checkStatus(resp); err != nil {
			return err
		}
		b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
		if err != nil {
			return transportError(fmt.Errorf("%s %s: read the answer: %w", method, safeURL(u), err))
		}
		if len(b) > maxAnswer {
			return fmt.Errorf("%s %s: the answer is larger than %d bytes, too large for a job description", method, safeURL(u), maxAnswer)
		}
		if out == nil {
			return nil
		}
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s %s: the answer is not the JSON expected: %v", method, safeURL(u), err)
		}
		return nil
	})
}

// transportError marks a failure to get an answer as worth a retry
// (withRetries stops anyway once the command is cancelled). *url.Error
// names the URL with its query, which may hold a signature: safeURL
// replaces it.
func transportError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			err = fmt.Errorf("%s %s: %w", ue.Op, safeURL(u), ue.Err)
		}
	}
	return &retryable{err: err}
}

// newIdempotencyKey returns 128 random bits in hex.
func newIdempotencyKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
