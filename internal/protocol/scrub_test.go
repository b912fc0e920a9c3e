package protocol_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
	"github.com/monoid-gen/monoid-gen/templates/examples/memory"
)

// leakSecret is a secret config value with characters that every escaping
// writes differently.
const leakSecret = `k-s3cr3t/p@ss w:rd&x"y`

// leakForms are the ways a secret turns up in messages: as it is, in a
// URL's query, path or user info, and quoted by %q or JSON.
func leakForms(v string) map[string]string {
	q := strconv.Quote(v)
	return map[string]string{
		"raw":      v,
		"query":    url.QueryEscape(v),
		"path":     url.PathEscape(v),
		"userinfo": strings.TrimPrefix(url.UserPassword("u", v).String(), "u:"),
		"quoted":   q[1 : len(q)-1],
	}
}

// leakySilo puts its config's api_key into whatever mode says: an error,
// slog and log calls, a panic, or an Invalid result.
type leakySilo struct{ mode string }

func (s leakySilo) Validate(_ context.Context, conf memory.Config) (protocol.ValidateMessage, error) {
	dsn := "postgres://admin:" + url.UserPassword("admin", conf.APIKey).String()[len("admin:"):] + "@db:5432/app?password=" + url.QueryEscape(conf.APIKey)
	switch s.mode {
	case "error":
		return protocol.ValidateMessage{}, fmt.Errorf("dial %s: connection refused (key %q, path %s)", dsn, conf.APIKey, url.PathEscape(conf.APIKey))
	case "slog":
		slog.Info("connecting", "dsn", dsn, "key", conf.APIKey)
		slog.With("api_key", conf.APIKey).Warn("retrying " + conf.APIKey)
		log.Printf("std log: %s", conf.APIKey)
		return protocol.Valid(), nil
	case "panic":
		panic("cannot connect with " + conf.APIKey)
	case "invalid":
		return protocol.Invalid("authentication failed for " + dsn), nil
	}
	return protocol.Valid(), nil
}

func (leakySilo) DataStores(context.Context, memory.Config) ([]protocol.DataStore, error) {
	return nil, errors.New("no stores")
}

// TestSecretsScrubbed checks that a secret config value, in any of its
// forms, appears in no LOG line and no VALIDATE message, whoever wrote it:
// an error, store code through slog or log, a panic.
func TestSecretsScrubbed(t *testing.T) {
	for _, mode := range []string{"error", "slog", "panic", "invalid"} {
		t.Run(mode, func(t *testing.T) {
			files := goodFiles(t)
			files["config.json"] = `{"hostname":"h","api_key":` + strconvQuote(leakSecret) + `}`
			r := execute(t, leakySilo{mode}, fixture(t, files), "validate", "-c", "config.json")
			// The text of every message, decoded from its line.
			var texts []string
			for _, line := range strings.Split(strings.TrimSpace(r.stdout+r.stderr), "\n") {
				m, err := protocol.ParseMessage([]byte(line))
				if err != nil {
					t.Fatalf("%v: %s", err, line)
				}
				switch {
				case m.Log != nil:
					texts = append(texts, m.Log.Message)
				case m.ValidateMsg != nil:
					texts = append(texts, m.ValidateMsg.Message)
				}
			}
			out := strings.Join(texts, "\n")
			if !strings.Contains(out, "[redacted]") {
				t.Errorf("nothing redacted; messages:\n%s", out)
			}
			for name, form := range leakForms(leakSecret) {
				if strings.Contains(out, form) {
					t.Errorf("the %s form of the secret is printed:\n%s", name, out)
				}
			}
		})
	}
}

// nestedSpec marks a property of an inline object secret.
const nestedSpec = `{"spec":{"type":"object","properties":{
"tunnel":{"type":"object","properties":{"host":{"type":"string"},"password":{"type":"string","secret":true}}},
"hostname":{"type":"string"},"api_key":{"type":"string"}}}}`

type nestedConfig struct {
	Tunnel struct {
		Host     string `json:"host"`
		Password string `json:"password"`
	} `json:"tunnel"`
}

type nestedSilo struct{}

func (nestedSilo) Validate(_ context.Context, c nestedConfig) (protocol.ValidateMessage, error) {
	return protocol.ValidateMessage{}, errors.New("ssh " + c.Tunnel.Host + " with " + c.Tunnel.Password + " refused")
}

func (nestedSilo) DataStores(context.Context, nestedConfig) ([]protocol.DataStore, error) {
	return nil, nil
}

// TestNestedSecretScrubbed: a secret inside an object property is
// scrubbed too, and the values around it are not.
func TestNestedSecretScrubbed(t *testing.T) {
	dir := fixture(t, map[string]string{"config.json": `{"tunnel":{"host":"bastion","password":"tunnel-pw-42"}}`})
	var stdout, stderr strings.Builder
	code := protocol.Execute(context.Background(), nestedSilo{}, []byte(nestedSpec), protocol.Env{
		Args: []string{"validate", "-c", dir + "/config.json"}, Stdout: &stdout, Stderr: &stderr,
	})
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if s := stderr.String(); strings.Contains(s, "tunnel-pw-42") || !strings.Contains(s, "ssh bastion with [redacted] refused") {
		t.Errorf("stderr: %s", s)
	}
}
