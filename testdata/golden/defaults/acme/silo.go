// Package acme is the Acme connector: its config, its silo and
// its data stores.
package acme

import (
	"context"

	"monoid-acme/internal/protocol"
)

// Silo is the Acme silo. The runtime calls it with a Config that has
// already been validated against spec.json, defaults filled in.
type Silo struct{}

// Validate checks that conf can reach Acme. Return
// protocol.Invalid("why") for a config Acme rejects (the user sees the
// message); return an error only when the check itself cannot run.
func (Silo) Validate(ctx context.Context, conf Config) (protocol.ValidateMessage, error) {
	// TODO: connect to Acme with conf.Hostname and conf.APIKey.
	return protocol.Valid(), nil
}

// DataStores returns Acme's data stores. Each store is looked up by
// its (group, name) pair, so the pairs must be unique.
func (Silo) DataStores(ctx context.Context, conf Config) ([]protocol.DataStore, error) {
	return []protocol.DataStore{
		protocol.Sync(&usersStore{conf: conf}),
		// +monoid-gen:scaffold:stores (monoid-gen add store registers new stores above this line)
	}, nil
}
