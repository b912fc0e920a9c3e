package acme

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"monoid-acme/internal/protocol"
)

// Exports is a user's data at the service, reached through its
// asynchronous export API. The lifecycle the platform drives:
//
//   - query (Query) starts an export job and answers PROGRESS, with the
//     job's id in the handle;
//   - request-status (Status), asked again and again, reads the job and
//     answers PROGRESS until the service is done, then COMPLETE (or
//     FAILED);
//   - request-results (Results) downloads the result file into the
//     persistence directory and hands it over as a FILE record, or, for
//     JSON results, writes its records one by one as RECORDS;
//   - delete (Delete) starts a deletion job the same way; its COMPLETE
//     carries no data (NONE).
//
// The platform runs each command in a new process, so nothing is kept
// between them but the handle.
type Exports struct {
	api *client
}

// Name names the store; requests are routed by group and name.
func (*Exports) Name() string { return "exports" }

// Group is the store's group; the platform shows "account/exports". A
// service with workspaces could make each workspace a group.
func (*Exports) Group() string { return "account" }

// JSONSchema describes the records of a JSON export (RECORDS); a FILE
// export has the same columns.
func (*Exports) JSONSchema() json.RawMessage { return recordSchema }

var recordSchema = json.RawMessage(`{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{` +
	`"id":{"type":"string"},"user":{"type":"string"},"event":{"type":"string"},"time":{"type":"string","format":"date-time"}}}`)

// handleData is what a handle carries between commands: the job's id.
type handleData struct {
	Job string `json:"job"`
}

// Query starts an export job for the identifier. The fields the platform
// asks for (id.JSONSchema) are not sent: this service exports whole
// records.
func (e *Exports) Query(ctx context.Context, _ protocol.PersistenceConfig, id protocol.QueryIdentifier) (protocol.RequestResult, error) {
	return e.start(ctx, pathExports, protocol.RequestQuery, id)
}

// Delete starts a deletion job for the identifier.
func (e *Exports) Delete(ctx context.Context, _ protocol.PersistenceConfig, id protocol.QueryIdentifier) (protocol.RequestResult, error) {
	return e.start(ctx, pathDeletions, protocol.RequestDelete, id)
}

func (e *Exports) start(ctx context.Context, endpoint string, typ protocol.RequestType, id protocol.QueryIdentifier) (protocol.RequestResult, error) {
	j, err := e.api.startJob(ctx, endpoint, id)
	if err != nil {
		return protocol.RequestResult{}, err
	}
	data, err := json.Marshal(handleData{Job: j.ID})
	if err != nil {
		return protocol.RequestResult{}, err
	}
	return protocol.RequestResult{
		Status: e.status(typ, j),
		Handle: protocol.RequestHandle{SchemaGroup: e.Group(), SchemaName: e.Name(), RequestType: typ, Data: data},
	}, nil
}

// Status reads the job of a handle and reports where it is.
func (e *Exports) Status(ctx context.Context, _ protocol.PersistenceConfig, h protocol.RequestHandle) (protocol.RequestStatus, error) {
	id, endpoint, err := e.handle(h)
	if err != nil {
		return protocol.RequestStatus{}, err
	}
	j, err := e.api.job(ctx, endpoint, id)
	if err != nil {
		return protocol.RequestStatus{}, err
	}
	return e.status(h.RequestType, j), nil
}

// status is the platform's view of a job. A COMPLETE export says what
// request-results will give: RECORDS for JSON, a FILE otherwise; a
// COMPLETE deletion gives nothing (NONE). A failed job is logged by id
// only: the service's reason may quote the user's data.
func (e *Exports) status(typ protocol.RequestType, j job) protocol.RequestStatus {
	state, known := requestState(j.State)
	st := protocol.RequestStatus{SchemaGroup: e.Group(), SchemaName: e.Name(), RequestStatus: state}
	switch {
	case !known:
		slog.Warn(fmt.Sprintf("job %s is in state %q, which this connector does not know: reporting FAILED (add the state to requestState)", j.ID, j.State))
	case state == protocol.StateFailed:
		slog.Warn(fmt.Sprintf("job %s failed at the service; see the job there for why", j.ID))
	case state == protocol.StateComplete && typ == protocol.RequestDelete:
		st.DataType = protocol.DataNone
	case state == protocol.StateComplete && isRecords(j.Format):
		st.DataType = protocol.DataRecords
	case state == protocol.StateComplete:
		st.DataType = protocol.DataFile
	}
	return st
}

// Results downloads the result of a done export into temp_store, under a
// name no other download takes, verified against what the service
// announced. A JSON result is then written as RECORDS and the file
// removed; any other is handed over as a FILE record. A failed download
// leaves no file behind. A deletion has no results.
func (e *Exports) Results(ctx context.Context, p protocol.PersistenceConfig, h protocol.RequestHandle, out protocol.RecordWriter) error {
	if h.RequestType != protocol.RequestQuery {
		return nil
	}
	id, endpoint, err := e.handle(h)
	if err != nil {
		return err
	}
	j, err := e.api.job(ctx, endpoint, id)
	if err != nil {
		return err
	}
	if state, _ := requestState(j.State); state != protocol.StateComplete {
		return fmt.Errorf("job %s is %q, not done: ask request-status until it answers COMPLETE", j.ID, j.State)
	}
	u, err := e.api.fileURL(j)
	if err != nil {
		return err
	}
	if p.TempStore == "" {
		return fmt.Errorf("no persistence directory (temp_store) to download job %s into", j.ID)
	}
	dir, err := filepath.Abs(p.TempStore)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "job-"+fileSafe(j.ID)+"-*"+extension(j.Format))
	if err != nil {
		return fmt.Errorf("create the result file of job %s in temp_store: %w", j.ID, err)
	}
	keep := false
	defer func() {
		f.Close()
		if !keep {
			os.Remove(f.Name())
		}
	}()
	if _, err := e.api.download(ctx, u, f, fileCheck{size: j.File.Size, sha256: j.File.SHA256}); err != nil {
		return err
	}
	if isRecords(j.Format) {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		return writeRecords(ctx, f, "result of job "+j.ID, out)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", f.Name(), err)
	}
	if err := out.File(f.Name()); err != nil {
		return err
	}
	keep = true
	return nil
}

// Scan writes nothing: an export API has no cheap way to sample records.
// If your service can list a few records (GET /users?limit=10), write
// them here, so that the platform's data discovery sees real ones.
func (*Exports) Scan(context.Context, protocol.PersistenceConfig, protocol.RecordWriter) error {
	return nil
}

// handle reads a handle's job id and the endpoint its job lives under.
func (e *Exports) handle(h protocol.RequestHandle) (id, endpoint string, err error) {
	var d handleData
	if err := json.Unmarshal(h.Data, &d); err != nil || d.Job == "" {
		return "", "", fmt.Errorf("handle of %s/%s has no data.job: it was not written by this store", h.SchemaGroup, h.SchemaName)
	}
	switch h.RequestType {
	case protocol.RequestQuery:
		return d.Job, pathExports, nil
	case protocol.RequestDelete:
		return d.Job, pathDeletions, nil
	}
	return "", "", fmt.Errorf("handle of job %s has request_type %q, want QUERY or DELETE", d.Job, h.RequestType)
}

// fileSafe turns a job id into a piece of file name: letters, digits, -
// and _ only, at most 64 bytes.
func fileSafe(id string) string {
	s := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, id)
	if len(s) > 64 {
		s = s[:64]
	}
	return s
}
