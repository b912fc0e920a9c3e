// Package shop is a Postgres connector: it finds every user table of the
// databases on a server and answers the platform's user data requests
// against them. It reads the same config as Monoid's official Python
// Postgres connector and names its data stores the same way, so it can
// replace that connector in an existing silo.
//
// Each table is a data store named after the table, in group
// "DATABASE/SCHEMA". Its JSON Schema comes from the column types (see
// resolveType); its records are written straight from Postgres's binary
// format (see appendValue), so numbers keep every digit and a query of a
// million rows streams in constant memory.
//
// To adapt it: change which tables become stores in tablesSQL, the sample
// size in sampleSize, the statement timeout in statementTimeout, and the
// JSON form of a type in resolveType and appendValue.
package shop

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgxpool"

	"monoid-shop/internal/protocol"
)

const (
	// connectTimeout bounds how long Validate, and each new connection,
	// waits for the server to answer.
	connectTimeout = 10 * time.Second

	// statementTimeout is the server-side limit of every statement
	// (statement_timeout). A query or delete on an unindexed identifier
	// column scans the whole table, so it is generous; it still ends a
	// statement stuck behind a lock instead of hanging the request.
	statementTimeout = 5 * time.Minute

	// maxConnsPerDatabase is the size of each database's pool. The runtime
	// runs one command at a time, so two connections are plenty.
	maxConnsPerDatabase = 2
)

// keepOpenDatabases is how many databases may keep their connection open
// once their catalog is read. When ScanAll finds more, each database's
// connection is closed after its catalog is read, so that scanning all of
// them never holds more than a few connections; a later statement on that
// database connects again. (A variable so that a test can lower it.)
var keepOpenDatabases = 8

// Silo is the Postgres silo. Its zero value is ready to use through a
// pointer (new(Silo)). It opens one connection pool per database, lazily,
// when a command first needs that database. The runtime calls Close, which
// closes them all, when the command is done.
type Silo struct {
	mu    sync.Mutex
	pools map[poolKey]*pgxpool.Pool
}

// poolKey is what a pool connects with: a config's connection settings
// and one database.
type poolKey struct {
	host, user, password, database string
	port                           uint16
	ssl                            bool
}

// Validate connects to the config's database and says in one sentence
// why that fails: wrong password, unknown host, missing database, SSL
// refused, and so on. It gives up after connectTimeout.
func (s *Silo) Validate(ctx context.Context, conf Config) (protocol.ValidateMessage, error) {
	c, err := newConnector(s, conf)
	if err != nil {
		return protocol.Invalid(c.scrub.text(err.Error())), nil
	}
	cfg, err := c.poolConfig(conf.Database)
	if err != nil {
		return protocol.ValidateMessage{}, c.scrub.err(err)
	}
	vctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	conn, err := pgx.ConnectConfig(vctx, cfg.ConnConfig)
	if err != nil {
		if ctx.Err() != nil {
			return protocol.ValidateMessage{}, ctx.Err()
		}
		return protocol.Invalid(c.scrub.text(connectProblem(err, conf, conf.Database))), nil
	}
	conn.Close(context.WithoutCancel(ctx))
	return protocol.Valid(), nil
}

// DataStores returns one store per user table of the databases the config
// selects: every database on the server if ScanAll is set, else only
// Database; never a template database nor one listed in ExcludeDBs. When
// scanning all, a database the user cannot connect to is skipped with a
// warning; the config's own database must be reachable.
func (s *Silo) DataStores(ctx context.Context, conf Config) ([]protocol.DataStore, error) {
	c, err := newConnector(s, conf)
	if err != nil {
		return nil, c.scrub.err(err)
	}
	dbs, err := c.databases(ctx)
	if err != nil {
		return nil, c.scrub.err(c.connectError(ctx, err, conf.Database))
	}
	var stores []protocol.DataStore
	for _, db := range dbs {
		tables, err := c.tables(ctx, db)
		if err != nil {
			err = c.connectError(ctx, err, db)
			var failed *connectFailure
			if errors.As(err, &failed) && conf.ScanAll && db != conf.Database {
				slog.Warn("skipping database: "+c.scrub.text(err.Error()), "database", db)
				continue
			}
			return nil, c.scrub.err(err)
		}
		for _, t := range tables {
			stores = append(stores, protocol.Sync(t))
		}
		if conf.ScanAll && len(dbs) > keepOpenDatabases {
			if p, err := c.pool(db); err == nil {
				p.Reset()
			}
		}
	}
	return stores, nil
}

// Store returns the store a request-status handle names without reaching
// the database: the store is synchronous, and protocol.Sync answers its
// status from the handle. Listing the stores would read the catalog.
func (s *Silo) Store(ctx context.Context, conf Config, group, name string) (protocol.DataStore, error) {
	return protocol.SyncStatus(group, name), nil
}

// Close closes the connection pools; the silo may be used again after.
func (s *Silo) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.pools {
		p.Close()
	}
	s.pools = nil
	return nil
}

// connector is a Silo with one config: what the data stores share.
type connector struct {
	silo  *Silo
	conf  Config
	scrub scrubber
	port  uint16
}

// newConnector checks what need not reach the server: that the port is a
// port and the hostname is set. The connector is returned even with an
// error, for its scrubber.
func newConnector(s *Silo, conf Config) (*connector, error) {
	c := &connector{silo: s, conf: conf, scrub: newScrubber(conf.Password)}
	if p := conf.Port; p != math.Trunc(p) || p < 1 || p > math.MaxUint16 {
		return c, fmt.Errorf("port must be a whole number from 1 to 65535, got %v", p)
	}
	c.port = uint16(conf.Port)
	if strings.TrimSpace(conf.Hostname) == "" {
		return c, errors.New("hostname is empty: set it to the server's host name or address")
	}
	return c, nil
}

// address is host:port, for messages.
func address(conf Config) string {
	return net.JoinHostPort(conf.Hostname, strconv.FormatFloat(conf.Port, 'f', -1, 64))
}

// poolConfig builds the pool config of database db. pgx accepts only
// configs made by ParseConfig, so it starts from an empty connection
// string (libpq's defaults and PG* environment variables) and then sets
// every setting the Config decides, field by field: no value is ever put in
// a connection string, so a password with any characters works as it is.
func (c *connector) poolConfig(db string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig("")
	if err != nil {
		return nil, fmt.Errorf("default connection settings (PG* environment variables): %w", err)
	}
	cc := cfg.ConnConfig
	cc.Host = c.conf.Hostname
	cc.Port = c.port
	cc.Database = db
	cc.User = c.conf.Username
	cc.Password = c.conf.Password
	// SSL on is libpq's sslmode=require: encrypted, the server's
	// certificate not verified. To verify it, set RootCAs and drop
	// InsecureSkipVerify. SSL off is sslmode=disable. Neither falls back
	// to the other: the config says which one it wants.
	cc.TLSConfig = nil
	if c.conf.SSL && !strings.HasPrefix(c.conf.Hostname, "/") {
		cc.TLSConfig = &tls.Config{ServerName: c.conf.Hostname, InsecureSkipVerify: true}
	}
	cc.Fallbacks = nil
	cc.ConnectTimeout = connectTimeout
	cc.DialFunc = (&net.Dialer{Timeout: connectTimeout, KeepAlive: 5 * time.Minute}).DialContext
	cc.RuntimeParams["statement_timeout"] = strconv.FormatInt(statementTimeout.Milliseconds(), 10)
	// Values cast to text (intervals, ranges, ...) read the same on every
	// server: intervals as ISO 8601 durations, times in UTC.
	cc.RuntimeParams["IntervalStyle"] = "iso_8601"
	cc.RuntimeParams["DateStyle"] = "ISO"
	cc.RuntimeParams["TimeZone"] = "UTC"
	if cc.RuntimeParams["application_name"] == "" {
		cc.RuntimeParams["application_name"] = "monoid-connector"
	}
	// pgx reads the connection 8 KiB at a time; reading 64 KiB at a time
	// reads a million-row result in a seventh of the read calls.
	cc.BuildFrontend = func(r io.Reader, w io.Writer) *pgproto3.Frontend {
		return pgproto3.NewFrontend(bufio.NewReaderSize(r, 64<<10), w)
	}
	cfg.MaxConns = maxConnsPerDatabase
	cfg.MinConns = 0
	return cfg, nil
}

// pool returns database db's pool, creating it on first use. Creating a
// pool opens no connection; the first statement does.
func (c *connector) pool(db string) (*pgxpool.Pool, error) {
	s := c.silo
	key := poolKey{host: c.conf.Hostname, user: c.conf.Username, password: c.conf.Password, database: db, port: c.port, ssl: c.conf.SSL}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.pools[key]; p != nil {
		return p, nil
	}
	cfg, err := c.poolConfig(db)
	if err != nil {
		return nil, err
	}
	p, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, err
	}
	if s.pools == nil {
		s.pools = map[poolKey]*pgxpool.Pool{}
	}
	s.pools[key] = p
	return p, nil
}

// databases lists the databases to scan, in name order.
func (c *connector) databases(ctx context.Context) ([]string, error) {
	excluded := func(db string) bool { return slices.Contains(c.conf.ExcludeDBs, db) }
	if !c.conf.ScanAll {
		if excluded(c.conf.Database) {
			return nil, nil
		}
		return []string{c.conf.Database}, nil
	}
	pool, err := c.pool(c.conf.Database)
	if err != nil {
		return nil, err
	}
	rows, err := pool.Query(ctx, `SELECT datname::text FROM pg_catalog.pg_database WHERE NOT datistemplate ORDER BY datname`)
	if err != nil {
		return nil, fmt.Errorf("list the databases: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("list the databases: %w", err)
	}
	return slices.DeleteFunc(names, excluded), nil
}

// connectFailure is a failure to connect to a database, explained.
type connectFailure struct {
	msg   string
	cause error
}

func (e *connectFailure) Error() string { return e.msg }
func (e *connectFailure) Unwrap() error { return e.cause }

// connectError explains err if it is a failure to connect to database db
// (see connectProblem); other errors come back naming the database.
func (c *connector) connectError(ctx context.Context, err error, db string) error {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) && ctx.Err() == nil {
		return &connectFailure{msg: connectProblem(err, c.conf, db), cause: err}
	}
	return fmt.Errorf("database %q: %w", db, err)
}
