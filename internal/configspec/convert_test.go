package configspec

import (
	"errors"
	"strings"
	"testing"
)

// deriveSrc derives the spec of the Config declared in src, a file of
// package acme.
func deriveSrc(t *testing.T, src string) (*Derived, error) {
	t.Helper()
	return FromSource("acme/config.go", []byte("package acme\n\n"+src))
}

// TestRefusals checks that every Config the form cannot render, or the
// connector would read other than the form writes it, is refused with the
// file:line:col, the Go field, its Go type, and what to do.
func TestRefusals(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"map", "type Config struct {\n\tLabels map[string]string `json:\"labels\"`\n}",
			"acme/config.go:4:2: Config.Labels (map[string]string): a map cannot be rendered by the form; use a struct with named fields"},
		{"any", "type Config struct {\n\tExtra any `json:\"extra\"`\n}",
			"Config.Extra (any): an interface has no single JSON type; use a concrete type"},
		{"interface", "type Config struct {\n\tExtra interface{ M() } `json:\"extra\"`\n}",
			"Config.Extra (interface{M()}): an interface has no single JSON type"},
		{"chan", "type Config struct {\n\tC chan int `json:\"c\"`\n}",
			`Config.C (chan int): a channel cannot come from JSON; keep it out of Config, or tag it json:"-"`},
		{"func", "type Config struct {\n\tF func() `json:\"f\"`\n}",
			`Config.F (func()): a func cannot come from JSON`},
		{"int array", "type Config struct {\n\tPorts []int `json:\"ports\"`\n}",
			"Config.Ports ([]int): the form renders arrays of strings only; use []string"},
		{"bytes", "type Config struct {\n\tCert []byte `json:\"cert\"`\n}",
			"Config.Cert ([]byte): the form renders arrays of strings only; use []string (a []byte is a base64 string in JSON)"},
		{"struct array", "type Config struct {\n\tHosts []Host `json:\"hosts\"`\n}\n\ntype Host struct{ Name string }",
			"Config.Hosts ([]Host): the form renders arrays of strings only"},
		{"time.Time", "import \"time\"\n\ntype Config struct {\n\tSince time.Time `json:\"since\"`\n}",
			"acme/config.go:6:2: Config.Since (time.Time): time.Time is not read: spec reads this package alone, and the form has no date field; use a string (RFC 3339)"},
		{"time.Duration", "import \"time\"\n\ntype Config struct {\n\tTimeout time.Duration `json:\"timeout\"`\n}",
			"Config.Timeout (time.Duration): time.Duration is not read"},
		{"other package", "import \"net/url\"\n\ntype Config struct {\n\tBase *url.URL `json:\"base\"`\n}",
			"Config.Base (*url.URL): its type is, or is built on, a type from another package, which spec does not read"},
		{"local type over another package's", "import \"net\"\n\ntype Addr net.IP\n\ntype Config struct {\n\tAddr Addr `json:\"addr\"`\n}",
			"Config.Addr (Addr): its type is, or is built on, a type from another package"},
		{"uint16 unbounded", "type Config struct {\n\tPort uint16 `json:\"port\"`\n}",
			`Config.Port (uint16): the form accepts any integer, and one outside uint16's range 0..65535 fails to decode; bound it (jsonschema:"minimum=0,maximum=65535", or narrower) or use int`},
		{"int8 half bounded", "type Config struct {\n\tLevel int8 `json:\"level\" jsonschema:\"minimum=0\"`\n}",
			"Config.Level (int8): the form accepts any integer, and one outside int8's range -128..127 fails to decode"},
		{"uint unbounded", "type Config struct {\n\tN uint `json:\"n\"`\n}", "Config.N (uint): the form accepts any integer"},
		{"rune unbounded", "type Config struct {\n\tSep rune `json:\"sep\"`\n}", "Config.Sep (rune): the form accepts any integer, and one outside rune's range -2147483648..2147483647"},
		{"bounds outside", "type Config struct {\n\tPort uint16 `json:\"port\" jsonschema:\"minimum=-1,maximum=70000\"`\n}",
			"Config.Port (uint16): minimum=-1 is outside uint16's range 0..65535"},
		{"complex", "type Config struct {\n\tZ complex128 `json:\"z\"`\n}", "Config.Z (complex128): the form has no complex128; use int, float64 or string"},
		{"same JSON name", "type Config struct {\n\tHost string `json:\"host\"`\n\tHostname string `json:\"host\"`\n}",
			`Config.Hostname (string): its JSON name "host" is also that of Config.Host: spec.json would hold the key twice`},
		{"shadowed by embedding", "type Base struct {\n\tHost string `json:\"host\"`\n}\n\ntype Config struct {\n\tBase\n\tHost string `json:\"host\"`\n}",
			`acme/config.go:9:2: Config.Host (string): its JSON name "host" is also that of Config.Base.Host`},
		{"untagged names", "type Config struct {\n\tHost string\n\tInner struct{ X int } `json:\"Host\"`\n}",
			`Config.Inner (struct{X int}): its JSON name "Host" is also that of Config.Host`},
		{"string option", "type Config struct {\n\tPort int `json:\"port,string\"`\n}",
			"Config.Port (int): the json option string makes encoding/json want the value quoted, which the form does not do; remove ,string"},
		{"decodes itself", "type Level string\n\nfunc (l *Level) UnmarshalText(b []byte) error { return nil }\n\ntype Config struct {\n\tLevel Level `json:\"level\"`\n}",
			"Config.Level (Level): Level decodes itself (its UnmarshalText method), so its JSON is not what its fields say"},
		{"promoted decoder", "type base struct{}\n\nfunc (base) UnmarshalJSON([]byte) error { return nil }\n\ntype Config struct {\n\tbase\n\tHost string `json:\"host\"`\n}",
			"Config (struct): Config decodes itself (its UnmarshalJSON method)"},
		{"embedded pointer to unexported", "type base struct{ Host string }\n\ntype Config struct {\n\t*base\n}",
			"Config.base (*base): encoding/json cannot set an embedded pointer to an unexported struct; embed base itself"},
		{"recursive", "type Config struct {\n\tName string `json:\"name\"`\n\tNext *Config `json:\"next,omitempty\"`\n}",
			"Config.Next (*Config): Config contains itself, and the form cannot render a recursive config"},
		{"secret int", "type Config struct {\n\tPIN int `json:\"pin\" jsonschema_extras:\"secret=true\"`\n}",
			"Config.PIN (int): secret must be true and on a string, as the form renders a secret as a password input"},
		{"duplicate order", "type Config struct {\n\tA string `json:\"a\" jsonschema_extras:\"order=1\"`\n\tB string `json:\"b\"`\n}",
			"Config.B (string): order 1 is also the order of a; each property needs its own"},
		{"two types", "type Config struct {\n\tID string `json:\"id\" jsonschema:\"oneof_type=string;integer\"`\n}",
			"Config.ID (string): a property needs exactly one JSON type"},
		{"bad default", "type Config struct {\n\tPort int `json:\"port\" jsonschema:\"default=eighty\"`\n}",
			"Config.Port (int): default=eighty is not an integer"},
		{"unknown extra", "type Config struct {\n\tHost string `json:\"host\" jsonschema_extras:\"placeholder=localhost\"`\n}",
			`Config.Host (string): jsonschema_extras key "placeholder" is not one the platform reads`},
		{"dash", "type Config struct {\n\tDash string `json:\"-,\"`\n}",
			`Config.Dash (string): the JSON name "-" (json:"-,") reads as "leave out" to the schema reflector`},
		{"empty title", "type Config struct {\n\tHost string `json:\"host\" jsonschema:\"title=\"`\n}",
			"Config.Host (string): no title (the form shows an empty label)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := deriveSrc(t, tc.src)
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v, want a ConfigError", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%v\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

// TestEveryProblemAtOnce checks that derivation reports every refused
// field, not the first alone.
func TestEveryProblemAtOnce(t *testing.T) {
	_, err := deriveSrc(t, "type Config struct {\n\tA map[string]string `json:\"a\"`\n\tB any `json:\"b\"`\n\tC uint8 `json:\"c\"`\n}")
	var ce *ConfigError
	if !errors.As(err, &ce) || len(ce.Problems) != 3 {
		t.Errorf("error %v, want three problems", err)
	}
}

func TestBoundedSizedInts(t *testing.T) {
	d, err := deriveSrc(t, "type Config struct {\n\tPort uint16 `json:\"port\" jsonschema:\"minimum=1,maximum=65535,default=443\"`\n}")
	if err != nil {
		t.Fatal(err)
	}
	p := d.Schema.Properties[0]
	if p.Type != "integer" || *p.Minimum != 1 || *p.Maximum != 65535 || p.Default != int64(443) {
		t.Errorf("port: %+v", p)
	}
}

func TestRequiredFromTags(t *testing.T) {
	d, err := deriveSrc(t, "type Config struct {\n\tHost string `json:\"host,omitempty\" jsonschema:\"required\"`\n\tPort int `json:\"port,omitzero\"`\n}")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Schema.Required) != 1 || d.Schema.Required[0] != "host" {
		t.Errorf("required %v, want [host]", d.Schema.Required)
	}
}

// TestNestedStructsInline checks that an inline object keeps its own
// order, titles and doc comments, whether its type is named or a literal.
func TestNestedStructsInline(t *testing.T) {
	d, err := deriveSrc(t, `type Config struct {
	// Where the service runs.
	Host string `+"`json:\"host\"`"+`
	// How to connect securely.
	TLS TLSConfig `+"`json:\"tls\"`"+`
	// Who connects.
	Auth *struct {
		User string `+"`json:\"user\"`"+` // the user name
	} `+"`json:\"auth,omitempty\"`"+`
}

// TLSConfig is not what the tls property's description says: its field's
// doc comment is.
type TLSConfig struct {
	// PEM-encoded certificate authority.
	CA string `+"`json:\"ca_cert\" jsonschema_extras:\"secret=true\"`"+`
	// Skip verifying the server's certificate,
	// for test servers only.
	Insecure bool `+"`json:\"insecure,omitempty\" jsonschema:\"default=false\"`"+`
}
`)
	if err != nil {
		t.Fatal(err)
	}
	out := string(d.JSON)
	if strings.Contains(out, "$ref") || strings.Contains(out, "$defs") || strings.Contains(out, "additionalProperties") || strings.Contains(out, "$id") {
		t.Errorf("spec has references, ids or additionalProperties:\n%s", out)
	}
	tls := d.Schema.Properties[1]
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
	auth := d.Schema.Properties[2]
	if auth.Type != "object" || auth.Description != "Who connects." || len(auth.Properties) != 1 || auth.Properties[0].Description != "the user name" {
		t.Errorf("auth: %+v", auth)
	}
}

// TestEmbeddedStructsPromoted checks that an embedded struct's fields are
// properties of the outer object, as encoding/json reads them, and that
// an embedded struct with a JSON name is an object.
func TestEmbeddedStructsPromoted(t *testing.T) {
	d, err := deriveSrc(t, `type Conn struct {
	// Where the service runs.
	Host string `+"`json:\"host\"`"+`
}

type common struct {
	// How long to wait.
	TimeoutSeconds int `+"`json:\"timeout_seconds,omitempty\"`"+`
}

type Config struct {
	*Conn
	common
	// Extra settings.
	Conn2 Conn `+"`json:\"extra\"`"+`
	// Key used to authenticate.
	APIKey string `+"`json:\"api_key\" jsonschema_extras:\"secret=true\"`"+`
}
`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range d.Schema.Properties {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "host,timeout_seconds,extra,api_key" {
		t.Errorf("properties %v", names)
	}
	if d.Schema.Properties[0].Description != "Where the service runs." || d.Schema.Properties[1].Order != 1 || d.Schema.Properties[2].Type != "object" {
		t.Errorf("properties %+v", d.Schema.Properties)
	}
}

// TestStable derives the same spec twice and compares the bytes.
func TestStable(t *testing.T) {
	src := "type Config struct {\n\tA string `json:\"a\"`\n\tB []string `json:\"b,omitempty\" jsonschema:\"default=x,default=y\"`\n}"
	a, err := deriveSrc(t, src)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := deriveSrc(t, src)
	if string(a.JSON) != string(b.JSON) {
		t.Error("two derivations differ")
	}
}

// TestHiddenFields checks that fields out of the JSON or out of the schema
// are left out of the spec, not reported, whatever their type.
func TestHiddenFields(t *testing.T) {
	d, err := deriveSrc(t, "type Config struct {\n\tHost string `json:\"host\"`\n\tInternal map[string]any `json:\"internal,omitempty\" jsonschema:\"-\"`\n\tIgnored chan int `json:\"-\"`\n\tprivate func()\n}")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range d.Schema.Properties {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "host" {
		t.Errorf("properties %v, want host alone", names)
	}
}

// TestCredentialWarning checks that a credential-looking name without
// secret is a warning naming the field, not a refusal.
func TestCredentialWarning(t *testing.T) {
	d, err := deriveSrc(t, "type Config struct {\n\tToken string `json:\"token\"`\n}")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], `acme/config.go:4:2: Config.Token (string): looks like a credential but lacks "secret": true`) {
		t.Errorf("warnings %q", d.Warnings)
	}
}

// TestDescriptionTagWins checks that a description tag overrides the doc
// comment, as invopop/jsonschema has it.
func TestDescriptionTagWins(t *testing.T) {
	d, err := deriveSrc(t, "type Config struct {\n\t// The comment.\n\tHost string `json:\"host\" jsonschema:\"description=The tag.\"`\n}")
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Schema.Properties[0].Description; got != "The tag." {
		t.Errorf("description %q", got)
	}
}
