package mysql

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"

	mysqldriver "github.com/go-sql-driver/mysql"
)

// Server error numbers that a user can act on.
const (
	erDBAccessDenied     = 1044 // the user may not use the database
	erAccessDenied       = 1045 // wrong user or password
	erBadDB              = 1049 // no such database
	erHostNotPrivileged  = 1130 // the user may not connect from this host
	erSecureTransportReq = 3159 // MySQL's require_secure_transport: TLS needed
)

// explain turns a failure to connect into one sentence a user can act on:
// which of host, user, password, database or TLS is at fault. An error it
// does not recognise is given as the driver words it, after "cannot
// connect to host:port". The result may contain the password only if the
// server or the network echoed it; callers scrub it.
func explain(err error, conf Config) string {
	addr := net.JoinHostPort(conf.Hostname, strconv.Itoa(int(conf.Port)))
	var (
		me       *mysqldriver.MySQLError
		dnsErr   *net.DNSError
		certErr  *tls.CertificateVerificationError
		hostErr  x509.HostnameError
		authErr  x509.UnknownAuthorityError
		alertErr tls.AlertError
		recErr   tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &me):
		switch me.Number {
		case erAccessDenied:
			return fmt.Sprintf("the server at %s refused user %q: the password is wrong, or the user does not exist or may not connect from this host", addr, conf.Username)
		case erBadDB:
			return fmt.Sprintf("database %q does not exist on the server at %s", conf.Database, addr)
		case erDBAccessDenied:
			return fmt.Sprintf("user %q may not use database %q on the server at %s", conf.Username, conf.Database, addr)
		case erHostNotPrivileged:
			return fmt.Sprintf("the server at %s does not accept connections from this host", addr)
		case erSecureTransportReq:
			return fmt.Sprintf("the server at %s requires TLS, which this connector's TLS setting does not allow", addr)
		}
		return fmt.Sprintf("the server at %s refused the connection: %s", addr, me.Message)
	case errors.Is(err, mysqldriver.ErrNoTLS):
		return fmt.Sprintf("the server at %s does not offer TLS, which this connector requires", addr)
	case errors.As(err, &certErr), errors.As(err, &hostErr), errors.As(err, &authErr):
		return fmt.Sprintf("the TLS certificate of the server at %s was not accepted: %v", addr, err)
	case errors.As(err, &alertErr), errors.As(err, &recErr):
		return fmt.Sprintf("the TLS handshake with the server at %s failed: %v", addr, err)
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("cannot reach %s: the hostname %q does not resolve", addr, conf.Hostname)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("cannot reach %s: connection refused (no server listens on that port)", addr)
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return fmt.Sprintf("cannot reach %s: no route to the host", addr)
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return fmt.Sprintf("cannot reach %s: no answer in time (is the host up, and the port open to this network?)", addr)
	}
	return fmt.Sprintf("cannot connect to %s: %v", addr, err)
}

// isTimeout reports whether err is a network timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// scrub returns err with every occurrence of each non-empty secret (the
// password, a user's identifier value) replaced by ***. An error that
// contains none is returned as it is; one that did loses its chain, except
// for cancellation, which the runtime still recognises.
func scrub(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := scrubString(msg, secrets...)
	if clean == msg {
		return err
	}
	s := &scrubbed{msg: clean}
	switch {
	case errors.Is(err, context.Canceled):
		s.cause = context.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		s.cause = context.DeadlineExceeded
	}
	return s
}

// scrubString replaces every occurrence of each non-empty secret in s.
func scrubString(s string, secrets ...string) string {
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "***")
		}
	}
	return s
}

// scrubbed is an error whose message had a secret removed.
type scrubbed struct {
	msg   string
	cause error // context.Canceled or DeadlineExceeded, or nil
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.cause }
