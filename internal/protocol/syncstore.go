package protocol

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// SyncStore is a data store that answers at once, such as a database table:
// the counterpart of the Python kit's DBDataStore. Its author writes only
// what reads and deletes records; [Sync] turns it into a [DataStore] that
// answers the request lifecycle exactly as the Python kit does.
type SyncStore interface {
	Name() string
	Group() string
	JSONSchema() json.RawMessage

	// Query writes every record that matches id to out. It runs when the
	// platform asks for request-results.
	Query(ctx context.Context, id QueryIdentifier, out RecordWriter) error
	// Delete deletes every record that matches id. It runs when the
	// platform sends delete.
	Delete(ctx context.Context, id QueryIdentifier) error
	// Scan writes a sample of the store's records to out.
	Scan(ctx context.Context, out RecordWriter) error
}

// Sync adapts a SyncStore to the DataStore lifecycle:
//
//   - query answers COMPLETE/RECORDS at once, with the identifier in the
//     handle's data under "query";
//   - delete performs the deletion, then answers COMPLETE/NONE;
//   - request-status answers COMPLETE with RECORDS for a QUERY handle and
//     NONE for a DELETE handle;
//   - request-results runs the query of a QUERY handle and writes nothing
//     for a DELETE handle.
func Sync(s SyncStore) DataStore { return syncStore{s} }

type syncStore struct{ SyncStore }

// syncHandleData is the handle data of a synchronous store, as the Python
// kit writes it.
type syncHandleData struct {
	Query *QueryIdentifier `json:"query"`
}

func (s syncStore) Query(ctx context.Context, _ PersistenceConfig, id QueryIdentifier) (RequestResult, error) {
	return s.result(id, RequestQuery, DataRecords)
}

func (s syncStore) Delete(ctx context.Context, _ PersistenceConfig, id QueryIdentifier) (RequestResult, error) {
	if err := s.SyncStore.Delete(ctx, id); err != nil {
		return RequestResult{}, err
	}
	return s.result(id, RequestDelete, DataNone)
}

func (s syncStore) result(id QueryIdentifier, typ RequestType, data DataType) (RequestResult, error) {
	raw, err := json.Marshal(syncHandleData{Query: &id})
	if err != nil {
		return RequestResult{}, err
	}
	return RequestResult{
		Status: RequestStatus{SchemaGroup: s.Group(), SchemaName: s.Name(), RequestStatus: StateComplete, DataType: data},
		Handle: RequestHandle{SchemaGroup: s.Group(), SchemaName: s.Name(), Data: raw, RequestType: typ},
	}, nil
}

func (s syncStore) Status(_ context.Context, _ PersistenceConfig, h RequestHandle) (RequestStatus, error) {
	st := RequestStatus{SchemaGroup: s.Group(), SchemaName: s.Name(), RequestStatus: StateComplete, DataType: DataNone}
	if h.RequestType == RequestQuery {
		st.DataType = DataRecords
	}
	return st, nil
}

func (s syncStore) Results(ctx context.Context, _ PersistenceConfig, h RequestHandle, out RecordWriter) error {
	if h.RequestType != RequestQuery {
		return nil
	}
	var d syncHandleData
	if err := decodeInput("handle data", h.Data, &d); err != nil {
		return fmt.Errorf("handle of %s is not one this store wrote: %w", storeKey(s.Group(), s.Name()), err)
	}
	if d.Query == nil {
		return fmt.Errorf("handle of %s has no data.query: it was not written by this store", storeKey(s.Group(), s.Name()))
	}
	return s.SyncStore.Query(ctx, *d.Query, out)
}

func (s syncStore) Scan(ctx context.Context, _ PersistenceConfig, out RecordWriter) error {
	return s.SyncStore.Scan(ctx, out)
}

// storeKey names a store in messages as group/name.
func storeKey(group, name string) string {
	if group == "" {
		return name
	}
	return group + "/" + name
}

// SyncStatus returns the synchronous store named by group and name as far
// as request-status needs it: Sync answers a status from the handle alone.
// A StoreFinder whose stores are synchronous returns it from Store, so
// that request-status reaches no service. Every other method fails.
func SyncStatus(group, name string) DataStore { return Sync(statusOnly{group, name}) }

// statusOnly is the store behind SyncStatus.
type statusOnly struct{ group, name string }

// errStatusOnly is what statusOnly answers to anything but its names.
var errStatusOnly = errors.New("a store found for request-status answers nothing else")

func (s statusOnly) Name() string                { return s.name }
func (s statusOnly) Group() string               { return s.group }
func (s statusOnly) JSONSchema() json.RawMessage { return json.RawMessage(`{}`) }

func (statusOnly) Query(context.Context, QueryIdentifier, RecordWriter) error { return errStatusOnly }
func (statusOnly) Delete(context.Context, QueryIdentifier) error              { return errStatusOnly }
func (statusOnly) Scan(context.Context, RecordWriter) error                   { return errStatusOnly }
