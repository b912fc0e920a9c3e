// Package testconnector is an asynchronous connector for the tests of the
// conformance checks: the memory example plus an export store.
package testconnector

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
	"github.com/monoid-gen/monoid-gen/templates/examples/memory"
)

// AsyncSilo is the reference silo plus "exports", an asynchronous store in
// the manner of a SaaS export API: query starts a job and answers
// PROGRESS; request-status answers PROGRESS once more, then COMPLETE with
// FILE; request-results writes the export under temp_store and returns it
// as a FILE record. Jobs live in temp_store, so they outlast the process,
// as the platform runs one process per command.
type AsyncSilo struct{ memory.Silo }

// DataStores returns the reference stores and the exports store.
func (s AsyncSilo) DataStores(ctx context.Context, conf memory.Config) ([]protocol.DataStore, error) {
	stores, err := s.Silo.DataStores(ctx, conf)
	return append(stores, Exports{}), err
}

// Exports is the asynchronous store of AsyncSilo.
type Exports struct{}

// job is the handle data of an export.
type job struct {
	ID string `json:"job"`
}

func (Exports) Name() string                { return "exports" }
func (Exports) Group() string               { return "app" }
func (Exports) JSONSchema() json.RawMessage { return memory.NewTable("", 0).JSONSchema() }

// Query starts an export job for the identifier.
func (e Exports) Query(_ context.Context, p protocol.PersistenceConfig, id protocol.QueryIdentifier) (protocol.RequestResult, error) {
	return e.start(p, id, protocol.RequestQuery)
}

// Delete starts a deletion job.
func (e Exports) Delete(_ context.Context, p protocol.PersistenceConfig, id protocol.QueryIdentifier) (protocol.RequestResult, error) {
	return e.start(p, id, protocol.RequestDelete)
}

func (Exports) start(p protocol.PersistenceConfig, id protocol.QueryIdentifier, typ protocol.RequestType) (protocol.RequestResult, error) {
	jobID := string(typ) + "-" + id.IdentifierQuery.String()
	if err := os.WriteFile(jobFile(p, jobID), []byte("0"), 0o644); err != nil {
		return protocol.RequestResult{}, err
	}
	data, _ := json.Marshal(job{ID: jobID})
	return protocol.RequestResult{
		Status: protocol.RequestStatus{SchemaGroup: "app", SchemaName: "exports", RequestStatus: protocol.StateProgress},
		Handle: protocol.RequestHandle{SchemaGroup: "app", SchemaName: "exports", RequestType: typ, Data: data},
	}, nil
}

// Status answers PROGRESS on the first poll and COMPLETE after.
func (Exports) Status(_ context.Context, p protocol.PersistenceConfig, h protocol.RequestHandle) (protocol.RequestStatus, error) {
	var j job
	if err := json.Unmarshal(h.Data, &j); err != nil || j.ID == "" {
		return protocol.RequestStatus{}, errors.New("handle without a job")
	}
	b, err := os.ReadFile(jobFile(p, j.ID))
	if err != nil {
		return protocol.RequestStatus{}, fmt.Errorf("job %s: %w", j.ID, err)
	}
	polls, _ := strconv.Atoi(string(b))
	if err := os.WriteFile(jobFile(p, j.ID), []byte(strconv.Itoa(polls+1)), 0o644); err != nil {
		return protocol.RequestStatus{}, err
	}
	st := protocol.RequestStatus{SchemaGroup: "app", SchemaName: "exports", RequestStatus: protocol.StateProgress}
	if polls >= 1 {
		st.RequestStatus, st.DataType = protocol.StateComplete, protocol.DataFile
		if h.RequestType == protocol.RequestDelete {
			st.DataType = protocol.DataNone
		}
	}
	return st, nil
}

// Results writes the export of a QUERY job as a file under temp_store.
func (Exports) Results(_ context.Context, p protocol.PersistenceConfig, h protocol.RequestHandle, out protocol.RecordWriter) error {
	if h.RequestType != protocol.RequestQuery {
		return nil
	}
	var j job
	if err := json.Unmarshal(h.Data, &j); err != nil {
		return err
	}
	name := filepath.Join(p.TempStore, j.ID+".json")
	if err := os.WriteFile(name, []byte(`[{"id":1}]`), 0o644); err != nil {
		return err
	}
	return out.File(name)
}

// Scan writes one row.
func (Exports) Scan(_ context.Context, _ protocol.PersistenceConfig, out protocol.RecordWriter) error {
	return out.Record(memory.Row(0))
}

func jobFile(p protocol.PersistenceConfig, id string) string {
	return filepath.Join(p.TempStore, id+".job")
}
