package specgen

import (
	"errors"
	"strings"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/configschema"
	"github.com/monoid-gen/monoid-gen/internal/spec"
)

func convert(t *testing.T, cfg any) (spec.Schema, error) {
	t.Helper()
	d, err := configschema.Describe(cfg, thisPackage, ".")
	if err != nil {
		return spec.Schema{}, err
	}
	return Convert(d)
}

// Lint fixtures: each holds one field the platform's form cannot render.
type (
	withMap struct {
		Labels map[string]string `json:"labels"`
	}
	withInterface struct {
		Extra any `json:"extra"`
	}
	withIntArray struct {
		Ports []int `json:"ports"`
	}
	withSecretInt struct {
		PIN int `json:"pin" jsonschema_extras:"secret=true"`
	}
	withDuplicateOrder struct {
		A string `json:"a" jsonschema_extras:"order=1"`
		B string `json:"b"`
	}
	withTwoTypes struct {
		ID string `json:"id" jsonschema:"oneof_type=string;integer"`
	}
	withBadDefault struct {
		Port int `json:"port" jsonschema:"default=eighty"`
	}
	withUnknownExtra struct {
		Host string `json:"host" jsonschema_extras:"placeholder=localhost"`
	}
	withHidden struct {
		Host     string `json:"host"`
		Internal string `json:"internal,omitempty" jsonschema:"-"`
		Ignored  string `json:"-"`
	}
	withRequiredTag struct {
		Host string `json:"host,omitempty" jsonschema:"required"`
	}
	recursive struct {
		Name string     `json:"name"`
		Next *recursive `json:"next,omitempty"`
	}
)

func TestLintErrors(t *testing.T) {
	tests := []struct {
		cfg  any
		want string
	}{
		{&withMap{}, "withMap.Labels (map[string]string): a map cannot be rendered by the form"},
		{&withInterface{}, "withInterface.Extra (interface {}): an interface has no single JSON type"},
		{&withIntArray{}, "withIntArray.Ports ([]int): the form renders arrays of strings only"},
		{&withSecretInt{}, "withSecretInt.PIN (int): secret is allowed on strings only"},
		{&withDuplicateOrder{}, "withDuplicateOrder.B (string): order 1 is also the order of withDuplicateOrder.A"},
		{&withTwoTypes{}, "withTwoTypes.ID (string): a property needs exactly one JSON type"},
		{&withBadDefault{}, "withBadDefault.Port (int): default=eighty is not an integer"},
		{&withUnknownExtra{}, `withUnknownExtra.Host (string): jsonschema_extras key "placeholder" is not one the platform reads`},
	}
	for _, tc := range tests {
		_, err := convert(t, tc.cfg)
		var le *LintError
		if !errors.As(err, &le) {
			t.Errorf("%T: error %v, want a LintError", tc.cfg, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%T: %v\nwant it to contain %q", tc.cfg, err, tc.want)
		}
	}
}

// TestRequiredNotAProperty checks the lint of a required list naming a
// property that does not exist, as one official spec did by hand.
func TestRequiredNotAProperty(t *testing.T) {
	d, err := configschema.Describe(&withRequiredTag{}, thisPackage, ".")
	if err != nil {
		t.Fatal(err)
	}
	d.Schema.Required = append(d.Schema.Required, "ghost")
	_, err = Convert(d)
	if err == nil || !strings.Contains(err.Error(), `Config: required names "ghost", which is not one of its properties`) {
		t.Errorf("error %v", err)
	}
}

func TestRecursiveConfigRefused(t *testing.T) {
	_, err := convert(t, &recursive{})
	if err == nil || !strings.Contains(err.Error(), "recursive.Next (type *specgen.recursive) contains itself") {
		t.Fatalf("error %v", err)
	}
}

func TestRequiredFromTags(t *testing.T) {
	s, err := convert(t, &withRequiredTag{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Required) != 1 || s.Required[0] != "host" {
		t.Errorf("required %v, want [host]", s.Required)
	}
}

// NestedConfig has an inline object whose fields keep their own order,
// titles and descriptions.
type NestedConfig struct {
	// Where the service runs.
	Host string `json:"host"`
	// How to connect securely.
	TLS TLSConfig `json:"tls"`
}

type TLSConfig struct {
	// PEM-encoded certificate authority.
	CA string `json:"ca_cert" jsonschema_extras:"secret=true"`
	// Skip verifying the server's certificate,
	// for test servers only.
	Insecure bool `json:"insecure,omitempty" jsonschema:"default=false"`
}

func TestNestedStructsInline(t *testing.T) {
	s, err := convert(t, &NestedConfig{})
	if err != nil {
		t.Fatal(err)
	}
	out := string(s.Marshal())
	if strings.Contains(out, "$ref") || strings.Contains(out, "$defs") || strings.Contains(out, "additionalProperties") || strings.Contains(out, "$id") {
		t.Errorf("spec has references, ids or additionalProperties:\n%s", out)
	}
	tls := s.Properties[1]
	if tls.Type != "object" || tls.Title != "TLS" || tls.Description != "How to connect securely." || len(tls.Properties) != 2 {
		t.Fatalf("tls property: %+v", tls)
	}
	ca, insecure := tls.Properties[0], tls.Properties[1]
	if ca.Title != "CA Cert" || !ca.Secret || ca.Order != 0 || ca.Description != "PEM-encoded certificate authority." {
		t.Errorf("ca_cert: %+v", ca)
	}
	// A doc comment on several lines becomes one line.
	if insecure.Description != "Skip verifying the server's certificate, for test servers only." || insecure.Default != false || insecure.Order != 1 {
		t.Errorf("insecure: %+v", insecure)
	}
	if len(tls.Required) != 1 || tls.Required[0] != "ca_cert" {
		t.Errorf("tls required %v", tls.Required)
	}
}

// TestStable derives the same spec twice and compares the bytes.
func TestStable(t *testing.T) {
	a, err := convert(t, &PostgresConfig{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := convert(t, &PostgresConfig{})
	if string(a.Marshal()) != string(b.Marshal()) {
		t.Error("two derivations differ")
	}
}

// TestHiddenFields checks that fields out of the JSON or out of the schema
// are left out of the spec, not reported as errors.
func TestHiddenFields(t *testing.T) {
	s, err := convert(t, &withHidden{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Properties) != 1 || s.Properties[0].Name != "host" {
		t.Errorf("properties %+v, want host only", s.Properties)
	}
}
