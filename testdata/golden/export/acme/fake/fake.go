// Package fake is a fake of the export API the connector talks to: an
// HTTP server on the loopback interface, in the manner of
// net/http/httptest, for tests and for trying the connector without an
// account. Its Options make it misbehave the way real services do: slow
// jobs, rate limits, server errors, expired tokens, failed jobs, broken
// answers and broken downloads.
//
// Start one, point the connector's base_url at its URL and give it
// DefaultToken:
//
//	srv := fake.NewServer(fake.Options{Polls: 3})
//	defer srv.Close()
//	conf := Config{BaseURL: srv.URL, APIToken: fake.DefaultToken}
//
// The API it serves (adapt the connector, not the fake, to your service):
//
//	GET  /v1/me                  the account the token belongs to
//	POST /v1/exports             start an export: {"identifier": "email", "value": "ada@example.com"}
//	GET  /v1/exports/{id}        the job: {"id", "state", "format", "error", "file": {"url", "size", "sha256"}}
//	GET  /v1/exports/{id}/file   the result file, once the job is done
//	POST /v1/deletions           start a deletion, same body
//	GET  /v1/deletions/{id}      the job
//
// Jobs are "queued" when created, "running" while polled, then "done" (or
// "failed"). Every request needs "Authorization: Bearer <token>". A POST
// that carries an Idempotency-Key already seen returns the job that key
// created, as services that support retries do.
package fake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
)

// DefaultToken is the API token the fake accepts unless Options.Token
// says otherwise.
const DefaultToken = "fake-token-3f9c2a7d41"

// Options shape a fake service. The zero value is a well-behaved service
// whose jobs take two polls and export three rows as CSV.
type Options struct {
	// Token is the API token accepted (default DefaultToken).
	Token string
	// Polls is how many status reads a job takes to end (default 2): the
	// reads before the last answer "running".
	Polls int
	// Rows is how many rows an export holds (default 3); Size, when set,
	// overrides it with as many rows as make about Size bytes.
	Rows int64
	Size int64
	// Format is the form of the result file (default CSV).
	Format Format

	// Throttle makes the first Throttle API requests answer 429 Too Many
	// Requests with a Retry-After header of RetryAfter (default "1": one
	// second; an HTTP date works too).
	Throttle   int
	RetryAfter string
	// ServerErrors makes the next ServerErrors API requests (after any
	// throttled ones) answer 500 Internal Server Error, with a body that
	// echoes the request's Authorization header, as careless services do.
	ServerErrors int
	// FailAfterCreate makes the first POST create its job and still
	// answer 500: a retry without the same Idempotency-Key would start a
	// second job.
	FailAfterCreate bool
	// TokenExpired makes every request answer 401, with a body that
	// names the token.
	TokenExpired bool
	// JobFails makes jobs end in state "failed" with an error message.
	JobFails bool
	// FinalState, when set, is the state jobs end in instead of "done".
	FinalState string
	// MalformedStatus makes every job read answer a cut-off JSON body.
	MalformedStatus bool
	// TruncatedDownload sends half of the result file under a
	// Content-Length for all of it.
	TruncatedDownload bool
	// WrongChecksum gives the job a sha256 that is not the file's.
	WrongChecksum bool
	// NoChecksum leaves size and sha256 out of the job.
	NoChecksum bool
	// RedirectDownload makes the file endpoint redirect to Storage, a
	// second server on another port, as services that keep files in
	// object storage do. Storage needs no token and must not get one.
	RedirectDownload bool
}

// Server is a running fake service. Its embedded httptest.Server gives
// URL and Close.
type Server struct {
	*httptest.Server
	// Storage is the server downloads are redirected to; nil unless
	// Options.RedirectDownload.
	Storage *httptest.Server

	opts Options

	mu        sync.Mutex
	jobs      map[string]*job
	order     []string          // job ids, in creation order
	keys      map[string]string // Idempotency-Key -> job id
	requests  []Request
	api       int // API requests so far, for Throttle and ServerErrors
	posts     int
	nextID    int
	sumsOnce  sync.Map // job id -> *sync.Once
	sumValues sync.Map // job id -> string
}

// Request is one request the fake received, on either server.
type Request struct {
	Method, Path   string
	Host           string // the server's host:port
	Authorization  string // the Authorization header, "" if none
	IdempotencyKey string
}

// Job is a job as the fake holds it.
type Job struct {
	ID    string
	Kind  string // "export" or "deletion"
	User  string // the identifier's value, as text
	State string
}

type job struct {
	Job
	polls int
	data  *content
}

// NewServer starts a fake service (and its Storage server when asked).
func NewServer(o Options) *Server {
	if o.Token == "" {
		o.Token = DefaultToken
	}
	if o.Polls <= 0 {
		o.Polls = 2
	}
	if o.Rows == 0 {
		o.Rows = 3
	}
	if o.Format == "" {
		o.Format = CSV
	}
	if o.RetryAfter == "" {
		o.RetryAfter = "1"
	}
	s := &Server{opts: o, jobs: map[string]*job{}, keys: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/me", s.me)
	mux.HandleFunc("POST /v1/exports", s.create("export", "exp"))
	mux.HandleFunc("POST /v1/deletions", s.create("deletion", "del"))
	mux.HandleFunc("GET /v1/exports/{id}", s.read("export"))
	mux.HandleFunc("GET /v1/deletions/{id}", s.read("deletion"))
	mux.HandleFunc("GET /v1/exports/{id}/file", s.file)
	s.Server = httptest.NewServer(s.guard(mux))
	if o.RedirectDownload {
		s.Storage = httptest.NewServer(http.HandlerFunc(s.stored))
	}
	return s
}

// Close shuts both servers down.
func (s *Server) Close() {
	s.Server.Close()
	if s.Storage != nil {
		s.Storage.Close()
	}
}

// Requests returns every request received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Jobs returns the jobs created so far, in order.
func (s *Server) Jobs() []Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Job, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, s.jobs[id].Job)
	}
	return out
}

// Content returns the result file an export about user holds, as a
// writer that generates it on the fly, and its size: what a download must
// yield.
func (s *Server) Content(user string) (io.WriterTo, int64) {
	c := s.content(user)
	return c, c.size()
}

func (s *Server) content(user string) *content {
	rows := s.opts.Rows
	if s.opts.Size > 0 {
		rows = rowsFor(s.opts.Format, user, s.opts.Size)
	}
	return newContent(s.opts.Format, user, rows)
}

func (s *Server) record(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{
		Method: r.Method, Path: r.URL.Path, Host: r.Host,
		Authorization:  r.Header.Get("Authorization"),
		IdempotencyKey: r.Header.Get("Idempotency-Key"),
	})
}

// guard records each API request, then applies the faults that come
// before any handler: throttling, server errors and the token check.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		s.mu.Lock()
		s.api++
		n := s.api
		s.mu.Unlock()
		auth := r.Header.Get("Authorization")
		switch {
		case n <= s.opts.Throttle:
			w.Header().Set("Retry-After", s.opts.RetryAfter)
			writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "rate limit exceeded"})
		case n <= s.opts.Throttle+s.opts.ServerErrors:
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error while handling request with authorization " + auth})
		case s.opts.TokenExpired:
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "token " + strings.TrimPrefix(auth, "Bearer ") + " has expired"})
		case auth != "Bearer "+s.opts.Token:
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid token"})
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"account": "fake"})
}

// create starts a job of kind; its id is prefix_<n>.
func (s *Server) create(kind, prefix string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Identifier string          `json:"identifier"`
			Value      json.RawMessage `json:"value"`
		}
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil || body.Identifier == "" || len(body.Value) == 0 {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "want {\"identifier\": ..., \"value\": ...}"})
			return
		}
		user := string(body.Value)
		if text, err := strconv.Unquote(user); err == nil {
			user = text
		}
		s.mu.Lock()
		key := r.Header.Get("Idempotency-Key")
		j, seen := s.jobs[s.keys[key]]
		if !seen || key == "" {
			s.nextID++
			j = &job{Job: Job{ID: fmt.Sprintf("%s_%d", prefix, s.nextID), Kind: kind, User: user, State: "queued"}}
			s.jobs[j.ID] = j
			s.order = append(s.order, j.ID)
			if key != "" {
				s.keys[key] = j.ID
			}
		}
		s.posts++
		lose := s.opts.FailAfterCreate && s.posts == 1
		view := s.view(j)
		s.mu.Unlock()
		if lose {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "the job was created but the answer was lost"})
			return
		}
		writeJSON(w, http.StatusAccepted, view)
	}
}

// read answers a job's state, advancing it by one poll.
func (s *Server) read(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		j, ok := s.jobs[r.PathValue("id")]
		if !ok || j.Kind != kind {
			s.mu.Unlock()
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such " + kind})
			return
		}
		j.polls++
		switch {
		case j.polls < s.opts.Polls:
			j.State = "running"
		case s.opts.FinalState != "":
			j.State = s.opts.FinalState
		case s.opts.JobFails:
			j.State = "failed"
		default:
			j.State = "done"
		}
		view := s.view(j)
		s.mu.Unlock()
		if s.opts.MalformedStatus {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"id":"`+j.ID+`","state":"runn`)
			return
		}
		if f, ok := view["file"].(map[string]any); ok && !s.opts.NoChecksum {
			f["sha256"] = s.sum(j)
		}
		writeJSON(w, http.StatusOK, view)
	}
}

// view is a job as the API shows it. The caller holds s.mu.
func (s *Server) view(j *job) map[string]any {
	v := map[string]any{"id": j.ID, "state": j.State}
	if j.Kind != "export" {
		return v
	}
	v["format"] = string(s.opts.Format)
	switch j.State {
	case "failed":
		v["error"] = "the export could not be assembled"
	case "done":
		if j.data == nil {
			j.data = s.content(j.User)
		}
		f := map[string]any{"url": s.URL + "/v1/exports/" + j.ID + "/file"}
		if !s.opts.NoChecksum {
			f["size"] = j.data.size()
		}
		v["file"] = f
	}
	return v
}

// sum is the sha256 the job announces, computed once per job, outside
// the lock: a large export takes a while to hash.
func (s *Server) sum(j *job) string {
	if s.opts.WrongChecksum {
		return "0000000000000000000000000000000000000000000000000000000000000000"
	}
	once, _ := s.sumsOnce.LoadOrStore(j.ID, new(sync.Once))
	once.(*sync.Once).Do(func() { s.sumValues.Store(j.ID, j.data.sum()) })
	v, _ := s.sumValues.Load(j.ID)
	return v.(string)
}

// file serves a done export's result file, or redirects to Storage.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	c, ok := s.doneContent(r.PathValue("id"))
	if !ok {
		writeJSON(w, http.StatusConflict, map[string]string{"error": "the export is not done"})
		return
	}
	if s.Storage != nil {
		http.Redirect(w, r, s.Storage.URL+"/files/"+r.PathValue("id")+"?signature=fake", http.StatusFound)
		return
	}
	s.serve(w, c)
}

// stored is Storage's handler: any file of a done export, no token
// needed.
func (s *Server) stored(w http.ResponseWriter, r *http.Request) {
	s.record(r)
	c, ok := s.doneContent(strings.TrimPrefix(r.URL.Path, "/files/"))
	if !ok || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	s.serve(w, c)
}

func (s *Server) doneContent(id string) (*content, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[id]
	if !ok || j.Kind != "export" || j.data == nil {
		return nil, false
	}
	return j.data, true
}

// serve streams c, or half of it under a Content-Length for all of it.
func (s *Server) serve(w http.ResponseWriter, c *content) {
	types := map[Format]string{CSV: "text/csv", NDJSON: "application/x-ndjson", JSON: "application/json"}
	w.Header().Set("Content-Type", types[c.format])
	w.Header().Set("Content-Length", strconv.FormatInt(c.size(), 10))
	if s.opts.TruncatedDownload {
		c.writeN(w, c.size()/2)
		return
	}
	c.WriteTo(w)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}
