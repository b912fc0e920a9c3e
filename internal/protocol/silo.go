package protocol

import (
	"context"
	"encoding/json"
)

// Silo is a connector: the data stores it reaches and the check of a config
// against the silo itself. C is the connector's own config struct; the
// runner decodes it from the config file only after the file has validated
// against spec.json and absent properties have received their defaults.
type Silo[C any] interface {
	// Validate checks that conf can reach the silo (credentials, network).
	// A config the silo rejects is a result, Invalid("why"), not an error;
	// an error means the check itself could not run.
	Validate(ctx context.Context, conf C) (ValidateMessage, error)

	// DataStores returns the silo's data stores for conf. Each
	// (Group, Name) pair must be unique.
	DataStores(ctx context.Context, conf C) ([]DataStore, error)
}

// StoreFinder is implemented, besides Silo, by a silo whose stores cost a
// round trip to list, such as a database's tables found in its catalog.
// For request-status, which needs only the stores its handles name, the
// runtime asks Store for each of them instead of calling DataStores, so
// that a synchronous store's status (which Sync answers from the handle)
// needs no connection at all. Store returns nil for a store it does not
// know.
type StoreFinder[C any] interface {
	Store(ctx context.Context, conf C, group, name string) (DataStore, error)
}

// Valid is the ValidateMessage of a config that works.
func Valid() ValidateMessage { return ValidateMessage{Status: ValidateSuccess} }

// Invalid is the ValidateMessage of a config the silo rejects; reason is
// shown to the user.
func Invalid(reason string) ValidateMessage {
	return ValidateMessage{Status: ValidateFailure, Message: reason}
}

// DataStore is one kind of record a silo holds (a table, an API resource),
// with the full request lifecycle of the protocol. It is general enough for
// asynchronous stores: Query and Delete may answer StateProgress with a
// handle naming a job, Status reports on it, and Results may write FILE
// records under the persistence directory.
//
// Synchronous stores such as databases implement the smaller [SyncStore]
// instead and wrap it with [Sync].
type DataStore interface {
	// Name and Group identify the store; requests are routed by the pair.
	Name() string
	Group() string
	// JSONSchema describes the store's records: a JSON Schema object.
	JSONSchema() json.RawMessage

	// Query starts a query for one identifier.
	Query(ctx context.Context, p PersistenceConfig, id QueryIdentifier) (RequestResult, error)
	// Delete starts a deletion for one identifier.
	Delete(ctx context.Context, p PersistenceConfig, id QueryIdentifier) (RequestResult, error)
	// Status reports on a request started by Query or Delete.
	Status(ctx context.Context, p PersistenceConfig, h RequestHandle) (RequestStatus, error)
	// Results writes the records of a completed request to out.
	Results(ctx context.Context, p PersistenceConfig, h RequestHandle, out RecordWriter) error
	// Scan writes a sample of the store's records to out, for data
	// discovery.
	Scan(ctx context.Context, p PersistenceConfig, out RecordWriter) error
}

// RecordWriter receives a store's records one at a time, so that a store
// never holds its results in memory. The runner's RecordWriter writes each
// record as one line on standard output as soon as it is given, tagged with
// the store's name and group.
type RecordWriter interface {
	// Record writes one inline record. data must encode as a JSON object:
	// a struct, a map, a json.RawMessage, or a type implementing
	// JSONAppender (the fastest path).
	Record(data any) error
	// File writes a FILE record naming path, which must lie inside the
	// persistence directory (PersistenceConfig.TempStore).
	File(path string) error
}

// JSONAppender is implemented by record types that encode themselves: it
// appends the record's JSON object to dst and returns the extended slice.
// A store that writes millions of records implements it to skip reflection;
// see AppendJSONString for strings.
type JSONAppender interface {
	AppendJSON(dst []byte) ([]byte, error)
}
