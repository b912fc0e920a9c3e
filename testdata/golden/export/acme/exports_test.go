package acme

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"monoid-acme/acme/fake"
	"monoid-acme/internal/protocol"
)

const user = "ada@example.com"

// TestFileLifecycle drives an export whose result is a CSV file, then a
// deletion, through every step, as the platform would.
func TestFileLifecycle(t *testing.T) {
	srv, e, w := setup(t, fake.Options{Polls: 3})
	ctx := context.Background()
	p := persist(t)

	res, err := e.Query(ctx, p, identifier(user))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status.RequestStatus != protocol.StateProgress || res.Handle.RequestType != protocol.RequestQuery {
		t.Fatalf("Query answered %+v, want PROGRESS with a QUERY handle", res)
	}
	var data handleData
	if err := json.Unmarshal(res.Handle.Data, &data); err != nil || data.Job != srv.Jobs()[0].ID {
		t.Fatalf("handle data %s does not name the job %s", res.Handle.Data, srv.Jobs()[0].ID)
	}

	seen := poll(t, e, p, res.Handle)
	states := []protocol.RequestState{}
	for _, st := range seen {
		states = append(states, st.RequestStatus)
	}
	if len(seen) != 3 || states[0] != protocol.StateProgress || states[1] != protocol.StateProgress {
		t.Errorf("statuses %v, want PROGRESS, PROGRESS, COMPLETE", states)
	}
	if last := seen[len(seen)-1]; last.RequestStatus != protocol.StateComplete || last.DataType != protocol.DataFile {
		t.Fatalf("final status %+v, want COMPLETE with FILE", last)
	}

	out := &collector{root: p.TempStore}
	if err := e.Results(ctx, p, res.Handle, out); err != nil {
		t.Fatal(err)
	}
	if len(out.files) != 1 || len(out.records) != 0 {
		t.Fatalf("Results wrote files %v and %d records, want one file", out.files, len(out.records))
	}
	got, err := os.ReadFile(out.files[0])
	if err != nil {
		t.Fatal(err)
	}
	want, _ := srv.Content(user)
	var wantBuf bytes.Buffer
	want.WriteTo(&wantBuf)
	if !bytes.Equal(got, wantBuf.Bytes()) {
		t.Errorf("the result file holds\n%s\nwant\n%s", got, wantBuf.Bytes())
	}
	if !strings.HasSuffix(out.files[0], ".csv") {
		t.Errorf("result file %s lacks the .csv extension", out.files[0])
	}

	// A second download of the same job goes to a file of its own.
	again := &collector{root: p.TempStore}
	if err := e.Results(ctx, p, res.Handle, again); err != nil {
		t.Fatal(err)
	}
	if len(again.files) != 1 || again.files[0] == out.files[0] {
		t.Errorf("a second Results wrote %v, want a file other than %s", again.files, out.files[0])
	}

	del, err := e.Delete(ctx, p, identifier(user))
	if err != nil {
		t.Fatal(err)
	}
	if del.Status.RequestStatus != protocol.StateProgress || del.Handle.RequestType != protocol.RequestDelete {
		t.Fatalf("Delete answered %+v, want PROGRESS with a DELETE handle", del)
	}
	seen = poll(t, e, p, del.Handle)
	if last := seen[len(seen)-1]; last.RequestStatus != protocol.StateComplete || last.DataType != protocol.DataNone {
		t.Fatalf("final deletion status %+v, want COMPLETE with NONE", last)
	}
	none := &collector{root: p.TempStore}
	if err := e.Results(ctx, p, del.Handle, none); err != nil || len(none.files)+len(none.records) != 0 {
		t.Errorf("Results of a deletion: %v, %d files, %d records; want nothing", err, len(none.files), len(none.records))
	}
	jobs := srv.Jobs()
	if len(jobs) != 2 || jobs[1].Kind != "deletion" || jobs[1].User != user || jobs[1].State != "done" {
		t.Errorf("the service holds jobs %+v, want an export and a done deletion for %s", jobs, user)
	}

	for _, r := range srv.Requests() {
		if r.Authorization != "Bearer "+fake.DefaultToken {
			t.Errorf("%s %s carried Authorization %q", r.Method, r.Path, r.Authorization)
		}
		if (r.Method == http.MethodPost) != (r.IdempotencyKey != "") {
			t.Errorf("%s %s carried Idempotency-Key %q; want one on POST only", r.Method, r.Path, r.IdempotencyKey)
		}
	}
	if len(w.all()) != 0 {
		t.Errorf("a well-behaved service made the client wait: %v", w.all())
	}
}

// TestRecordsLifecycle: JSON results are written as RECORDS, one per row,
// and leave no file behind.
func TestRecordsLifecycle(t *testing.T) {
	for _, format := range []fake.Format{fake.NDJSON, fake.JSON} {
		t.Run(string(format), func(t *testing.T) {
			_, e, _ := setup(t, fake.Options{Format: format, Rows: 4})
			ctx := context.Background()
			p := persist(t)
			res, err := e.Query(ctx, p, identifier(user))
			if err != nil {
				t.Fatal(err)
			}
			seen := poll(t, e, p, res.Handle)
			if last := seen[len(seen)-1]; last.RequestStatus != protocol.StateComplete || last.DataType != protocol.DataRecords {
				t.Fatalf("final status %+v, want COMPLETE with RECORDS", last)
			}
			out := &collector{root: p.TempStore}
			if err := e.Results(ctx, p, res.Handle, out); err != nil {
				t.Fatal(err)
			}
			if len(out.records) != 4 || len(out.files) != 0 {
				t.Fatalf("Results wrote %d records and files %v, want 4 records", len(out.records), out.files)
			}
			for i, rec := range out.records {
				var r struct{ ID, User, Event, Time string }
				if err := json.Unmarshal(rec, &r); err != nil {
					t.Fatal(err)
				}
				if r.User != user || r.ID != "evt_000000000"+string(rune('1'+i)) {
					t.Errorf("record %d is %s", i, rec)
				}
			}
			if left := entries(t, p.TempStore); len(left) != 0 {
				t.Errorf("temp_store still holds %v", left)
			}
		})
	}
}

// TestIntegerIdentifier: an identifier given as a JSON integer reaches
// the service as one.
func TestIntegerIdentifier(t *testing.T) {
	srv, e, _ := setup(t, fake.Options{})
	id := identifier("")
	id.Identifier, id.IdentifierQuery = "user_id", protocol.IntQuery(42)
	if _, err := e.Query(context.Background(), persist(t), id); err != nil {
		t.Fatal(err)
	}
	if u := srv.Jobs()[0].User; u != "42" {
		t.Errorf("the service got user %q, want 42", u)
	}
}

// startedJob runs Query and returns its handle.
func startedJob(t *testing.T, e *Exports, p protocol.PersistenceConfig) protocol.RequestHandle {
	t.Helper()
	res, err := e.Query(context.Background(), p, identifier(user))
	if err != nil {
		t.Fatal(err)
	}
	return res.Handle
}

// completedJob runs Query and polls until COMPLETE.
func completedJob(t *testing.T, e *Exports, p protocol.PersistenceConfig) protocol.RequestHandle {
	t.Helper()
	h := startedJob(t, e, p)
	seen := poll(t, e, p, h)
	if last := seen[len(seen)-1]; last.RequestStatus != protocol.StateComplete {
		t.Fatalf("final status %+v, want COMPLETE", last)
	}
	return h
}

func TestThrottledWithRetryAfterSeconds(t *testing.T) {
	srv, e, w := setup(t, fake.Options{Throttle: 2})
	startedJob(t, e, persist(t))
	if got := w.all(); len(got) != 2 || got[0] != time.Second || got[1] != time.Second {
		t.Errorf("waits %v, want the 1s of Retry-After twice", got)
	}
	keys := map[string]bool{}
	for _, r := range srv.Requests() {
		keys[r.IdempotencyKey] = true
	}
	if len(srv.Requests()) != 3 || len(keys) != 1 {
		t.Errorf("requests %+v: want three POSTs with one Idempotency-Key", srv.Requests())
	}
}

func TestThrottledWithRetryAfterDate(t *testing.T) {
	at := time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat)
	_, e, w := setup(t, fake.Options{Throttle: 1, RetryAfter: at})
	startedJob(t, e, persist(t))
	if got := w.all(); len(got) != 1 || got[0] <= time.Second || got[0] > 3*time.Second {
		t.Errorf("waits %v, want one of 1-3s, until %s", got, at)
	}
}

func TestServerErrorThenSuccess(t *testing.T) {
	_, e, w := setup(t, fake.Options{ServerErrors: 2})
	startedJob(t, e, persist(t))
	got := w.all()
	if len(got) != 2 || got[0] > defaultRetry.base || got[1] > 2*defaultRetry.base {
		t.Errorf("waits %v, want two jittered waits within %v and %v", got, defaultRetry.base, 2*defaultRetry.base)
	}
}

func TestServerErrorsGiveUp(t *testing.T) {
	srv, e, _ := setup(t, fake.Options{ServerErrors: 100})
	_, err := e.Query(context.Background(), persist(t), identifier(user))
	if err == nil || !strings.Contains(err.Error(), "500 Internal Server Error") || !strings.Contains(err.Error(), "gave up after 5 attempts") {
		t.Fatalf("error %v, want a 500 given up after 5 attempts", err)
	}
	if !strings.Contains(err.Error(), "[token]") {
		t.Errorf("error %q: the token the service echoed should read [token]", err)
	}
	noToken(t, err)
	if n := len(srv.Requests()); n != 5 {
		t.Errorf("%d requests, want 5", n)
	}
}

// TestLostAnswerMakesOneJob: the service creates the job but its answer
// is lost; the retry carries the same Idempotency-Key and gets the same
// job.
func TestLostAnswerMakesOneJob(t *testing.T) {
	srv, e, _ := setup(t, fake.Options{FailAfterCreate: true})
	startedJob(t, e, persist(t))
	if jobs := srv.Jobs(); len(jobs) != 1 {
		t.Errorf("the service holds %d jobs, want 1", len(jobs))
	}
}

func TestExpiredToken(t *testing.T) {
	srv, e, _ := setup(t, fake.Options{TokenExpired: true})
	_, err := e.Query(context.Background(), persist(t), identifier(user))
	if !errors.Is(err, errTokenRefused) || !strings.Contains(err.Error(), "the API token was refused (expired or revoked)") {
		t.Fatalf("error %v, want the token refused", err)
	}
	noToken(t, err)
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests, want 1: a refused token is not retried", n)
	}

	msg, err := Silo{}.Validate(context.Background(), Config{BaseURL: srv.URL, APIToken: fake.DefaultToken})
	if err != nil || msg.Status != protocol.ValidateFailure || !strings.Contains(msg.Message, "the API token was refused (expired or revoked)") {
		t.Errorf("Validate with an expired token: %+v, %v", msg, err)
	}
	if strings.Contains(msg.Message, fake.DefaultToken) {
		t.Errorf("the validate message holds the token: %s", msg.Message)
	}
}

func TestValidate(t *testing.T) {
	srv := fake.NewServer(fake.Options{})
	defer srv.Close()
	for _, tc := range []struct {
		name string
		conf Config
		want string // "" for valid
	}{
		{"valid", Config{BaseURL: srv.URL, APIToken: fake.DefaultToken}, ""},
		{"wrong token", Config{BaseURL: srv.URL, APIToken: "wrong-token"}, "the API token was refused"},
		{"no token", Config{BaseURL: srv.URL}, "api_token is empty"},
		{"plain http elsewhere", Config{BaseURL: "http://api.example.com", APIToken: "t"}, "use https"},
		{"not a URL", Config{BaseURL: "api.example.com", APIToken: "t"}, "not an http(s) address"},
		{"credentials in the URL", Config{BaseURL: "https://me:pw@api.example.com", APIToken: "t"}, "without credentials"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg, err := Silo{}.Validate(context.Background(), tc.conf)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == "" && msg.Status != protocol.ValidateSuccess || tc.want != "" && (msg.Status != protocol.ValidateFailure || !strings.Contains(msg.Message, tc.want)) {
				t.Errorf("Validate: %+v, want %q", msg, tc.want)
			}
			if strings.Contains(msg.Message, "pw") {
				t.Errorf("the message shows the URL's password: %s", msg.Message)
			}
		})
	}
}

func TestJobFails(t *testing.T) {
	for name, o := range map[string]fake.Options{
		"failed":        {JobFails: true},
		"unknown state": {FinalState: "paused"},
	} {
		t.Run(name, func(t *testing.T) {
			_, e, _ := setup(t, o)
			p := persist(t)
			seen := poll(t, e, p, startedJob(t, e, p))
			if last := seen[len(seen)-1]; last.RequestStatus != protocol.StateFailed {
				t.Errorf("final status %+v, want FAILED", last)
			}
		})
	}
}

func TestMalformedStatus(t *testing.T) {
	srv, e, _ := setup(t, fake.Options{MalformedStatus: true})
	p := persist(t)
	_, err := e.Status(context.Background(), p, startedJob(t, e, p))
	if err == nil || !strings.Contains(err.Error(), "not the JSON expected") {
		t.Fatalf("error %v, want one about the answer's JSON", err)
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("%d requests, want 2: a broken answer is not retried", n)
	}
}

// failedResults runs the lifecycle to Results and returns its error,
// checking that temp_store is left empty.
func failedResults(t *testing.T, o fake.Options, adjust func(*client)) (*fake.Server, error) {
	t.Helper()
	srv, e, _ := setup(t, o)
	if adjust != nil {
		adjust(e.api)
	}
	p := persist(t)
	h := completedJob(t, e, p)
	err := e.Results(context.Background(), p, h, &collector{root: p.TempStore})
	if left := entries(t, p.TempStore); len(left) != 0 {
		t.Errorf("temp_store still holds %v after a failed download", left)
	}
	noToken(t, err)
	return srv, err
}

func downloads(srv *fake.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/file") {
			n++
		}
	}
	return n
}

func TestTruncatedDownload(t *testing.T) {
	srv, err := failedResults(t, fake.Options{TruncatedDownload: true, Rows: 1000}, nil)
	if err == nil || !strings.Contains(err.Error(), "the download broke off after") || !strings.Contains(err.Error(), "gave up after 5 attempts") {
		t.Fatalf("error %v, want a broken-off download, retried", err)
	}
	if n := downloads(srv); n != 5 {
		t.Errorf("%d downloads, want 5", n)
	}
}

func TestChecksumMismatch(t *testing.T) {
	srv, err := failedResults(t, fake.Options{WrongChecksum: true}, nil)
	if err == nil || !strings.Contains(err.Error(), "SHA-256") || !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("error %v, want a checksum mismatch", err)
	}
	if n := downloads(srv); n != 1 {
		t.Errorf("%d downloads, want 1: the same file would come again", n)
	}
}

func TestDownloadTooLarge(t *testing.T) {
	for name, o := range map[string]fake.Options{
		"announced":     {Size: 64 << 10},
		"not announced": {Size: 64 << 10, NoChecksum: true},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := failedResults(t, o, func(c *client) { c.maxDownload = 16 << 10 })
			if err == nil || !strings.Contains(err.Error(), "more than the 16384 bytes") && !strings.Contains(err.Error(), "more than the 16384 this connector downloads") {
				t.Fatalf("error %v, want the size cap", err)
			}
		})
	}
}

func TestWithoutChecksum(t *testing.T) {
	_, e, _ := setup(t, fake.Options{NoChecksum: true})
	p := persist(t)
	out := &collector{root: p.TempStore}
	if err := e.Results(context.Background(), p, completedJob(t, e, p), out); err != nil || len(out.files) != 1 {
		t.Fatalf("Results without size or checksum: %v, files %v", err, out.files)
	}
}

// TestRedirectToAnotherHost: the file is served by another host, which
// must not see the token.
func TestRedirectToAnotherHost(t *testing.T) {
	srv, e, _ := setup(t, fake.Options{RedirectDownload: true})
	p := persist(t)
	out := &collector{root: p.TempStore}
	if err := e.Results(context.Background(), p, completedJob(t, e, p), out); err != nil || len(out.files) != 1 {
		t.Fatalf("Results through a redirect: %v, files %v", err, out.files)
	}
	storage := 0
	for _, r := range srv.Requests() {
		switch {
		case r.Host == strings.TrimPrefix(srv.Storage.URL, "http://"):
			storage++
			if r.Authorization != "" {
				t.Errorf("the other host got Authorization %q", r.Authorization)
			}
		case r.Authorization == "":
			t.Errorf("%s %s on the API went without the token", r.Method, r.Path)
		}
	}
	if storage != 1 {
		t.Errorf("%d requests reached the other host, want 1", storage)
	}
}

// TestResultsBeforeDone: Results on a job still running is an error, not
// an empty result.
func TestResultsBeforeDone(t *testing.T) {
	_, e, _ := setup(t, fake.Options{Polls: 5})
	p := persist(t)
	err := e.Results(context.Background(), p, startedJob(t, e, p), &collector{root: p.TempStore})
	if err == nil || !strings.Contains(err.Error(), "not done") {
		t.Errorf("error %v, want one saying the job is not done", err)
	}
}

func TestForeignHandle(t *testing.T) {
	_, e, _ := setup(t, fake.Options{})
	h := protocol.RequestHandle{SchemaName: "exports", SchemaGroup: "account", RequestType: protocol.RequestQuery, Data: json.RawMessage(`{"query":{}}`)}
	if _, err := e.Status(context.Background(), persist(t), h); err == nil || !strings.Contains(err.Error(), "no data.job") {
		t.Errorf("error %v, want one about the handle", err)
	}
}
