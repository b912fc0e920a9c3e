package shop

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"monoid-shop/internal/protocol"
)

// hostilePassword has what breaks a connection string: quotes, spaces,
// URL delimiters, a backslash and non-ASCII letters.
const hostilePassword = `p@ss w0rd:'"/?#%&=\é`

func TestScrubber(t *testing.T) {
	s := newScrubber(hostilePassword)
	// The forms a driver may quote a password in: as it is, in a URL's
	// user info, in a URL's query or path.
	for _, msg := range []string{
		"password=" + hostilePassword,
		(&url.URL{Scheme: "postgres", User: url.UserPassword("u", hostilePassword), Host: "h", Path: "/db"}).String(),
		"postgres://h/db?password=" + url.QueryEscape(hostilePassword),
		"postgres://h/" + url.PathEscape(hostilePassword),
	} {
		got := s.text(msg)
		for _, secret := range s.secrets {
			if strings.Contains(got, secret) {
				t.Errorf("scrubbed %q still holds %q: %s", msg, secret, got)
			}
		}
		if !strings.Contains(got, "[redacted]") {
			t.Errorf("scrubbed %q: nothing redacted: %s", msg, got)
		}
	}
	if got := newScrubber("").text("password= ok"); got != "password= ok" {
		t.Errorf("an empty password changed the text: %s", got)
	}

	// A scrubbed error is still recognised as the cancellation it wraps,
	// but does not hand the driver's error to errors.As.
	err := s.err(fmt.Errorf("read %s: %w", hostilePassword, context.Canceled))
	if !errors.Is(err, context.Canceled) {
		t.Error("a scrubbed context.Canceled is not errors.Is context.Canceled")
	}
	if strings.Contains(err.Error(), hostilePassword) {
		t.Errorf("scrubbed error holds the password: %v", err)
	}
	var pgErr *pgconn.PgError
	if errors.As(s.err(fmt.Errorf("x: %w", &pgconn.PgError{Message: hostilePassword})), &pgErr) {
		t.Error("errors.As reached the driver's error through a scrubbed error")
	}
	if s.err(nil) != nil {
		t.Error("scrubbing nil gave an error")
	}
}

func TestQueryProblemHidesValues(t *testing.T) {
	id := protocol.QueryIdentifier{Identifier: "id", IdentifierQuery: protocol.StringQuery("jane@example.com")}
	err := queryProblem(fmt.Errorf("wrapped: %w", &pgconn.PgError{
		Code: "22P02", Message: `invalid input syntax for type bigint: "jane@example.com"`,
	}), "id", id)
	if strings.Contains(err.Error(), "jane@example.com") || !strings.Contains(err.Error(), `"id"`) {
		t.Errorf("data exception: %v", err)
	}
	err = queryProblem(&pgconn.PgError{
		Code: "23503", Message: `update or delete on table "users" violates foreign key constraint "orders_user_fkey" on table "orders"`,
		Detail: `Key (id)=(jane@example.com) is still referenced from table "orders".`,
	}, "id", id)
	if strings.Contains(err.Error(), "jane@example.com") || !strings.Contains(err.Error(), "orders_user_fkey") {
		t.Errorf("foreign key violation: %v", err)
	}
	err = queryProblem(&pgconn.PgError{Code: "XX000", Message: `something about "jane@example.com"`}, "id", id)
	if strings.Contains(err.Error(), "jane@example.com") {
		t.Errorf("a server message quoting the value: %v", err)
	}
}

func TestPoolConfig(t *testing.T) {
	c, err := newConnector(new(Silo), Config{Hostname: "db.example.com", Port: 6543, Username: "app", Password: hostilePassword, SSL: true})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := c.poolConfig("shop")
	if err != nil {
		t.Fatal(err)
	}
	cc := cfg.ConnConfig
	if cc.Host != "db.example.com" || cc.Port != 6543 || cc.Database != "shop" || cc.User != "app" || cc.Password != hostilePassword {
		t.Errorf("connection settings: host %q port %d database %q user %q, password kept: %v", cc.Host, cc.Port, cc.Database, cc.User, cc.Password == hostilePassword)
	}
	if cc.TLSConfig == nil || len(cc.Fallbacks) != 0 {
		t.Errorf("ssl true: TLS %v, %d fallbacks; want TLS and no fallback", cc.TLSConfig != nil, len(cc.Fallbacks))
	}
	if got := cc.RuntimeParams["statement_timeout"]; got != strconv.FormatInt(statementTimeout.Milliseconds(), 10) {
		t.Errorf("statement_timeout %q", got)
	}
	c.conf.SSL = false
	if cfg, _ := c.poolConfig("shop"); cfg.ConnConfig.TLSConfig != nil || len(cfg.ConnConfig.Fallbacks) != 0 {
		t.Errorf("ssl false: want no TLS and no fallback")
	}
	for _, port := range []float64{0, -1, 5432.5, 65536} {
		if _, err := newConnector(new(Silo), Config{Hostname: "h", Port: port}); err == nil {
			t.Errorf("port %v accepted", port)
		}
	}
}

// TestPools checks that a silo keeps one pool per database and config, and
// that making one opens no connection.
func TestPools(t *testing.T) {
	s := new(Silo)
	defer s.Close()
	conf := Config{Hostname: "127.0.0.1", Port: 1, Username: "app", Password: "one"}
	pool := func(conf Config, db string) any {
		c, err := newConnector(s, conf)
		if err != nil {
			t.Fatal(err)
		}
		p, err := c.pool(db)
		if err != nil {
			t.Fatal(err)
		}
		if n := p.Stat().TotalConns(); n != 0 {
			t.Errorf("a new pool holds %d connections", n)
		}
		return p
	}
	a := pool(conf, "shop")
	if pool(conf, "shop") != a {
		t.Error("the same database and config got a second pool")
	}
	if pool(conf, "crm") == a {
		t.Error("another database shares the pool")
	}
	other := conf
	other.Password = "two"
	if pool(other, "shop") == a {
		t.Error("another password shares the pool")
	}
	s.Close()
	if pool(conf, "shop") == a {
		t.Error("a closed pool was handed out after Close")
	}
}

// fakeServer listens on 127.0.0.1 and answers each connection with
// answer, given the connection and a pgproto3 backend on it. It returns the config to reach it.
func fakeServer(t *testing.T, answer func(net.Conn, *pgproto3.Backend) error) Config {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				answer(conn, pgproto3.NewBackend(conn, conn))
			}()
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	return Config{Hostname: "127.0.0.1", Port: float64(port), Database: "shop", Username: "app", Password: hostilePassword}
}

// validateMessage runs Validate and returns its message, failing the
// test unless it is a FAILURE that names no password.
func validateMessage(t *testing.T, conf Config) string {
	t.Helper()
	s := new(Silo)
	defer s.Close()
	msg, err := s.Validate(context.Background(), conf)
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	t.Logf("Validate: %s", msg.Message)
	if msg.Status != protocol.ValidateFailure {
		t.Fatalf("Validate: status %s, want FAILURE", msg.Status)
	}
	if conf.Password != "" && strings.Contains(msg.Message, conf.Password) {
		t.Fatalf("Validate message holds the password: %s", msg.Message)
	}
	return msg.Message
}

// TestValidateWrongPassword has a fake server ask for the password and
// reject it, quoting it back in its message as a careless server might:
// Validate must say the password is wrong, and never repeat it.
func TestValidateWrongPassword(t *testing.T) {
	conf := fakeServer(t, func(conn net.Conn, b *pgproto3.Backend) error {
		if _, err := b.ReceiveStartupMessage(); err != nil {
			return err
		}
		b.Send(&pgproto3.AuthenticationCleartextPassword{})
		if err := b.Flush(); err != nil {
			return err
		}
		if err := b.SetAuthType(pgproto3.AuthTypeCleartextPassword); err != nil {
			return err
		}
		msg, err := b.Receive()
		if err != nil {
			return err
		}
		pw, _ := msg.(*pgproto3.PasswordMessage)
		b.Send(&pgproto3.ErrorResponse{Severity: "FATAL", Code: "28P01",
			Message: fmt.Sprintf("password authentication failed for user %q (got %q)", "app", pw.Password)})
		return b.Flush()
	})
	got := validateMessage(t, conf)
	if !strings.Contains(got, `password authentication failed for user "app"`) {
		t.Errorf("message: %s", got)
	}

	// DataStores reports the same, scrubbed too.
	s := new(Silo)
	defer s.Close()
	_, err := s.DataStores(context.Background(), conf)
	if err == nil || strings.Contains(err.Error(), hostilePassword) || !strings.Contains(err.Error(), "password authentication failed") {
		t.Errorf("DataStores: %v", err)
	}
}

// TestValidateSSLRefused has a fake server decline SSL.
func TestValidateSSLRefused(t *testing.T) {
	conf := fakeServer(t, func(conn net.Conn, b *pgproto3.Backend) error {
		msg, err := b.ReceiveStartupMessage()
		if err != nil {
			return err
		}
		if _, ok := msg.(*pgproto3.SSLRequest); !ok {
			return fmt.Errorf("got %T, want an SSLRequest", msg)
		}
		_, err = conn.Write([]byte("N")) // no SSL here
		return err
	})
	conf.SSL = true
	got := validateMessage(t, conf)
	if !strings.Contains(got, "does not accept SSL connections: turn off Connect using SSL") {
		t.Errorf("message: %s", got)
	}
}

// TestValidateSSLRequired has a fake server refuse a connection without
// SSL, as pg_hba.conf's hostssl lines do.
func TestValidateSSLRequired(t *testing.T) {
	conf := fakeServer(t, func(conn net.Conn, b *pgproto3.Backend) error {
		if _, err := b.ReceiveStartupMessage(); err != nil {
			return err
		}
		b.Send(&pgproto3.ErrorResponse{Severity: "FATAL", Code: "28000",
			Message: `no pg_hba.conf entry for host "127.0.0.1", user "app", database "shop", no encryption`})
		return b.Flush()
	})
	got := validateMessage(t, conf)
	if !strings.Contains(got, "only over SSL: turn on Connect using SSL") {
		t.Errorf("message: %s", got)
	}
}

func TestValidateUnreachable(t *testing.T) {
	// A port nothing listens on: take one, then free it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	got := validateMessage(t, Config{Hostname: "127.0.0.1", Port: float64(port), Database: "x", Username: "u", Password: hostilePassword})
	if want := "nothing accepts connections on 127.0.0.1:" + strconv.Itoa(port); !strings.Contains(got, want) {
		t.Errorf("message %q does not say %q", got, want)
	}
	got = validateMessage(t, Config{Hostname: "127.0.0.1", Port: 5432.5, Database: "x", Username: "u"})
	if !strings.Contains(got, "port must be a whole number") {
		t.Errorf("message: %s", got)
	}
}
