// The MySQL and MariaDB connector: every user table of the configured
// database is a data store, its records are the table's rows, and a user
// data request selects or deletes the rows whose identifier column holds
// the user's value.
//
// It answers as Monoid's official MySQL and MariaDB connectors do (same
// config, same store names and groups, same request lifecycle) and goes
// further where they fall short: identifiers are quoted and values bound,
// every column type has a JSON Schema and a faithful JSON rendering, and
// no message shows the password.
package shop

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"

	"monoid-shop/internal/protocol"
)

// Timeouts. A connector runs one command and exits, so these bound how long
// a dead or overloaded server can hold it; change them to suit your data.
const (
	// dialTimeout bounds establishing a TCP connection.
	dialTimeout = 10 * time.Second
	// validateTimeout bounds the whole of Validate: connect, log in, ping.
	validateTimeout = 15 * time.Second
	// statementTimeout bounds each query and deletion on the server:
	// MySQL enforces it on SELECT (max_execution_time), MariaDB on every
	// statement (max_statement_time).
	statementTimeout = 5 * time.Minute
	// readTimeout bounds each network read. It lies above
	// statementTimeout so that the server, not the network, ends a slow
	// statement; it still ends a command whose server has gone away, and
	// a MySQL DELETE, which max_execution_time does not cover.
	readTimeout = statementTimeout + 30*time.Second
	// writeTimeout bounds each network write.
	writeTimeout = 30 * time.Second
)

// defaultTLS is the driver's TLS mode when Silo.TLS is empty: TLS when the
// server offers it, without checking its certificate, as the official
// connector does. "true" requires TLS with a certificate valid for the
// hostname, "skip-verify" requires TLS without checking it, "false" never
// uses TLS.
const defaultTLS = "preferred"

// Silo is a MySQL or MariaDB server. Its zero value is ready to use; it
// opens one connection pool for the config it is given, at the first
// statement, and Close closes it.
type Silo struct {
	// TLS is the driver's TLS mode, as for defaultTLS; "" means
	// defaultTLS.
	TLS string

	mu    sync.Mutex
	pools map[Config]*pool
}

// Validate connects to the server and logs in, within validateTimeout. A
// config the server rejects (wrong password, unknown database, host out of
// reach, TLS refused) is answered with one sentence saying which.
func (s *Silo) Validate(ctx context.Context, conf Config) (protocol.ValidateMessage, error) {
	cfg, err := s.driverConfig(conf)
	if err != nil {
		return protocol.Invalid(err.Error()), nil
	}
	ctx, cancel := context.WithTimeout(ctx, validateTimeout)
	defer cancel()
	connector, err := mysqldriver.NewConnector(cfg)
	if err != nil {
		return protocol.ValidateMessage{}, scrub(fmt.Errorf("driver settings: %w", err), conf.Password)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	if err := db.PingContext(ctx); err != nil {
		if errors.Is(err, context.Canceled) {
			return protocol.ValidateMessage{}, err
		}
		return protocol.Invalid(scrubString(explain(err, conf), conf.Password)), nil
	}
	return protocol.Valid(), nil
}

// DataStores lists the user tables of the configured database, or of every
// database but the system ones (mysql, information_schema,
// performance_schema, sys) when the database is "". Each table is a store
// named after it, in the group named after its database.
func (s *Silo) DataStores(ctx context.Context, conf Config) ([]protocol.DataStore, error) {
	p, err := s.pool(conf)
	if err != nil {
		return nil, err
	}
	tables, err := p.discover(ctx)
	if err != nil {
		return nil, scrub(err, conf.Password)
	}
	stores := make([]protocol.DataStore, len(tables))
	for i, t := range tables {
		stores[i] = protocol.Sync(t)
	}
	return stores, nil
}

// Store returns the store a request-status handle names without reaching
// the database: the store is synchronous, and protocol.Sync answers its
// status from the handle. Listing the stores would read the catalog.
func (s *Silo) Store(ctx context.Context, conf Config, group, name string) (protocol.DataStore, error) {
	return protocol.SyncStatus(group, name), nil
}

// Close closes the connection pools. The runtime calls it once the
// command is done.
func (s *Silo) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for conf, p := range s.pools {
		if err := p.db.Close(); err != nil {
			errs = append(errs, scrub(err, conf.Password))
		}
	}
	s.pools = nil
	return errors.Join(errs...)
}

// pool returns the connection pool for conf, creating it (without
// connecting) on first use.
func (s *Silo) pool(conf Config) (*pool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.pools[conf]; ok {
		return p, nil
	}
	cfg, err := s.driverConfig(conf)
	if err != nil {
		return nil, err
	}
	connector, err := mysqldriver.NewConnector(cfg)
	if err != nil {
		return nil, scrub(fmt.Errorf("driver settings: %w", err), conf.Password)
	}
	db := sql.OpenDB(connector)
	// One command runs one statement at a time; a second connection
	// covers a statement started while a dead one is being replaced.
	db.SetMaxOpenConns(2)
	db.SetMaxIdleConns(2)
	p := &pool{db: db, conf: conf}
	if s.pools == nil {
		s.pools = map[Config]*pool{}
	}
	s.pools[conf] = p
	return p, nil
}

// driverConfig turns conf into the driver's settings. The password goes in
// a struct field, never through a DSN string, so any character works.
func (s *Silo) driverConfig(conf Config) (*mysqldriver.Config, error) {
	if strings.TrimSpace(conf.Hostname) == "" {
		return nil, errors.New("hostname is empty: give the server's name or IP address")
	}
	if conf.Port != math.Trunc(conf.Port) || conf.Port < 1 || conf.Port > 65535 {
		return nil, fmt.Errorf("port %v is not a TCP port: give a whole number from 1 to 65535 (MySQL listens on 3306)", conf.Port)
	}
	cfg := mysqldriver.NewConfig()
	cfg.Net = "tcp"
	cfg.Addr = net.JoinHostPort(conf.Hostname, strconv.Itoa(int(conf.Port)))
	cfg.User = conf.Username
	cfg.Passwd = conf.Password
	cfg.DBName = conf.Database
	cfg.TLSConfig = s.TLS
	if cfg.TLSConfig == "" {
		cfg.TLSConfig = defaultTLS
	}
	cfg.Timeout = dialTimeout
	cfg.ReadTimeout = readTimeout
	cfg.WriteTimeout = writeTimeout
	// TIMESTAMP values are read in UTC, so they are written with Z.
	cfg.Params = map[string]string{"time_zone": "'+00:00'"}
	cfg.Logger = driverLogger{secret: conf.Password}
	return cfg, nil
}

// pool is the connection pool of one config, with what the first
// connection taught about the server.
type pool struct {
	db   *sql.DB
	conf Config

	mu      sync.Mutex
	probed  bool
	mariadb bool // MariaDB rather than MySQL: they bound statements differently
}

// probe learns, once, whether the server is MariaDB or MySQL. It is the
// pool's first statement, so connection errors are explained here.
func (p *pool) probe(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.probed {
		return nil
	}
	var version string
	if err := p.db.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil {
		if ctx.Err() != nil {
			return err
		}
		return errors.New(explain(err, p.conf))
	}
	p.mariadb = strings.Contains(strings.ToLower(version), "mariadb")
	p.probed = true
	return nil
}

// bounded adds the server-side statement timeout to stmt, which starts
// with SELECT or DELETE. MySQL bounds a SELECT with an optimizer hint and
// has no bound for DELETE (readTimeout ends the wait instead); MariaDB
// bounds any statement with SET STATEMENT.
func (p *pool) bounded(stmt string) string {
	if p.mariadb {
		return fmt.Sprintf("SET STATEMENT max_statement_time=%d FOR %s", int(statementTimeout/time.Second), stmt)
	}
	if rest, ok := strings.CutPrefix(stmt, "SELECT "); ok {
		return fmt.Sprintf("SELECT /*+ MAX_EXECUTION_TIME(%d) */ %s", statementTimeout.Milliseconds(), rest)
	}
	return stmt
}

// driverLogger sends the driver's own complaints (a connection dropped, a
// packet refused) to slog, which the runtime turns into LOG messages.
type driverLogger struct{ secret string }

func (l driverLogger) Print(v ...any) {
	slog.Warn("mysql driver: " + scrubString(strings.TrimSpace(fmt.Sprint(v...)), l.secret))
}
