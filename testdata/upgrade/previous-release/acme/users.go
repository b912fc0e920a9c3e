package acme

import (
	"context"
	"encoding/json"

	"monoid-acme/internal/protocol"
)

// usersStore is the users data store of Acme.
//
// It is a synchronous store (protocol.SyncStore): it reads and deletes at
// once, as a database does, and protocol.Sync answers the request lifecycle
// for it. A store backed by an export API that answers later implements
// protocol.DataStore instead, returning protocol.StateProgress and a handle.
type usersStore struct {
	conf Config
}

// usersSchema describes a users record: the fields Monoid maps
// and returns to users.
//
// TODO: list the real fields of a users record.
var usersSchema = json.RawMessage(`{
	"$schema": "http://json-schema.org/draft-07/schema#",
	"type": "object",
	"properties": {
		"id": {"type": "string"},
		"email": {"type": "string"}
	}
}`)

// Name is the store's name in Monoid.
func (s *usersStore) Name() string { return "users" }

// Group is the group the store belongs to, such as a database name.
func (s *usersStore) Group() string { return "acme" }

// JSONSchema describes the store's records.
func (s *usersStore) JSONSchema() json.RawMessage { return usersSchema }

// Query writes every users record whose field id.Identifier (such as
// "email") equals id.IdentifierQuery, with out.Record.
func (s *usersStore) Query(ctx context.Context, id protocol.QueryIdentifier, out protocol.RecordWriter) error {
	// TODO: look the records up in Acme and write each one:
	//	out.Record(map[string]any{"id": ..., "email": ...})
	return nil
}

// Delete deletes every users record whose field id.Identifier equals
// id.IdentifierQuery.
func (s *usersStore) Delete(ctx context.Context, id protocol.QueryIdentifier) error {
	// TODO: delete the records in Acme.
	return nil
}

// Scan writes a sample of users records, from which Monoid discovers
// what personal data the store holds.
func (s *usersStore) Scan(ctx context.Context, out protocol.RecordWriter) error {
	// TODO: read some records from Acme and write each one.
	return nil
}
