package devserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/monoid-gen/monoid-gen/internal/conformance"
	"github.com/monoid-gen/monoid-gen/internal/form"
	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// What the page shows of one run at most: a connector that floods its
// output is cut there, and the run says so.
const (
	maxMessages = 2000
	maxLogs     = 2000
	maxProblems = 100
	maxLine     = 400
)

// runRequest is what the page asks to run.
type runRequest struct {
	Command string         `json:"command"`
	Config  map[string]any `json:"config"`
	// Unchanged lists the secret fields the author did not edit: their
	// kept values are used.
	Unchanged []string `json:"unchanged"`

	Schemas []protocol.Schema `json:"schemas"` // scan

	Store      *protocol.Schema `json:"store"` // query, delete
	Identifier string           `json:"identifier"`
	Value      string           `json:"value"`
	// Confirm must be true for delete: it may delete real data.
	Confirm bool `json:"confirm"`

	Handles []protocol.RequestHandle `json:"handles"` // request-status, request-results
}

// Run is what one command did, as the page shows it.
type Run struct {
	Command   string            `json:"command"`
	Line      string            `json:"line"` // the command line, quoted for a shell
	Code      int               `json:"code"`
	TimedOut  bool              `json:"timedOut,omitempty"`
	Error     string            `json:"error,omitempty"` // could not start
	Millis    int64             `json:"millis"`
	Logs      []string          `json:"logs"`
	Problems  []string          `json:"problems"` // stdout lines that are no valid message, with why
	Messages  []json.RawMessage `json:"messages"`
	Truncated bool              `json:"truncated,omitempty"`
	TempStore string            `json:"tempStore"`
}

func (s *Server) serveRun(w http.ResponseWriter, r *http.Request) {
	var req runRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		httpError(w, http.StatusBadRequest, fmt.Errorf("the request: %v", err))
		return
	}
	fields, err := s.form(r.Context())
	if err != nil {
		httpError(w, http.StatusInternalServerError, err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	args, err := s.prepare(&req, fields)
	if err != nil {
		httpError(w, http.StatusBadRequest, err)
		return
	}
	start := time.Now()
	inv := conformance.Invoke(r.Context(), s.invokeOptions(), args...)
	run := report(inv)
	run.Command, run.Millis, run.TempStore = req.Command, time.Since(start).Milliseconds(), s.persist
	run.Line = shellLine(append(slices.Clone(s.opts.Command), args...))
	writeJSON(w, run)
}

// prepare merges the kept secrets into the config, keeps it, and writes
// the command's input files; it returns the protocol's arguments.
func (s *Server) prepare(req *runRequest, fields []form.Field) ([]string, error) {
	if req.Config == nil {
		return nil, errors.New("the request has no config")
	}
	kept, err := loadConfig(s.opts.StateFile)
	if err != nil {
		return nil, err
	}
	for _, p := range form.Secrets(fields) {
		if !slices.Contains(req.Unchanged, p) {
			continue
		}
		if v, ok := get(kept, p); ok {
			set(req.Config, p, v)
		}
	}
	if err := saveConfig(s.opts.StateFile, req.Config); err != nil {
		return nil, fmt.Errorf("keep the config: %v", err)
	}
	s.n++
	dir := filepath.Join(s.work, fmt.Sprintf("run-%d", s.n))
	if err := os.Mkdir(dir, 0o700); err != nil {
		return nil, err
	}
	write := func(name string, v any) (string, error) {
		b, err := json.Marshal(v)
		if err != nil {
			return "", err
		}
		p := filepath.Join(dir, name)
		return p, os.WriteFile(p, b, 0o600)
	}
	config, err := write("config.json", req.Config)
	if err != nil {
		return nil, err
	}
	args := []string{req.Command, "--config", config}
	if req.Command == "validate" || req.Command == "schema" {
		return args, nil
	}
	persist, err := write("persist.json", protocol.PersistenceConfig{TempStore: s.persist})
	if err != nil {
		return nil, err
	}
	args = append(args, "--persist_conf", persist)
	var flag, name string
	var input any
	switch req.Command {
	case "scan":
		if len(req.Schemas) == 0 {
			return nil, errors.New("scan needs the schemas to scan: run schema first")
		}
		flag, name, input = "--schemas", "schemas.json", protocol.SchemasMessage{Schemas: req.Schemas}
	case "query", "delete":
		if req.Command == "delete" && !req.Confirm {
			return nil, errors.New("delete may delete real data: it runs only when confirmed")
		}
		q, err := query(req)
		if err != nil {
			return nil, err
		}
		flag, name, input = "--query", "query.json", q
	case "request-status", "request-results":
		if len(req.Handles) == 0 {
			return nil, fmt.Errorf("%s needs the handles of a query or delete", req.Command)
		}
		flag, name, input = "--requests", "requests.json", protocol.RequestsMessage{Handles: req.Handles}
	default:
		return nil, fmt.Errorf("unknown command %q", req.Command)
	}
	p, err := write(name, input)
	if err != nil {
		return nil, err
	}
	return append(args, flag, p), nil
}

// query is the query of one identifier in one store. The value is sent
// as an integer when the store's field is an integer, as the platform
// does with what the user types.
func query(req *runRequest) (map[string]any, error) {
	if req.Store == nil || req.Identifier == "" {
		return nil, fmt.Errorf("%s needs a store and an identifier field", req.Command)
	}
	var value any = req.Value
	var schema struct {
		Properties map[string]struct {
			Type string `json:"type"`
		} `json:"properties"`
	}
	json.Unmarshal(req.Store.JSONSchema, &schema)
	if schema.Properties[req.Identifier].Type == "integer" {
		n, err := strconv.ParseInt(strings.TrimSpace(req.Value), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("field %s of store %s is an integer: the value must be one", req.Identifier, req.Store.Name)
		}
		value = n
	}
	id := map[string]any{
		"schema_name": req.Store.Name, "schema_group": req.Store.Group,
		"identifier": req.Identifier, "identifier_query": value, "json_schema": req.Store.JSONSchema,
	}
	return map[string]any{"identifiers": []any{id}}, nil
}

// report reads a command's output as the platform and check do: each
// stdout line one message, LOG messages (on either stream) the logs.
func report(inv conformance.Invocation) Run {
	run := Run{Code: inv.Code, TimedOut: inv.TimedOut, Logs: []string{}, Problems: []string{}, Messages: []json.RawMessage{}}
	if inv.StartErr != nil {
		run.Error = inv.StartErr.Error()
	}
	for i, l := range splitLines(inv.Stdout) {
		m, err := protocol.ParseMessage([]byte(l))
		switch {
		case err != nil:
			if len(run.Problems) == maxProblems {
				run.Truncated = true
				continue
			}
			run.Problems = append(run.Problems, fmt.Sprintf("stdout line %d: %v: %s", i+1, err, cut(l)))
		case m.Type == protocol.TypeLog:
			run.addLog(m.Log.Message)
		case len(run.Messages) == maxMessages:
			run.Truncated = true
		default:
			run.Messages = append(run.Messages, json.RawMessage(l))
		}
	}
	for _, l := range splitLines(inv.Stderr) {
		if m, err := protocol.ParseMessage([]byte(l)); err == nil && m.Type == protocol.TypeLog {
			run.addLog(m.Log.Message)
		} else {
			run.addLog(l)
		}
	}
	return run
}

func (r *Run) addLog(s string) {
	if len(r.Logs) == maxLogs {
		r.Truncated = true
		return
	}
	r.Logs = append(r.Logs, cut(s))
}

// serveFile sends a file a FILE record names, if it is inside temp_store.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	p, err := filepath.EvalSymlinks(r.URL.Query().Get("path"))
	if err != nil {
		httpError(w, http.StatusNotFound, errors.New("no such file"))
		return
	}
	root, err := filepath.EvalSymlinks(s.persist)
	if err != nil {
		httpError(w, http.StatusInternalServerError, err)
		return
	}
	rel, err := filepath.Rel(root, p)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		httpError(w, http.StatusForbidden, errors.New("the file is not inside the run's temp_store: the platform could not read it"))
		return
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", filepath.Base(p)))
	w.Header().Set("Content-Type", "application/octet-stream")
	http.ServeFile(w, r, p)
}

func splitLines(b []byte) []string {
	b = bytes.TrimSuffix(b, []byte("\n"))
	if len(b) == 0 {
		return nil
	}
	return strings.Split(string(b), "\n")
}

func cut(s string) string {
	if len(s) <= maxLine {
		return s
	}
	return s[:maxLine] + fmt.Sprintf("... (%d bytes)", len(s))
}

// shellLine quotes argv for a POSIX shell, so that the line can be
// copied and run again.
func shellLine(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:@,+") == "" {
			q[i] = a
		} else {
			q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(q, " ")
}
