package protocol_test

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// This file is the reference connector of ../shared/monoid/reference,
// written as a connector author would write it on this package. The
// compatibility test runs it against the Python kit's transcripts.

// refConfig is the reference connector's config; spec.json describes it.
type refConfig struct {
	Hostname   string `json:"hostname"`
	APIKey     string `json:"api_key"`
	NumRecords int    `json:"num_records"`
}

// refSilo is the reference silo: two identical in-memory tables.
type refSilo struct{}

func (refSilo) Validate(_ context.Context, conf refConfig) (protocol.ValidateMessage, error) {
	if conf.APIKey == "bad" {
		return protocol.Invalid("invalid api key"), nil
	}
	return protocol.Valid(), nil
}

func (refSilo) DataStores(_ context.Context, conf refConfig) ([]protocol.DataStore, error) {
	return []protocol.DataStore{
		protocol.Sync(refTable{name: "users", rows: conf.NumRecords}),
		protocol.Sync(refTable{name: "orders", rows: conf.NumRecords}),
	}, nil
}

// refTable holds rows 0..rows-1, generated on demand.
type refTable struct {
	name string
	rows int
}

var refSchema = json.RawMessage(`{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"id":{"type":"integer"},"email":{"type":"string"},"name":{"type":"string"}}}`)

func (t refTable) Name() string                { return t.name }
func (t refTable) Group() string               { return "app" }
func (t refTable) JSONSchema() json.RawMessage { return refSchema }

func (t refTable) Query(ctx context.Context, id protocol.QueryIdentifier, out protocol.RecordWriter) error {
	want := id.IdentifierQuery.String()
	for i := range t.rows {
		r := refRow(i)
		if v, ok := r.field(id.Identifier); ok && v == want {
			if err := out.Record(r); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t refTable) Delete(context.Context, protocol.QueryIdentifier) error {
	return nil // the rows are generated anew on every run
}

func (t refTable) Scan(ctx context.Context, out protocol.RecordWriter) error {
	for i := range t.rows {
		if err := out.Record(refRow(i)); err != nil {
			return err
		}
	}
	return nil
}

// refRow is row i: {"id": i, "email": "user<i>@example.com", "name": "User <i>"}.
type refRow int

// field returns a field's value as text, as the reference compares it.
func (r refRow) field(name string) (string, bool) {
	i := strconv.Itoa(int(r))
	switch name {
	case "id":
		return i, true
	case "email":
		return "user" + i + "@example.com", true
	case "name":
		return "User " + i, true
	}
	return "", false
}

// AppendJSON implements protocol.JSONAppender.
func (r refRow) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, int64(r), 10)
	b = append(b, `,"email":"user`...)
	b = strconv.AppendInt(b, int64(r), 10)
	b = append(b, `@example.com","name":"User `...)
	b = strconv.AppendInt(b, int64(r), 10)
	return append(b, `"}`...), nil
}
