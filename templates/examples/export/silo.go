package export

import (
	"context"
	"errors"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// Silo is the connector: a service that exports and deletes a user's data
// through asynchronous jobs. Its zero value is ready; the runtime calls
// Close when the command is done.
type Silo struct {
	conf   Config
	client *client // for conf, made on first use
}

// connect returns the client for conf, made once and reused by every
// call of the command.
func (s *Silo) connect(conf Config) (*client, error) {
	if s.client != nil && s.conf == conf {
		return s.client, nil
	}
	c, err := newClient(conf)
	if err != nil {
		return nil, err
	}
	s.Close()
	s.client, s.conf = c, conf
	return c, nil
}

// Validate checks the config and asks the service whether the token is
// valid. A refused token, an address that does not answer or an answer
// that is not the API's make the config invalid, with the reason; only a
// cancelled command is an error.
func (s *Silo) Validate(ctx context.Context, conf Config) (protocol.ValidateMessage, error) {
	c, err := s.connect(conf)
	if err != nil {
		return protocol.Invalid(err.Error()), nil
	}
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
// of export (events, profiles) would return one store for each.
func (s *Silo) DataStores(_ context.Context, conf Config) ([]protocol.DataStore, error) {
	c, err := s.connect(conf)
	if err != nil {
		return nil, err
	}
	return []protocol.DataStore{&Exports{api: c}}, nil
}

// Close releases the client's idle connections.
func (s *Silo) Close() error {
	if s.client != nil {
		s.client.close()
	}
	return nil
}
