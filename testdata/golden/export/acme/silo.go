// Package acme is a working example connector for a service that
// exports and deletes a user's data through an asynchronous API: a job is
// started, polled until done, and its result file downloaded. It runs
// against a fake of such a service (package fake); to reach your own,
// rewrite api.go and the lines of client.go marked ADAPT.
package acme

import (
	"context"
	"errors"

	"monoid-acme/internal/protocol"
)

// Silo is the connector. The runtime calls it with a Config that has
// already been validated against spec.json, defaults filled in; each
// command calls Validate or DataStores once, so each makes its own
// client.
type Silo struct{}

// Validate checks the config and asks the service whether the token is
// valid. A refused token, an address that does not answer or an answer
// that is not the API's make the config invalid, with the reason; only a
// cancelled command is an error.
func (Silo) Validate(ctx context.Context, conf Config) (protocol.ValidateMessage, error) {
	c, err := newClient(conf)
	if err != nil {
		return protocol.Invalid(err.Error()), nil
	}
	defer c.close()
	switch err := c.checkToken(ctx); {
	case err == nil:
		return protocol.Valid(), nil
	case ctx.Err() != nil:
		return protocol.ValidateMessage{}, err
	case errors.Is(err, errTokenRefused):
		return protocol.Invalid(errTokenRefused.Error() + ": put a valid token in api_token"), nil
	default:
		return protocol.Invalid(err.Error()), nil
	}
}

// DataStores returns the one store, exports. A service with several kinds
// of export (events, profiles) would return one store for each, sharing
// the client.
func (Silo) DataStores(_ context.Context, conf Config) ([]protocol.DataStore, error) {
	c, err := newClient(conf)
	if err != nil {
		return nil, err
	}
	return []protocol.DataStore{
		&Exports{api: c},
		// +monoid-gen:scaffold:stores (monoid-gen add store --async registers new stores above this line)
	}, nil
}
