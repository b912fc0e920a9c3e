package devserver

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
)

// newToken returns a random token of 32 bytes, hex-encoded.
func newToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails on the supported platforms
	return hex.EncodeToString(b)
}

// CheckAddr returns an error unless addr (host:port) is on loopback: the
// page runs the connector with the author's secrets, so no other machine
// may reach it.
func CheckAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %v (want host:port, e.g. 127.0.0.1:0)", addr, err)
	}
	if !loopback(host) {
		return fmt.Errorf("--addr %q: the page serves only on loopback (127.0.0.1, ::1 or localhost)", addr)
	}
	return nil
}

// loopback reports whether host names this machine's loopback interface.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// guard refuses, with 403, a request without the server's token (in the
// query string as token=..., or the X-Dev-Token header) and one whose Host
// is not a loopback name, so that a web page the author visits cannot
// reach the server by DNS rebinding.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		tok := r.URL.Query().Get("token")
		if tok == "" {
			tok = r.Header.Get("X-Dev-Token")
		}
		if !loopback(host) || subtle.ConstantTimeCompare([]byte(tok), []byte(s.token)) != 1 {
			http.Error(w, "forbidden: open the URL monoid-gen dev printed, with its token", http.StatusForbidden)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}
