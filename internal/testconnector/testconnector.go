// Package testconnector is the reference connector of
// testdata/monoid/reference, written on the runtime as a connector author
// would write it. Tests of the runtime and of the conformance checks run
// it; the memory project template is its documented counterpart.
package testconnector

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// Config is the reference connector's config; Spec describes it.
type Config struct {
	Hostname   string `json:"hostname"`
	APIKey     string `json:"api_key"`
	NumRecords int    `json:"num_records"`
}

// Silo is the reference silo: two identical in-memory tables.
type Silo struct{}

func (Silo) Validate(_ context.Context, conf Config) (protocol.ValidateMessage, error) {
	if conf.APIKey == "bad" {
		return protocol.Invalid("invalid api key"), nil
	}
	return protocol.Valid(), nil
}

func (Silo) DataStores(_ context.Context, conf Config) ([]protocol.DataStore, error) {
	return []protocol.DataStore{
		protocol.Sync(Table{StoreName: "users", Rows: conf.NumRecords}),
		protocol.Sync(Table{StoreName: "orders", Rows: conf.NumRecords}),
	}, nil
}

// Table holds rows 0..Rows-1 of store Name in group "app", generated on
// demand.
type Table struct {
	StoreName string
	Rows      int
}

var rowSchema = json.RawMessage(`{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"id":{"type":"integer"},"email":{"type":"string"},"name":{"type":"string"}}}`)

func (t Table) Name() string                { return t.StoreName }
func (t Table) Group() string               { return "app" }
func (t Table) JSONSchema() json.RawMessage { return rowSchema }

func (t Table) Query(ctx context.Context, id protocol.QueryIdentifier, out protocol.RecordWriter) error {
	want := id.IdentifierQuery.String()
	for i := range t.Rows {
		r := Row(i)
		if v, ok := r.field(id.Identifier); ok && v == want {
			if err := out.Record(r); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t Table) Delete(context.Context, protocol.QueryIdentifier) error {
	return nil // the rows are generated anew on every run
}

func (t Table) Scan(ctx context.Context, out protocol.RecordWriter) error {
	for i := range t.Rows {
		if err := out.Record(Row(i)); err != nil {
			return err
		}
	}
	return nil
}

// Row is row i: {"id": i, "email": "user<i>@example.com", "name": "User <i>"}.
type Row int

// field returns a field's value as text, as the reference compares it.
func (r Row) field(name string) (string, bool) {
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
func (r Row) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, int64(r), 10)
	b = append(b, `,"email":"user`...)
	b = strconv.AppendInt(b, int64(r), 10)
	b = append(b, `@example.com","name":"User `...)
	b = strconv.AppendInt(b, int64(r), 10)
	return append(b, `"}`...), nil
}

// Spec is the reference connector's spec.json.
var Spec = []byte(`{"spec":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
"properties":{"hostname":{"type":"string","title":"Hostname","description":"Host name of the service to connect to.","order":0},
"api_key":{"type":"string","title":"API Key","description":"Key used to authenticate with the service.","secret":true,"order":1},
"num_records":{"type":"integer","title":"Records per Store","description":"How many example records each data store holds.","default":10,"order":2}},
"required":["hostname","api_key"]}}`)
