package googlesheets

import (
	"context"
	"encoding/json"

	"example.com/connectors/sheets/internal/protocol"
)

// spreadsheetsStore is the spreadsheets data store of Google Sheets.
//
// It is a synchronous store (protocol.SyncStore): it reads and deletes at
// once, as a database does, and protocol.Sync answers the request lifecycle
// for it. A store backed by an export API that answers later implements
// protocol.DataStore instead, returning protocol.StateProgress and a handle.
type spreadsheetsStore struct {
	conf Config
}

// spreadsheetsSchema describes a spreadsheets record: the fields Monoid maps
// and returns to users.
//
// TODO: list the real fields of a spreadsheets record.
var spreadsheetsSchema = json.RawMessage(`{
	"$schema": "http://json-schema.org/draft-07/schema#",
	"type": "object",
	"properties": {
		"id": {"type": "string"},
		"email": {"type": "string"}
	}
}`)

// Name is the store's name in Monoid.
func (s *spreadsheetsStore) Name() string { return "spreadsheets" }

// Group is the group the store belongs to, such as a database name.
func (s *spreadsheetsStore) Group() string { return "googlesheets" }

// JSONSchema describes the store's records.
func (s *spreadsheetsStore) JSONSchema() json.RawMessage { return spreadsheetsSchema }

// Query writes every spreadsheets record whose field id.Identifier (such as
// "email") equals id.IdentifierQuery, with out.Record.
func (s *spreadsheetsStore) Query(ctx context.Context, id protocol.QueryIdentifier, out protocol.RecordWriter) error {
	// TODO: look the records up in Google Sheets and write each one:
	//	out.Record(map[string]any{"id": ..., "email": ...})
	return nil
}

// Delete deletes every spreadsheets record whose field id.Identifier equals
// id.IdentifierQuery.
func (s *spreadsheetsStore) Delete(ctx context.Context, id protocol.QueryIdentifier) error {
	// TODO: delete the records in Google Sheets.
	return nil
}

// Scan writes a sample of spreadsheets records, from which Monoid discovers
// what personal data the store holds.
func (s *spreadsheetsStore) Scan(ctx context.Context, out protocol.RecordWriter) error {
	// TODO: read some records from Google Sheets and write each one.
	return nil
}
