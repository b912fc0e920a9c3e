// Package googlesheets is the Google Sheets connector: its config, its silo and
// its data stores.
package googlesheets

import (
	"context"

	"example.com/connectors/sheets/internal/protocol"
)

// Silo is the Google Sheets silo. The runtime calls it with a Config that has
// already been validated against spec.json, defaults filled in.
type Silo struct{}

// Validate checks that conf can reach Google Sheets. Return
// protocol.Invalid("why") for a config Google Sheets rejects (the user sees the
// message); return an error only when the check itself cannot run.
func (Silo) Validate(ctx context.Context, conf Config) (protocol.ValidateMessage, error) {
	// TODO: connect to Google Sheets with conf.Hostname and conf.APIKey.
	return protocol.Valid(), nil
}

// DataStores returns Google Sheets's data stores. Each store is looked up by
// its (group, name) pair, so the pairs must be unique.
func (Silo) DataStores(ctx context.Context, conf Config) ([]protocol.DataStore, error) {
	return []protocol.DataStore{
		protocol.Sync(&spreadsheetsStore{conf: conf}),
		protocol.Sync(&cellValuesStore{conf: conf}),
		// +monoid-gen:scaffold:stores (monoid-gen add store registers new stores above this line)
	}, nil
}
