// Package memory is a working example connector that keeps its data in
// memory. Each data store is a table of generated rows, so the connector
// runs anywhere with no service behind it; it behaves exactly like the
// Monoid Protocol's reference connector.
//
// To reach a real service, keep the shape and replace the table: Validate
// connects with the Config, and each store's Query, Delete and Scan talk to
// the service.
package memory

import (
	"context"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// Group is the group of every store, as the reference connector names it.
const Group = "app"

// Silo is the connector's silo. The runtime calls it with a Config that has
// already been validated against spec.json, defaults filled in.
type Silo struct{}

// Validate accepts any config but one whose API key is "bad", to show how a
// rejected config is reported: as a result the user sees, not as an error.
func (Silo) Validate(ctx context.Context, conf Config) (protocol.ValidateMessage, error) {
	if conf.APIKey == "bad" {
		return protocol.Invalid("invalid api key"), nil
	}
	return protocol.Valid(), nil
}

// DataStores returns the two stores, users and orders: in-memory tables of
// conf.NumRecords rows each.
func (Silo) DataStores(ctx context.Context, conf Config) ([]protocol.DataStore, error) {
	return []protocol.DataStore{
		protocol.Sync(NewTable("users", conf.NumRecords)),
		protocol.Sync(NewTable("orders", conf.NumRecords)),
	}, nil
}
