package templates

import (
	"strings"
	"testing"
)

func TestExecute(t *testing.T) {
	got, err := Execute("t", `{{.Name | upper}} {{"a-b" | snakecase}}`, map[string]any{"Name": "acme"})
	if err != nil || got != "ACME a_b" {
		t.Errorf("Execute with sprig functions = %q, %v; want %q", got, err, "ACME a_b")
	}
	// Executing one template leaves the next one free to define its own.
	if got, err := Execute("u", `{{define "x"}}1{{end}}{{template "x"}}`, nil); err != nil || got != "1" {
		t.Errorf("Execute with a define = %q, %v", got, err)
	}
	if got, err := Execute("v", `{{define "x"}}2{{end}}{{template "x"}}`, nil); err != nil || got != "2" {
		t.Errorf("a second define of the same name = %q, %v; want templates kept apart", got, err)
	}
}

func TestExecuteMissingKeyIsAnError(t *testing.T) {
	_, err := Execute("main.go.tmpl", `{{.Nope}}`, map[string]any{"Name": "acme"})
	if err == nil || !strings.Contains(err.Error(), "main.go.tmpl") || !strings.Contains(err.Error(), "Nope") {
		t.Errorf("a missing key: error %v, want one naming the template and the key", err)
	}
	if _, err := Execute("bad.tmpl", `{{.Name`, nil); err == nil || !strings.Contains(err.Error(), "bad.tmpl") {
		t.Errorf("a template that does not parse: error %v, want one naming it", err)
	}
}
