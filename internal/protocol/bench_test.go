package protocol_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strconv"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
	"github.com/monoid-gen/monoid-gen/templates/examples/memory"
)

// The per-record write path, for a 3-field record like the reference's.
// Each benchmark writes b.N records of one store to io.Discard through the
// runner's RecordWriter (scan of one store).

// benchScan runs a scan of b.N rows produced by row.
func benchScan(b *testing.B, row func(i int) any) {
	dir := fixture(b, map[string]string{
		"config.json":  `{"hostname":"h","api_key":"k","num_records":1}`,
		"persist.json": `{"temp_store":"/tmp"}`,
		"schemas.json": `{"schemas":[{"name":"users","group":"app","json_schema":{}}]}`,
	})
	b.ReportAllocs()
	b.ResetTimer()
	code := protocol.Execute(context.Background(), benchSilo{n: b.N, row: row}, []byte(refSpec), protocol.Env{
		Args:   []string{"scan", "-c", dir + "/config.json", "-p", dir + "/persist.json", "-s", dir + "/schemas.json"},
		Stdout: io.Discard, Stderr: io.Discard,
	})
	if code != 0 {
		b.Fatalf("exit %d", code)
	}
}

// BenchmarkRecordAppender is the fast path: a row type implementing
// protocol.JSONAppender, passed by pointer to one variable, as the memory
// template's table does (a row converted to an interface by value would be
// allocated for each record).
func BenchmarkRecordAppender(b *testing.B) {
	var r memory.Row
	benchScan(b, func(i int) any {
		r = memory.Row(i)
		return &r
	})
}

// userRow is the same record as a plain struct, encoded by encoding/json.
type userRow struct {
	ID    int    `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

// BenchmarkRecordStruct is the default path: a struct with json tags.
func BenchmarkRecordStruct(b *testing.B) {
	benchScan(b, func(i int) any {
		s := strconv.Itoa(i)
		return userRow{i, "user" + s + "@example.com", "User " + s}
	})
}

// BenchmarkRecordMap is a map per row through the runner.
func BenchmarkRecordMap(b *testing.B) {
	benchScan(b, func(i int) any {
		s := strconv.Itoa(i)
		return map[string]any{"id": i, "email": "user" + s + "@example.com", "name": "User " + s}
	})
}

// BenchmarkNaiveWriter is the baseline the runtime must beat: a map per
// row, wrapped in the message as maps, encoded with encoding/json onto a
// buffered stdout.
func BenchmarkNaiveWriter(b *testing.B) {
	b.ReportAllocs()
	w := bufio.NewWriter(io.Discard)
	enc := json.NewEncoder(w)
	for i := 0; i < b.N; i++ {
		s := strconv.Itoa(i)
		data := map[string]any{"id": i, "email": "user" + s + "@example.com", "name": "User " + s}
		msg := map[string]any{"type": "RECORD", "record": map[string]any{
			"record_type": "RECORD", "schema_name": "users", "schema_group": "app", "data": data}}
		if err := enc.Encode(msg); err != nil {
			b.Fatal(err)
		}
	}
	w.Flush()
}

// BenchmarkSpec is the whole of the spec command's work.
func BenchmarkSpec(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		code := protocol.Execute(context.Background(), memory.Silo{}, []byte(refSpec), protocol.Env{
			Args: []string{"spec"}, Stdout: io.Discard, Stderr: io.Discard,
		})
		if code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}

// benchSilo has one store, app/users, whose scan writes n rows.
type benchSilo struct {
	n   int
	row func(int) any
}

func (benchSilo) Validate(context.Context, memory.Config) (protocol.ValidateMessage, error) {
	return protocol.Valid(), nil
}

func (s benchSilo) DataStores(context.Context, memory.Config) ([]protocol.DataStore, error) {
	return []protocol.DataStore{protocol.Sync(benchTable{memory.NewTable("users", 0), s})}, nil
}

type benchTable struct {
	*memory.Table
	silo benchSilo
}

func (t benchTable) Scan(ctx context.Context, out protocol.RecordWriter) error {
	for i := range t.silo.n {
		if err := out.Record(t.silo.row(i)); err != nil {
			return err
		}
	}
	return nil
}
