package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// suite is the state of one run.
type suite struct {
	opts       Options
	work       string // inputs the suite writes: persist.json, schemas.json, ...
	persistDir string
	persist    string // path of persist.json
	report     *Report

	reported map[string]bool // the checks in the report, by name

	spec    []byte                        // the spec message's spec.json
	schemas []protocol.Schema             // from the schema command
	stores  map[[2]string]*storeValidator // by (group, name)
}

// storeValidator checks record data against a store's json_schema.
type storeValidator struct {
	schema *protocol.Validator // nil when the json_schema is not a usable schema
}

func (s *suite) setup() error {
	s.persist = filepath.Join(s.work, "persist.json")
	b, _ := json.Marshal(protocol.PersistenceConfig{TempStore: s.persistDir})
	return os.WriteFile(s.persist, b, 0o644)
}

func (s *suite) add(check string, st Status, detail string) {
	s.report.Add(Result{Check: check, Status: st, Detail: detail})
	if s.reported == nil {
		s.reported = map[string]bool{}
	}
	s.reported[check] = true
}

func (s *suite) pass(check string) { s.add(check, Pass, "") }
func (s *suite) fail(check, format string, args ...any) {
	s.add(check, Fail, fmt.Sprintf(format, args...))
}
func (s *suite) skip(check, format string, args ...any) {
	s.add(check, Skip, fmt.Sprintf(format, args...))
}

// skipAll skips, for reason, each of checks not reported yet: the checks
// of a step that cannot run because another failed still appear in the
// report.
func (s *suite) skipAll(reason string, checks []string) {
	for _, c := range checks {
		if !s.reported[c] {
			s.add(c, Skip, reason)
		}
	}
}

// check passes check when there are no problems, and fails it listing
// the first maxProblems otherwise.
func (s *suite) check(check string, problems []string) {
	if len(problems) == 0 {
		s.pass(check)
		return
	}
	if len(problems) > maxProblems {
		problems = append(problems[:maxProblems:maxProblems], fmt.Sprintf("and %d more", len(problems)-maxProblems))
	}
	s.fail(check, "%s", strings.Join(problems, "; "))
}

// maxProblems is how many problems one check lists; the rest are counted.
const maxProblems = 10

// problems collects what is wrong for one check, keeping the first
// maxProblems: a connector that gets a million lines wrong costs check no
// more memory, and its report no more lines, than one that gets ten wrong.
type problems struct {
	list []string
	more int
}

func (p *problems) addf(format string, args ...any) {
	if len(p.list) == maxProblems {
		p.more++
		return
	}
	p.list = append(p.list, fmt.Sprintf(format, args...))
}

// items are the problems kept, and how many more there were.
func (p *problems) items() []string {
	if p.more == 0 {
		return p.list
	}
	return append(p.list, fmt.Sprintf("and %d more", p.more))
}

// run is the whole sequence.
func (s *suite) run(ctx context.Context) {
	s.runSpec(ctx)
	if !s.runValidate(ctx) {
		s.skipAll("validate failed", schemaChecks())
	} else {
		s.runSchema(ctx)
	}
	if s.schemas == nil {
		s.skipAll("no schemas to scan: schema failed", append(commandChecks("scan"), recordChecks("scan", true)...))
	} else {
		s.runScan(ctx)
	}
	switch {
	case s.opts.Query == "":
		s.skip("query", "no query file: query, request-status and request-results not checked")
	case s.schemas == nil:
		s.skipAll("no schemas: schema failed, so the query cannot be checked", requestChecks(protocol.CmdQuery))
	default:
		s.runRequest(ctx, protocol.CmdQuery, protocol.RequestQuery)
	}
	switch {
	case !s.opts.Destructive:
		s.skip("delete", "delete may delete real data: pass --destructive to check it")
	case s.opts.Query == "":
		s.skip("delete", "no query file")
	case s.schemas == nil:
		s.skipAll("no schemas: schema failed, so the deletion cannot be checked", requestChecks(protocol.CmdDelete))
	default:
		s.runRequest(ctx, protocol.CmdDelete, protocol.RequestDelete)
	}
	s.probeBadConfig(ctx)
	s.probeUnknownCommand(ctx)
}

// The checks each step makes, by name, so that when a step cannot run,
// each of its checks is reported as skipped.

// commandChecks are the checks basics makes of any command.
func commandChecks(name string) []string {
	return []string{name + ": exit status", name + ": output lines", name + ": lines the platform reads", name + ": logs"}
}

// recordChecks are the checks checkRecords makes; counted when it counts
// the records.
func recordChecks(name string, counted bool) []string {
	checks := []string{name + ": messages", name + ": record stores", name + ": record data", name + ": record files"}
	if counted {
		checks = append(checks, name+": records per store")
	}
	return checks
}

func schemaChecks() []string {
	return append(commandChecks("schema"), "schema: messages", "schema: stores", "schema: json_schema")
}

// requestChecks are the checks of query or delete and what follows it.
func requestChecks(cmd protocol.Command) []string {
	return append(append(commandChecks(string(cmd)), string(cmd)+": messages", string(cmd)+": results"), statusChecks(cmd)...)
}

// statusChecks are the checks of request-status and what follows it.
func statusChecks(cmd protocol.Command) []string {
	name := string(cmd) + ": request-status"
	return append(append(commandChecks(name), name+": messages", name+": statuses", name+": completion"), resultsChecks(cmd)...)
}

func resultsChecks(cmd protocol.Command) []string {
	name := string(cmd) + ": request-results"
	return append(commandChecks(name), recordChecks(name, cmd == protocol.CmdQuery)...)
}

// basics reports the checks every command gets: it ran and exited 0, every
// stdout line is a valid message, the platform reads every line of stdout
// and stderr merged, stderr's JSON lines are LOG messages, and
// a failed command printed nothing (for the commands that print all or
// nothing). It returns whether the command succeeded.
func (s *suite) basics(o *output) bool {
	name := o.name
	switch {
	case o.startErr != nil:
		s.fail(name+": exit status", "could not start the connector: %v", o.startErr)
		return false
	case o.overflow:
		s.fail(name+": exit status", "stopped after printing %d MiB on stdout and stderr together, the most check keeps", maxOutput>>20)
	case o.timedOut:
		s.fail(name+": exit status", "no exit within %v", s.opts.Timeout)
	case o.heldOpen:
		s.fail(name+": exit status", "the connector exited, but a process it started in another session or process group kept its output open for %v; check stopped reading and cannot stop that process", drainGrace)
	case o.code != 0:
		s.fail(name+": exit status", "exit status %d, want 0; stderr: %s", o.code, connectorMessage(o.stderr))
	default:
		s.pass(name + ": exit status")
	}
	if o.nBad == 0 {
		s.pass(name + ": output lines")
	} else {
		l := o.firstBad
		s.fail(name+": output lines", "%d of %d lines are not valid messages; line %d: %s: %v", o.nBad, o.nBad+o.nMsgs, l.n, cut(l.text), l.err)
	}
	if p := o.platform.problem(); p != "" {
		s.fail(name+": lines the platform reads", "%s", p)
	} else {
		s.pass(name + ": lines the platform reads")
	}
	s.check(name+": logs", logProblems(o.stderr))
	if o.code != 0 && o.cmd != string(protocol.CmdScan) && o.cmd != string(protocol.CmdRequestResults) && len(o.stdout) > 0 {
		s.fail(name+": nothing after failure", "the command failed but printed %d bytes on stdout: %s", len(o.stdout), cut(firstLine(o.stdout)))
	}
	return o.code == 0 && !o.timedOut
}

// logProblems checks that stderr lines that are JSON are well-formed LOG
// messages. A line that is not JSON is plain text, which the platform logs
// as it is.
func logProblems(stderr []byte) []string {
	var p problems
	for n, l := range lines(stderr) {
		if !json.Valid(l) {
			continue
		}
		m, err := protocol.ParseMessage(l)
		switch {
		case err != nil:
			p.addf("stderr line %d: %s: %v", n, cut(l), err)
		case m.Type != protocol.TypeLog:
			p.addf("stderr line %d is a %s message, want LOG", n, m.Type)
		}
	}
	return p.items()
}

// expectCount checks that o's messages are n messages of type typ, and
// returns them if they are.
func (s *suite) expectCount(o *output, typ protocol.MessageType, n int, what string) ([]line, bool) {
	var wrong problems
	var msgs []line
	for l := range o.messages() {
		if l.msg.Type != typ {
			wrong.addf("line %d is %s", l.n, l.msg.Type)
		} else if len(msgs) < n {
			msgs = append(msgs, l)
		}
	}
	switch {
	case len(wrong.list) > 0:
		s.fail(o.name+": messages", "want only %s messages: %s", typ, strings.Join(wrong.items(), ", "))
	case o.nMsgs != n:
		s.fail(o.name+": messages", "%d %s messages, want %d (%s)", o.nMsgs, typ, n, what)
	default:
		s.pass(o.name + ": messages")
		return msgs, true
	}
	return nil, false
}

func (s *suite) runValidate(ctx context.Context) bool {
	o := s.invoke(ctx, "validate", "-c", s.opts.Config)
	ok := s.basics(o)
	msgs, counted := s.expectCount(o, protocol.TypeValidate, 1, "one VALIDATE")
	if !counted {
		s.skip("validate: status", "validate printed no VALIDATE message to read a status from")
	} else {
		switch v := msgs[0].msg.ValidateMsg; {
		case v.Status != protocol.ValidateFailure:
			s.pass("validate: status")
		case s.opts.RealConfig:
			s.fail("validate: status", "the connector rejects the config %s: %s", s.opts.Config, cut(v.Message))
		default:
			s.skip("validate: status", "the connector rejects the fixture config %s, as it may of placeholder values: %s", s.opts.Config, cut(v.Message))
		}
	}
	return ok
}

func (s *suite) runSchema(ctx context.Context) {
	o := s.invoke(ctx, "schema", "-c", s.opts.Config)
	s.basics(o)
	msgs, ok := s.expectCount(o, protocol.TypeSchema, 1, "one SCHEMA")
	if !ok {
		s.skipAll("schema printed no SCHEMA message to read the stores from", []string{"schema: stores", "schema: json_schema"})
		return
	}
	s.schemas = msgs[0].msg.SchemaMsg.Schemas
	s.stores = map[[2]string]*storeValidator{}
	var dups, invalid []string
	for _, sc := range s.schemas {
		key := [2]string{sc.Group, sc.Name}
		if _, dup := s.stores[key]; dup {
			dups = append(dups, storeName(key))
		}
		v := &storeValidator{}
		compiled, err := compileSchema(sc.JSONSchema)
		if err != nil {
			invalid = append(invalid, fmt.Sprintf("%s: %v", storeName(key), err))
		}
		v.schema = compiled
		s.stores[key] = v
	}
	if len(s.schemas) == 0 {
		s.fail("schema: stores", "the connector declares no data stores")
	} else if len(dups) > 0 {
		s.fail("schema: stores", "(group, name) pairs must be unique: %s repeated", strings.Join(dups, ", "))
	} else {
		s.pass("schema: stores")
	}
	s.check("schema: json_schema", invalid)
}

func (s *suite) runScan(ctx context.Context) {
	name := filepath.Join(s.work, "schemas.json")
	b, _ := json.Marshal(protocol.SchemasMessage{Schemas: s.schemas})
	if err := os.WriteFile(name, b, 0o644); err != nil {
		s.fail("scan", "write schemas file: %v", err)
		s.skipAll("no schemas file", append(commandChecks("scan"), recordChecks("scan", true)...))
		return
	}
	o := s.invoke(ctx, "scan", "-c", s.opts.Config, "-p", s.persist, "-s", name)
	s.basics(o)
	asked := map[[2]string]bool{}
	for _, sc := range s.schemas {
		asked[[2]string{sc.Group, sc.Name}] = true
	}
	s.checkRecords(o, asked, "a requested schema", true)
}

// checkRecords checks that every message is a RECORD of one of the stores
// in allowed, whose data conforms to the store's json_schema, and whose
// file, for FILE records, exists inside temp_store. With count, it
// reports how many records each store returned.
func (s *suite) checkRecords(o *output, allowed map[[2]string]bool, what string, count bool) {
	var wrongType, wrongStore, badData, badFile problems
	counts := map[[2]string]int{}
	allowedList := storeList(allowed)
	for l := range o.messages() {
		if l.msg.Type != protocol.TypeRecord {
			wrongType.addf("line %d is %s", l.n, l.msg.Type)
			continue
		}
		r := l.msg.Record
		key := [2]string{r.SchemaGroup, r.SchemaName}
		if !allowed[key] {
			wrongStore.addf("line %d names %s, not %s (%s): %s", l.n, storeName(key), what, allowedList, cut(l.text))
			continue
		}
		counts[key]++
		switch r.RecordType {
		case protocol.RecordTypeFile:
			if err := s.checkFile(r.File); err != nil {
				badFile.addf("line %d: %v", l.n, err)
			}
		default:
			if v := s.stores[key]; v != nil && v.schema != nil {
				if err := validateData(v.schema, r.Data); err != nil {
					badData.addf("line %d: data does not match %s's json_schema: %v: %s", l.n, storeName(key), err, cut(l.text))
				}
			}
		}
	}
	s.check(o.name+": messages", wrongType.items())
	s.check(o.name+": record stores", wrongStore.items())
	s.check(o.name+": record data", badData.items())
	s.check(o.name+": record files", badFile.items())
	if count {
		s.countRecords(o.name, allowed, counts)
	}
}

// maxCounted is how many stores a count lists by name.
const maxCounted = 20

// countRecords reports how many records each store returned, and warns
// when none returned any: the record checks then passed on nothing, which
// a config that reaches a system with data would not give.
func (s *suite) countRecords(name string, stores map[[2]string]bool, counts map[[2]string]int) {
	if len(stores) == 0 {
		s.skip(name+": records per store", "no stores to count the records of")
		return
	}
	keys := slices.SortedFunc(maps.Keys(stores), func(a, b [2]string) int { return strings.Compare(storeName(a), storeName(b)) })
	var list []string
	total := 0
	for i, k := range keys {
		total += counts[k]
		if i < maxCounted {
			list = append(list, fmt.Sprintf("%s %d", storeName(k), counts[k]))
		}
	}
	if len(keys) > maxCounted {
		list = append(list, fmt.Sprintf("and %d more stores", len(keys)-maxCounted))
	}
	if total == 0 {
		s.add(name+": records per store", Warn, fmt.Sprintf("no store returned a record (%s): the record checks passed on nothing; give a config that reaches data to check them", strings.Join(list, ", ")))
		return
	}
	s.add(name+": records per store", Pass, strings.Join(list, ", "))
}

// checkFile checks that a FILE record's path exists inside temp_store.
func (s *suite) checkFile(p string) error {
	root, err := filepath.EvalSymlinks(s.persistDir)
	if err != nil {
		return err
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(root, p)
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return fmt.Errorf("file %q does not exist", p)
	}
	rel, err := filepath.Rel(root, real)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("file %q is not inside temp_store %q", p, s.persistDir)
	}
	return nil
}

// runRequest runs query or delete, then polls request-status on its
// handles and fetches request-results.
func (s *suite) runRequest(ctx context.Context, cmd protocol.Command, typ protocol.RequestType) {
	var q protocol.Query
	b, err := os.ReadFile(s.opts.Query)
	if err == nil {
		err = json.Unmarshal(b, &q)
	}
	if err != nil {
		s.fail(string(cmd), "read the query file %s: %v", s.opts.Query, err)
		s.skipAll("no query to run", requestChecks(cmd))
		return
	}
	o := s.invoke(ctx, string(cmd), "-c", s.opts.Config, "-p", s.persist, "-q", s.opts.Query)
	ok := s.basics(o)
	msgs, counted := s.expectCount(o, protocol.TypeRequestResult, len(q.Identifiers), "one REQUEST_RESULT per identifier")
	if !ok || !counted {
		s.skipAll(fmt.Sprintf("%s failed: no handles to follow", cmd), append([]string{string(cmd) + ": results"}, statusChecks(cmd)...))
		return
	}
	var problems []string
	var handles []protocol.RequestHandle
	for _, l := range msgs {
		res := l.msg.Request
		if res.Handle.RequestType != typ {
			problems = append(problems, fmt.Sprintf("line %d: handle request_type %s, want %s", l.n, res.Handle.RequestType, typ))
		}
		problems = append(problems, s.statusProblems(l.n, res.Status)...)
		if _, ok := s.stores[[2]string{res.Handle.SchemaGroup, res.Handle.SchemaName}]; !ok {
			problems = append(problems, fmt.Sprintf("line %d: handle names %s, which is not a store", l.n, storeName([2]string{res.Handle.SchemaGroup, res.Handle.SchemaName})))
		}
		handles = append(handles, res.Handle)
	}
	s.check(string(cmd)+": results", problems)
	done := s.poll(ctx, cmd, handles)
	if len(done) > 0 {
		s.results(ctx, cmd, done)
	}
	s.skipAll("no request completed: no results to fetch", resultsChecks(cmd))
}

// statusProblems checks one request status.
func (s *suite) statusProblems(n int, st protocol.RequestStatus) []string {
	if st.RequestStatus == protocol.StateComplete && st.DataType == "" {
		return []string{fmt.Sprintf("line %d: status COMPLETE without a data_type", n)}
	}
	return nil
}

// poll asks request-status for the handles until every request is
// COMPLETE or FAILED, backing off between rounds, and returns the handles
// of the completed ones.
func (s *suite) poll(ctx context.Context, cmd protocol.Command, handles []protocol.RequestHandle) []protocol.RequestHandle {
	check := string(cmd) + ": request-status"
	name := filepath.Join(s.work, string(cmd)+"-requests.json")
	deadline := time.Now().Add(s.opts.PollTimeout)
	wait := 100 * time.Millisecond
	pending := handles
	var done []protocol.RequestHandle
	rounds := 0
	for len(pending) > 0 {
		rounds++
		b, _ := json.Marshal(protocol.RequestsMessage{Handles: pending})
		if err := os.WriteFile(name, b, 0o644); err != nil {
			s.fail(check, "write requests file: %v", err)
			s.skipAll("no requests file", statusChecks(cmd))
			return done
		}
		o := s.invoke(ctx, "request-status", "-c", s.opts.Config, "-p", s.persist, "-r", name)
		o.name = check
		ok := s.basics(o)
		msgs, counted := s.expectCount(o, protocol.TypeRequestStatus, len(pending), "one REQUEST_STATUS per handle")
		if !ok || !counted {
			s.skipAll("request-status failed", statusChecks(cmd))
			return done
		}
		var next []protocol.RequestHandle
		var problems []string
		for i, l := range msgs {
			st := l.msg.RequestStatus
			problems = append(problems, s.statusProblems(l.n, *st)...)
			switch st.RequestStatus {
			case protocol.StateComplete:
				done = append(done, pending[i])
			case protocol.StateProgress:
				next = append(next, pending[i])
			}
		}
		s.check(check+": statuses", problems)
		pending = next
		if len(pending) > 0 {
			if time.Now().Add(wait).After(deadline) {
				s.fail(check+": completion", "%d requests still in PROGRESS after %v", len(pending), s.opts.PollTimeout)
				return done
			}
			select {
			case <-ctx.Done():
				s.skipAll("check was interrupted", statusChecks(cmd))
				return done
			case <-time.After(wait):
			}
			wait = min(wait*2, 5*time.Second)
		}
	}
	s.pass(fmt.Sprintf("%s: completion (%d rounds)", check, rounds))
	s.reported[check+": completion"] = true
	return done
}

// results fetches request-results for completed handles.
func (s *suite) results(ctx context.Context, cmd protocol.Command, handles []protocol.RequestHandle) {
	name := filepath.Join(s.work, string(cmd)+"-results.json")
	b, _ := json.Marshal(protocol.RequestsMessage{Handles: handles})
	if err := os.WriteFile(name, b, 0o644); err != nil {
		s.fail(string(cmd)+": request-results", "write requests file: %v", err)
		s.skipAll("no requests file", resultsChecks(cmd))
		return
	}
	o := s.invoke(ctx, "request-results", "-c", s.opts.Config, "-p", s.persist, "-r", name)
	o.name = string(cmd) + ": request-results"
	s.basics(o)
	allowed := map[[2]string]bool{}
	for _, h := range handles {
		allowed[[2]string{h.SchemaGroup, h.SchemaName}] = true
	}
	// A deletion's results hold no records to count.
	s.checkRecords(o, allowed, "the store of a handle", cmd == protocol.CmdQuery)
}

func storeName(k [2]string) string {
	if k[0] == "" {
		return k[1]
	}
	return k[0] + "/" + k[1]
}

func storeList(m map[[2]string]bool) string {
	var names []string
	for k := range m {
		names = append(names, storeName(k))
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}
