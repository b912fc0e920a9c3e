// Package devserver is the local page of `monoid-gen dev`: the connector's
// config form drawn as the Monoid platform draws it, the config JSON the
// platform would send, and every protocol command run against the
// connector with what it printed.
//
// It is meant for the author's own machine: it serves on loopback only,
// every request must carry a random token, the config entered is kept
// outside the project, readable by the user only, and secret values never
// go back to the browser once entered.
package devserver

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/monoid-gen/monoid-gen/internal/conformance"
	"github.com/monoid-gen/monoid-gen/internal/form"
	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

//go:embed page
var pageFS embed.FS

var index = template.Must(template.ParseFS(pageFS, "page/index.html"))

// Options say which connector the page runs.
type Options struct {
	// Command starts the connector; the protocol's arguments are appended.
	Command []string
	// Dir is the connector's working directory ("" for the current one).
	Dir string
	// SpecFile is the spec.json the form is drawn from; "" runs the
	// connector's spec command instead.
	SpecFile string
	// StateFile keeps the config entered (see StateFile).
	StateFile string
	// Timeout bounds each command (default 60s).
	Timeout time.Duration
}

// Server serves the page. Commands run one at a time.
type Server struct {
	opts    Options
	token   string
	work    string // input files of each run, and the persistence directory
	persist string // the temp_store of every run, so that handles outlive a run

	mu sync.Mutex // one command at a time; guards runs and the state file
	n  int        // runs so far
}

// New returns a server for o, with a fresh token and a temporary work
// directory that Close removes.
func New(o Options) (*Server, error) {
	if len(o.Command) == 0 {
		return nil, errors.New("no connector command to run")
	}
	if o.StateFile == "" {
		return nil, errors.New("no state file to keep the config in")
	}
	if o.Timeout == 0 {
		o.Timeout = 60 * time.Second
	}
	work, err := os.MkdirTemp("", "monoid-dev-")
	if err != nil {
		return nil, err
	}
	s := &Server{opts: o, token: newToken(), work: work, persist: work + "/persist"}
	if err := os.Mkdir(s.persist, 0o700); err != nil {
		os.RemoveAll(work)
		return nil, err
	}
	return s, nil
}

// Token is the token every request must carry.
func (s *Server) Token() string { return s.token }

// Close removes the server's temporary files.
func (s *Server) Close() error { return os.RemoveAll(s.work) }

// Handler serves the page and its API, behind the token and Host checks.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(pageFS, "page")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /{$}", s.serveIndex)
	mux.HandleFunc("GET /api/form", s.serveForm)
	mux.HandleFunc("POST /api/run", s.serveRun)
	mux.HandleFunc("GET /api/file", s.serveFile)
	return s.guard(mux)
}

func (s *Server) serveIndex(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	index.Execute(w, s.token)
}

// formState is what the page needs to draw the form.
type formState struct {
	Fields   []form.Field   `json:"fields"`
	Warnings []string       `json:"warnings"`
	Config   map[string]any `json:"config"`     // initial or kept values, secrets left out
	Secrets  []string       `json:"secrets"`    // paths of the secret fields
	SecretOK []string       `json:"secretsSet"` // those with a kept value
	Command  []string       `json:"command"`
}

func (s *Server) serveForm(w http.ResponseWriter, r *http.Request) {
	fields, err := s.form(r.Context())
	if err != nil {
		httpError(w, http.StatusInternalServerError, err)
		return
	}
	s.mu.Lock()
	kept, err := loadConfig(s.opts.StateFile)
	s.mu.Unlock()
	if err != nil {
		httpError(w, http.StatusInternalServerError, err)
		return
	}
	st := formState{Fields: fields, Warnings: form.Warnings(fields), Config: form.Config(fields),
		Secrets: form.Secrets(fields), Command: s.opts.Command}
	overlay(st.Config, kept, fields)
	for _, p := range st.Secrets {
		if v, ok := get(kept, p); ok && v != "" {
			st.SecretOK = append(st.SecretOK, p)
		}
		del(st.Config, p)
	}
	writeJSON(w, st)
}

// overlay replaces initial values in c by the kept ones of the same
// fields, so that a field dropped from the spec is not sent.
func overlay(c, kept map[string]any, fields []form.Field) {
	for _, f := range fields {
		switch f.Kind {
		case form.Unsupported:
		case form.Group:
			sub, _ := c[f.Key].(map[string]any)
			ksub, _ := kept[f.Key].(map[string]any)
			if sub != nil && ksub != nil {
				overlay(sub, ksub, f.Fields)
			}
		default:
			if v, ok := kept[f.Key]; ok {
				c[f.Key] = v
			}
		}
	}
}

// form reads the spec, from the spec file or the spec command.
func (s *Server) form(ctx context.Context) ([]form.Field, error) {
	if s.opts.SpecFile != "" {
		b, err := os.ReadFile(s.opts.SpecFile)
		if err != nil {
			return nil, err
		}
		return form.Parse(b)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	inv := conformance.Invoke(ctx, s.invokeOptions(), string(protocol.CmdSpec))
	for _, l := range splitLines(inv.Stdout) {
		if m, err := protocol.ParseMessage([]byte(l)); err == nil && m.Type == protocol.TypeSpec {
			return form.Parse(m.Spec.Spec)
		}
	}
	return nil, fmt.Errorf("the connector's spec command printed no SPEC message (exit status %d)", inv.Code)
}

func (s *Server) invokeOptions() conformance.Options {
	return conformance.Options{Command: s.opts.Command, Dir: s.opts.Dir, Timeout: s.opts.Timeout}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func httpError(w http.ResponseWriter, code int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
}
