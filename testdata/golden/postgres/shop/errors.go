package shop

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"monoid-shop/internal/protocol"
)

// scrubber removes secrets from text before it leaves the connector: every
// error the silo and its stores return passes through it, so a driver
// message that quotes a connection setting can never show the password.
type scrubber struct {
	secrets []string // the password and the forms a URL would give it
}

// newScrubber returns a scrubber of password. An empty password hides
// nothing.
func newScrubber(password string) scrubber {
	if password == "" {
		return scrubber{}
	}
	s := scrubber{secrets: []string{password}}
	for _, form := range []string{url.QueryEscape(password), url.PathEscape(password), url.UserPassword("", password).String()[1:]} {
		if form != password && !containsString(s.secrets, form) {
			s.secrets = append(s.secrets, form)
		}
	}
	return s
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// text returns msg with every secret replaced by [redacted].
func (s scrubber) text(msg string) string {
	for _, secret := range s.secrets {
		msg = strings.ReplaceAll(msg, secret, "[redacted]")
	}
	return msg
}

// err returns err with its message scrubbed; nil stays nil.
func (s scrubber) err(err error) error {
	if err == nil {
		return nil
	}
	return &scrubbedError{msg: s.text(err.Error()), cause: err}
}

// scrubbedError is an error whose message has been scrubbed. It answers
// errors.Is for its cause (so the runtime still recognises a cancelled
// context) but does not unwrap: errors.As cannot reach the driver's error,
// whose message may hold a secret.
type scrubbedError struct {
	msg   string
	cause error
}

func (e *scrubbedError) Error() string { return e.msg }

// Is reports whether the cause is target, for errors.Is.
func (e *scrubbedError) Is(target error) bool { return errors.Is(e.cause, target) }

// connectProblem explains in one sentence why a connection to database db
// failed, for a Validate message or a warning. It names the host, the user
// and the database, never the password.
func connectProblem(err error, conf Config, db string) string {
	addr := address(conf)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "28P01": // invalid_password
			return fmt.Sprintf("password authentication failed for user %q on %s: check the username and the password", conf.Username, addr)
		case "28000": // invalid_authorization_specification: pg_hba.conf
			if !conf.SSL && strings.Contains(pgErr.Message, "no encryption") {
				return fmt.Sprintf("%s accepts user %q only over SSL: turn on Connect using SSL", addr, conf.Username)
			}
			return fmt.Sprintf("%s does not let user %q connect to database %q from here (pg_hba.conf): %s", addr, conf.Username, db, pgErr.Message)
		case "3D000": // invalid_catalog_name
			return fmt.Sprintf("database %q does not exist on %s: check the database name", db, addr)
		case "42501": // insufficient_privilege
			return fmt.Sprintf("user %q may not connect to database %q on %s: grant it CONNECT", conf.Username, db, addr)
		case "55000": // object_not_in_prerequisite_state: datallowconn is false
			return fmt.Sprintf("database %q on %s does not accept connections", db, addr)
		case "53300": // too_many_connections
			return fmt.Sprintf("%s has no free connection slots: try again later", addr)
		case "57P03": // cannot_connect_now
			return fmt.Sprintf("%s is starting up or shutting down: try again later", addr)
		}
		return fmt.Sprintf("%s refused the connection: %s (SQLSTATE %s)", addr, pgErr.Message, pgErr.Code)
	}
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var recordErr tls.RecordHeaderError
	switch {
	case strings.Contains(err.Error(), "server refused TLS connection"):
		return fmt.Sprintf("%s does not accept SSL connections: turn off Connect using SSL", addr)
	case errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err):
		return fmt.Sprintf("no answer from %s within %v: check the hostname, the port and any firewall between", addr, connectTimeout)
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("host %q was not found: check the hostname", conf.Hostname)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("nothing accepts connections on %s: check the hostname and the port", addr)
	case errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH):
		return fmt.Sprintf("%s cannot be reached from here: check the hostname and the network", addr)
	case errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &recordErr):
		return fmt.Sprintf("the SSL handshake with %s failed: %v", addr, innermost(err))
	}
	return fmt.Sprintf("cannot connect to database %q on %s: %v", db, addr, innermost(err))
}

// innermost returns the message of the deepest error in err's chain: the
// cause without pgx's prefixes, which repeat what the sentence around it
// already says.
func innermost(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

// queryProblem turns a failed statement's error into one a user may read.
// Of the server's error only the message and code are kept: its detail,
// hint and context may quote values of the table (a key, an email
// address). A data exception (class 22) means the identifier's value does
// not fit the column, and the server's message would quote that value, so
// it is replaced; any other server message that holds the identifier's
// value has it redacted.
func queryProblem(err error, column string, id protocol.QueryIdentifier) error {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return err
	}
	if strings.HasPrefix(pgErr.Code, "22") {
		return fmt.Errorf("the identifier's value is not a valid value of column %q (SQLSTATE %s)", column, pgErr.Code)
	}
	msg := pgErr.Message
	if v := id.IdentifierQuery.String(); v != "" {
		msg = strings.ReplaceAll(msg, v, "[identifier]")
	}
	return fmt.Errorf("%s (SQLSTATE %s)", msg, pgErr.Code)
}
