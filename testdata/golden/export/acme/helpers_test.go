package acme

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"monoid-acme/acme/fake"
	"monoid-acme/internal/protocol"
)

// setup starts a fake service with o and returns the store pointed at it,
// with a client whose waits between attempts are recorded instead of
// slept.
func setup(t *testing.T, o fake.Options) (*fake.Server, *Exports, *waits) {
	t.Helper()
	srv := fake.NewServer(o)
	t.Cleanup(srv.Close)
	conf := Config{BaseURL: srv.URL, APIToken: fake.DefaultToken, TimeoutSeconds: 10}
	stores, err := Silo{}.DataStores(context.Background(), conf)
	if err != nil {
		t.Fatal(err)
	}
	// The exports store, whatever stores were added beside it.
	var e *Exports
	for _, s := range stores {
		if x, ok := s.(*Exports); ok {
			e = x
		}
	}
	if e == nil {
		t.Fatalf("DataStores returned no *Exports among %d stores", len(stores))
	}
	t.Cleanup(e.api.close)
	w := &waits{}
	e.api.sleep = w.sleep
	return srv, e, w
}

// waits records the waits a client asked for between attempts.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.d = append(w.d, d)
	return ctx.Err()
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

// collector is a RecordWriter that keeps what it is given and checks, as
// the runtime does, that records are JSON objects and files lie inside
// root.
type collector struct {
	root    string
	records []json.RawMessage
	files   []string
}

func (c *collector) Record(data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(strings.TrimSpace(string(b)), "{") {
		return fmt.Errorf("record data must be a JSON object, got %.40s", b)
	}
	c.records = append(c.records, b)
	return nil
}

func (c *collector) File(path string) error {
	rel, err := filepath.Rel(c.root, path)
	if err != nil || !filepath.IsAbs(path) || rel == "." || strings.HasPrefix(rel, "..") {
		return fmt.Errorf("file record %q is not inside temp_store %q", path, c.root)
	}
	c.files = append(c.files, path)
	return nil
}

// persist returns a fresh persistence directory.
func persist(t *testing.T) protocol.PersistenceConfig {
	return protocol.PersistenceConfig{TempStore: t.TempDir()}
}

// entries lists a directory's file names.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range des {
		names = append(names, d.Name())
	}
	return names
}

// identifier is the query identifier of user on the store.
func identifier(user string) protocol.QueryIdentifier {
	return protocol.QueryIdentifier{
		SchemaName: "exports", SchemaGroup: "account", Identifier: "email",
		IdentifierQuery: protocol.StringQuery(user), JSONSchema: json.RawMessage(`{}`),
	}
}

// noToken fails the test if err's message holds the fake's token.
func noToken(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), fake.DefaultToken) {
		t.Errorf("the error holds the API token: %v", err)
	}
}

// poll asks Status until the request is no longer in PROGRESS, at most
// ten times, and returns the statuses seen.
func poll(t *testing.T, e *Exports, p protocol.PersistenceConfig, h protocol.RequestHandle) []protocol.RequestStatus {
	t.Helper()
	var seen []protocol.RequestStatus
	for range 10 {
		st, err := e.Status(context.Background(), p, h)
		if err != nil {
			t.Fatalf("Status: %v", err)
		}
		seen = append(seen, st)
		if st.RequestStatus != protocol.StateProgress {
			return seen
		}
	}
	t.Fatalf("still in PROGRESS after 10 polls")
	return nil
}

// The runtime takes the silo as a value or through a pointer.
var (
	_ protocol.Silo[Config] = Silo{}
	_ protocol.Silo[Config] = new(Silo)
)
