package shop

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
	"unicode"
	"unicode/utf8"

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

// scrubString replaces every occurrence of each non-empty secret in s
// with ***. A secret shorter than wholeWord characters is replaced only
// where it stands as a word of its own (between characters that are not
// letters or digits): a password "x" is scrubbed from "password 'x'" but
// leaves "exist" alone, and a user id 42 is scrubbed from "value '42'" but
// not from "error 1429".
func scrubString(s string, secrets ...string) string {
	for _, secret := range secrets {
		switch {
		case secret == "":
		case utf8.RuneCountInString(secret) >= wholeWord:
			s = strings.ReplaceAll(s, secret, "***")
		default:
			s = replaceWord(s, secret)
		}
	}
	return s
}

// wholeWord is the length from which a secret is scrubbed wherever it
// occurs.
const wholeWord = 6

// replaceWord replaces each occurrence of w in s that no letter or digit
// touches on either side.
func replaceWord(s, w string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, w)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+len(w):])
		b.WriteString(s[:i])
		if isWordRune(before) || isWordRune(after) {
			b.WriteString(w)
		} else {
			b.WriteString("***")
		}
		s = s[i+len(w):]
	}
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// scrubbed is an error whose message had a secret removed.
type scrubbed struct {
	msg   string
	cause error // context.Canceled or DeadlineExceeded, or nil
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.cause }
