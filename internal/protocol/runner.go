package protocol

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Exit statuses of a connector program.
const (
	ExitOK      = 0 // the command succeeded
	ExitFailure = 1 // the command failed; a LOG line on stderr says why
	ExitUsage   = 2 // the command line was not understood
)

// Run is the whole main function of a connector: it runs the command named
// by os.Args on silo, whose spec.json content is spec, and exits.
//
// SIGINT and SIGTERM cancel the context given to the silo. A store that
// does not notice (a driver call that takes no context) gets GracePeriod
// to return; then, or at a second signal, the program exits with status 1
// and one LOG line saying so, without waiting for the store. Either way
// standard output and standard error end on complete lines.
func Run[C any](silo Silo[C], spec []byte) {
	g := new(exitGate)
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go g.watch(sigs, cancel, commandName(os.Args[1:]))
	code := Execute(ctx, silo, spec, Env{
		Args:   os.Args[1:],
		Prog:   filepath.Base(os.Args[0]),
		Stdout: gatedWriter{g, os.Stdout},
		Stderr: gatedWriter{g, os.Stderr},
	})
	g.exit(code, "")
}

// GracePeriod is how long a store has, after SIGINT or SIGTERM, to return
// before the program exits without it. The platform stops a container with
// SIGTERM and kills it 10 seconds later (Docker's default); 3 seconds lets
// a store close what it holds and still leaves the program time to say
// why it stopped.
const GracePeriod = 3 * time.Second

// exitGate serializes the program's writes to standard output and
// standard error with its exit, so that exiting while a store still runs
// never cuts a line in half.
type exitGate struct {
	mu      sync.Mutex
	exiting atomic.Bool // Run's own exit has begun
}

// gatedWriter is a standard stream written through the gate.
type gatedWriter struct {
	g *exitGate
	w io.Writer
}

func (w gatedWriter) Write(p []byte) (int, error) {
	w.g.mu.Lock()
	defer w.g.mu.Unlock()
	return w.w.Write(p)
}

// watch cancels the command at the first signal, then exits the program
// after GracePeriod or at the second signal, whichever comes first.
func (g *exitGate) watch(sigs <-chan os.Signal, cancel context.CancelCauseFunc, cmd string) {
	first := signalName(<-sigs)
	cancel(errors.New("received " + first))
	timer := time.NewTimer(GracePeriod)
	var msg string
	select {
	case <-timer.C:
		msg = fmt.Sprintf("%s: interrupted by %s, and the connector did not stop within %s; exiting without it", cmd, first, GracePeriod)
	case sig := <-sigs:
		msg = fmt.Sprintf("%s: interrupted by %s, then %s; exiting at once", cmd, first, signalName(sig))
	}
	g.exit(ExitFailure, "ERROR "+msg)
}

// exit ends the program with code, after writing msg, if any, as a LOG
// line. It waits for a write under way to end, but not for long: a write
// blocked on a pipe nobody reads must not keep the program alive. Run's
// own exit (msg empty) takes precedence over the watcher's.
func (g *exitGate) exit(code int, msg string) {
	if msg == "" {
		g.exiting.Store(true)
	}
	locked := make(chan struct{})
	go func() {
		g.mu.Lock()
		close(locked)
	}()
	select {
	case <-locked:
		if msg != "" {
			if g.exiting.Load() {
				g.mu.Unlock() // let Run exit with the command's status
				return
			}
			os.Stderr.Write(logLine(msg))
		}
	case <-time.After(time.Second):
	}
	os.Exit(code)
}

// commandName is the protocol command in args, for messages.
func commandName(args []string) string {
	if len(args) > 0 {
		if _, ok := commandFlags[Command(args[0])]; ok {
			return args[0]
		}
	}
	return "connector"
}

// signalName names the signals Run handles as the kill command does.
func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return sig.String()
}

// Env is what a run of the connector sees of its process: the arguments
// after the program name and the standard streams. Tests pass their own.
type Env struct {
	Args   []string
	Prog   string // the program name, for help text
	Stdout io.Writer
	Stderr io.Writer
	// LogLevel is the least level logged; the zero value is INFO.
	LogLevel slog.Level
}

// Execute runs one command and returns the exit status. It sets the
// default slog logger to write LOG messages on env.Stderr for the duration
// of the run, so connector code logs with slog as usual.
func Execute[C any](ctx context.Context, silo Silo[C], spec []byte, env Env) int {
	handler := NewLogHandler(env.Stderr, env.LogLevel)
	logger := slog.New(handler)
	prev := slog.Default()
	slog.SetDefault(logger)
	defer slog.SetDefault(prev)

	args, err := ParseArgs(env.Args)
	if err != nil {
		logger.Error(err.Error())
		return ExitUsage
	}
	if args.Help {
		prog := env.Prog
		if prog == "" {
			prog = "connector"
		}
		io.WriteString(env.Stdout, helpText(prog))
		return ExitOK
	}
	r := &run[C]{silo: silo, spec: spec, args: args, stdout: env.Stdout, log: logger, secrets: handler.secrets}
	err = r.execute(ctx)
	if c, ok := any(silo).(io.Closer); ok && args.Command != CmdSpec {
		// A silo that holds connections (a database pool) releases them
		// once the one command of this process is done.
		if cerr := c.Close(); cerr != nil && err == nil {
			logger.Warn("closing the silo: " + cerr.Error())
		}
	}
	if err != nil {
		msg := string(args.Command) + ": " + err.Error()
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			msg = string(args.Command) + ": interrupted: " + context.Cause(ctx).Error()
		}
		logger.Error(msg)
		return ExitFailure
	}
	return ExitOK
}

// run is the state of one command.
type run[C any] struct {
	silo    Silo[C]
	spec    []byte
	args    Args
	stdout  io.Writer
	log     *slog.Logger
	secrets *secretSet // the config's secret values, scrubbed from every message

	conf    C
	persist PersistenceConfig
	stores  map[[2]string]DataStore
	out     *lineWriter
}

// streaming tells which commands write records as they come; the others
// print all their messages or none.
func streaming(c Command) bool { return c == CmdScan || c == CmdRequestResults }

func (r *run[C]) execute(ctx context.Context) error {
	r.out = newLineWriter(r.stdout, !streaming(r.args.Command))
	if r.args.Command == CmdSpec {
		// spec does nothing but print the embedded file: the platform
		// starts a container for it, so it must start fast.
		return r.writeSpec()
	}
	err := r.dispatch(ctx)
	if err != nil {
		// Complete lines already flushed stay; nothing more is written.
		r.out.discard()
		return err
	}
	return r.out.flush()
}

// writeSpec writes the SPEC message: the embedded spec.json, compacted.
func (r *run[C]) writeSpec() error {
	line, err := SpecLine(r.spec)
	if err != nil {
		return err
	}
	if size := len(line) - 1; size > MaxLineBytes {
		return fmt.Errorf("embedded spec.json: %w; shorten its titles and descriptions", &LineTooLongError{What: "the SPEC message", Size: size})
	}
	r.out.buf = append(r.out.buf, line...)
	return r.out.flush()
}

// SpecLine returns the SPEC message for spec, the content of spec.json,
// compacted onto one line: what the spec command prints. It is the whole
// of that command's work, with no config, no schema and no store, so that
// spec costs little more than the process's start.
func SpecLine(spec []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(spec) + 32)
	buf.WriteString(`{"type":"SPEC","spec":`)
	if err := json.Compact(&buf, spec); err != nil {
		return nil, fmt.Errorf("embedded spec.json is not valid JSON: %w", err)
	}
	buf.WriteString("}\n")
	return buf.Bytes(), nil
}

func (r *run[C]) dispatch(ctx context.Context) error {
	if err := r.loadConfig(); err != nil {
		return err
	}
	switch r.args.Command {
	case CmdValidate:
		return r.validate(ctx)
	case CmdSchema:
		return r.schema(ctx)
	}
	if err := readInput(r.args.Files[FlagPersist], &r.persist); err != nil {
		return err
	}
	finder, finds := r.silo.(StoreFinder[C])
	if finds && r.args.Command == CmdRequestStatus {
		// Only the stores the handles name, without listing them all.
		if err := r.findStores(ctx, finder); err != nil {
			return err
		}
	} else if err := r.loadStores(ctx); err != nil {
		return err
	}
	switch r.args.Command {
	case CmdQuery, CmdDelete:
		return r.request(ctx)
	case CmdScan:
		return r.scan(ctx)
	case CmdRequestStatus:
		return r.requestStatus(ctx)
	case CmdRequestResults:
		return r.requestResults(ctx)
	}
	return fmt.Errorf("command %q has no handler", r.args.Command)
}

func (r *run[C]) loadConfig() error {
	spec, err := parseSpec(r.spec)
	if err != nil {
		return err
	}
	path := r.args.Files[FlagConfig]
	b, err := os.ReadFile(path)
	if err != nil {
		return &InputError{File: path, Msg: fileErrorText(err)}
	}
	// The secrets are known before anything else can fail, so that no
	// message printed from here on shows one.
	r.secrets.set(secretValues(spec.secrets, b))
	if err := checkUTF8(path, b); err != nil {
		return err
	}
	r.conf, err = decodeConfig[C](spec, path, b)
	return err
}

func (r *run[C]) validate(ctx context.Context) error {
	var msg ValidateMessage
	err := guard("silo", "validate", func() (err error) {
		msg, err = r.silo.Validate(ctx, r.conf)
		return err
	})
	if err != nil {
		return err
	}
	if msg.Status != ValidateSuccess && msg.Status != ValidateFailure {
		return fmt.Errorf("silo Validate returned status %q, want SUCCESS or FAILURE", msg.Status)
	}
	// The reason is often a driver's error, which may quote a password.
	msg.Message = r.secrets.scrub(msg.Message)
	return r.out.message(&Message{Type: TypeValidate, ValidateMsg: &msg}, "the VALIDATE message")
}

// dataStores asks the silo for its stores, in order.
func (r *run[C]) dataStores(ctx context.Context) ([]DataStore, error) {
	var stores []DataStore
	err := guard("silo", "data stores", func() (err error) {
		stores, err = r.silo.DataStores(ctx, r.conf)
		return err
	})
	return stores, err
}

func (r *run[C]) schema(ctx context.Context) error {
	stores, err := r.dataStores(ctx)
	if err != nil {
		return err
	}
	msg := SchemasMessage{Schemas: make([]Schema, 0, len(stores))}
	seen := map[[2]string]bool{}
	for _, s := range stores {
		key := [2]string{s.Group(), s.Name()}
		if seen[key] {
			return fmt.Errorf("two data stores are named %s", storeKey(key[0], key[1]))
		}
		seen[key] = true
		schema := s.JSONSchema()
		if !json.Valid(schema) {
			return fmt.Errorf("data store %s: JSONSchema is not valid JSON", storeKey(key[0], key[1]))
		}
		msg.Schemas = append(msg.Schemas, Schema{Name: s.Name(), Group: s.Group(), JSONSchema: schema})
	}
	what := fmt.Sprintf("the SCHEMA message of %d data stores", len(stores))
	if err := r.out.message(&Message{Type: TypeSchema, SchemaMsg: &msg}, what); err != nil {
		return fmt.Errorf("%w: the platform reads the schemas of all stores from this one line; shorten the stores' JSON schemas", err)
	}
	return nil
}

// loadStores indexes the silo's stores by (group, name).
func (r *run[C]) loadStores(ctx context.Context) error {
	stores, err := r.dataStores(ctx)
	if err != nil {
		return err
	}
	r.stores = make(map[[2]string]DataStore, len(stores))
	for _, s := range stores {
		key := [2]string{s.Group(), s.Name()}
		if _, dup := r.stores[key]; dup {
			return fmt.Errorf("two data stores are named %s", storeKey(key[0], key[1]))
		}
		r.stores[key] = s
	}
	return nil
}

// routeAll finds the store each entry of a file's list names, before any
// runs, so that a bad entry stops the command before a store does anything.
// field names the list in errors (identifiers, schemas, handles) and key
// gives an entry's (group, name).
func routeAll[T any](stores map[[2]string]DataStore, file, field string, entries []T, key func(T) (group, name string)) ([]DataStore, error) {
	out := make([]DataStore, len(entries))
	for i, e := range entries {
		group, name := key(e)
		s, ok := stores[[2]string{group, name}]
		if !ok {
			known := make([]string, 0, len(stores))
			for k := range stores {
				known = append(known, storeKey(k[0], k[1]))
			}
			return nil, &InputError{File: file, Path: fmt.Sprintf("%s[%d]", field, i),
				Msg: fmt.Sprintf("no data store %s (the connector has %s)", storeKey(group, name), joinSorted(known))}
		}
		out[i] = s
	}
	return out, nil
}

func (r *run[C]) request(ctx context.Context) error {
	file := r.args.Files[FlagQuery]
	var q Query
	if err := readInput(file, &q); err != nil {
		return err
	}
	stores, err := routeAll(r.stores, file, "identifiers", q.Identifiers, func(id QueryIdentifier) (string, string) {
		return id.SchemaGroup, id.SchemaName
	})
	if err != nil {
		return err
	}
	cmd := r.args.Command
	for i, id := range q.Identifiers {
		s := stores[i]
		var res RequestResult
		err := guard(storeKey(s.Group(), s.Name()), string(cmd), func() (err error) {
			if cmd == CmdQuery {
				res, err = s.Query(ctx, r.persist, id)
			} else {
				res, err = s.Delete(ctx, r.persist, id)
			}
			return err
		})
		if err != nil {
			return err
		}
		fillResult(&res, s)
		if err := r.out.message(&Message{Type: TypeRequestResult, Request: &res}, "the REQUEST_RESULT of "+storeKey(s.Group(), s.Name())); err != nil {
			return err
		}
	}
	return nil
}

// fillResult names the store in a result where the store left it out.
func fillResult(res *RequestResult, s DataStore) {
	if res.Status.SchemaName == "" {
		res.Status.SchemaName, res.Status.SchemaGroup = s.Name(), s.Group()
	}
	if res.Handle.SchemaName == "" {
		res.Handle.SchemaName, res.Handle.SchemaGroup = s.Name(), s.Group()
	}
}

func (r *run[C]) scan(ctx context.Context) error {
	file := r.args.Files[FlagSchemas]
	var msg SchemasMessage
	if err := readInput(file, &msg); err != nil {
		return err
	}
	stores, err := routeAll(r.stores, file, "schemas", msg.Schemas, func(sc Schema) (string, string) {
		return sc.Group, sc.Name
	})
	if err != nil {
		return err
	}
	for _, s := range stores {
		w := r.recordWriter(ctx, s)
		err := guard(storeKey(s.Group(), s.Name()), "scan", func() error {
			if err := s.Scan(ctx, r.persist, w); err != nil {
				return err
			}
			return w.done()
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// findStores indexes the stores the requests file names, each asked of
// finder; a store it does not know is left out, for readHandles to report.
func (r *run[C]) findStores(ctx context.Context, finder StoreFinder[C]) error {
	var msg RequestsMessage
	if err := readInput(r.args.Files[FlagRequests], &msg); err != nil {
		return err
	}
	r.stores = map[[2]string]DataStore{}
	for _, h := range msg.Handles {
		key := [2]string{h.SchemaGroup, h.SchemaName}
		if _, ok := r.stores[key]; ok {
			continue
		}
		var s DataStore
		err := guard("silo", "find store", func() (err error) {
			s, err = finder.Store(ctx, r.conf, h.SchemaGroup, h.SchemaName)
			return err
		})
		if err != nil {
			return err
		}
		if s != nil {
			r.stores[key] = s
		}
	}
	return nil
}

func (r *run[C]) readHandles() ([]RequestHandle, []DataStore, error) {
	file := r.args.Files[FlagRequests]
	var msg RequestsMessage
	if err := readInput(file, &msg); err != nil {
		return nil, nil, err
	}
	stores, err := routeAll(r.stores, file, "handles", msg.Handles, func(h RequestHandle) (string, string) {
		return h.SchemaGroup, h.SchemaName
	})
	return msg.Handles, stores, err
}

func (r *run[C]) requestStatus(ctx context.Context) error {
	handles, stores, err := r.readHandles()
	if err != nil {
		return err
	}
	for i, h := range handles {
		s := stores[i]
		var st RequestStatus
		err := guard(storeKey(s.Group(), s.Name()), "request-status", func() (err error) {
			st, err = s.Status(ctx, r.persist, h)
			return err
		})
		if err != nil {
			return err
		}
		if st.SchemaName == "" {
			st.SchemaName, st.SchemaGroup = s.Name(), s.Group()
		}
		if err := r.out.message(&Message{Type: TypeRequestStatus, RequestStatus: &st}, "the REQUEST_STATUS of "+storeKey(s.Group(), s.Name())); err != nil {
			return err
		}
	}
	return nil
}

func (r *run[C]) requestResults(ctx context.Context) error {
	handles, stores, err := r.readHandles()
	if err != nil {
		return err
	}
	for i, h := range handles {
		s := stores[i]
		w := r.recordWriter(ctx, s)
		err := guard(storeKey(s.Group(), s.Name()), "request-results", func() error {
			if err := s.Results(ctx, r.persist, h, w); err != nil {
				return err
			}
			return w.done()
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// recordWriter returns the RecordWriter for one store; it stops with the
// context's error once the command is cancelled.
//
// A record whose line is over MaxLineBytes is never printed. scan, which
// samples a store for data discovery, skips it with a warning and goes on;
// request-results, the answer to a user's data request, fails: an answer
// without the record would be incomplete.
func (r *run[C]) recordWriter(ctx context.Context, s DataStore) *recordWriter {
	w := newRecordWriter(r.out, s.Group(), s.Name(), newFileGuard(r.persist.TempStore), ctx.Err)
	w.skipTooLong = r.args.Command == CmdScan
	w.log = r.log
	return w
}

// guard runs connector code, turning a panic into an error that names the
// store (or "silo") and the operation. No stack trace is printed: the
// message is what the platform's logs show.
func guard(who, op string, fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in %s during %s: %v", who, op, p)
		}
	}()
	if err := fn(); err != nil {
		if who == "silo" {
			return fmt.Errorf("%s: %w", op, err)
		}
		return fmt.Errorf("data store %s: %w", who, err)
	}
	return nil
}
