// Package manifest writes and merges a connector's entries in the
// platform's connector lists: integration-manifest.yaml (what the platform
// runs) and integration-spec.yaml (the same entries with each connector's
// config schema, which a discovery tool otherwise writes by running every
// image through Docker).
//
// Merging edits the file as a YAML node tree (gopkg.in/yaml.v3), so that
// every other entry, their order and the file's comments stay as they were.
package manifest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"gopkg.in/yaml.v3"
)

// DefaultDocumentationURL is what official connectors give as their
// documentationUrl.
const DefaultDocumentationURL = "https://docs.monoid.co"

// Entry is one connector in the platform's lists.
type Entry struct {
	Name             string // shown in the UI, e.g. "Google Sheets"
	ID               string // a UUID, fixed for the connector's life
	DocumentationURL string
	DockerImage      string
	DockerTag        string
	Logo             string // a file name under the platform's images
	// Spec is the connector's config schema (the value of "spec" in
	// spec.json); only integration-spec.yaml entries carry it.
	Spec json.RawMessage
}

var (
	// tagRE is Docker's rule for a tag.
	tagRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	// imageRE is Docker's rule for a repository: lowercase path
	// components, optionally after a registry host[:port].
	imageRE = regexp.MustCompile(`^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$`)
)

// The rules CheckTag and CheckImage enforce, as their errors state them.
var (
	errTag   = errors.New("a Docker tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'")
	errImage = errors.New("a Docker repository name is lowercase path components of letters and digits separated by '.', '_' or '-', e.g. monoidco/monoid-acme")
)

// CheckTag reports whether tag is a Docker tag: nil, or an error stating
// the rule, which the caller prefixes with the value and where it is from.
func CheckTag(tag string) error {
	if tagRE.MatchString(tag) {
		return nil
	}
	return errTag
}

// maxImage is Docker's limit on the length of a repository name.
const maxImage = 255

// CheckImage reports whether image is a Docker repository name: nil, or an
// error stating the rule, which the caller prefixes with the value and
// where it is from.
func CheckImage(image string) error {
	if len(image) > maxImage {
		return fmt.Errorf("a Docker repository name is at most %d characters, this one is %d", maxImage, len(image))
	}
	if imageRE.MatchString(image) {
		return nil
	}
	return errImage
}

// FieldError is an entry field that breaks a rule of the platform's: the
// field (as the platform's files spell it), its value and the rule.
type FieldError struct {
	Field, Value, Rule string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("invalid %s %q: %s", e.Field, e.Value, e.Rule)
}

// logoRE is a plain file name: the logo is looked up under the platform's
// images, and a path could lead anywhere.
var logoRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$`)

// Validate checks every field the platform relies on, and refuses values
// that would mislead it or its users: a logo that is a path, a
// documentation link that is not http(s), a name with control characters.
func (e Entry) Validate() error {
	if e.Name == "" {
		return &FieldError{"name", e.Name, "a connector needs a name, shown in the platform's UI"}
	}
	if why := checkName(e.Name); why != "" {
		return &FieldError{"name", e.Name, why}
	}
	if u, err := uuid.Parse(e.ID); err != nil || u.String() != e.ID {
		return &FieldError{"id", e.ID, "want a UUID in lowercase 8-4-4-4-12 form, such as monoid-gen new writes"}
	}
	if why := checkURL(e.DocumentationURL); why != "" {
		return &FieldError{"documentationUrl", e.DocumentationURL, why}
	}
	if err := CheckImage(e.DockerImage); err != nil {
		return &FieldError{"dockerImage", e.DockerImage, err.Error()}
	}
	if err := CheckTag(e.DockerTag); err != nil {
		return &FieldError{"dockerTag", e.DockerTag, err.Error()}
	}
	if !logoRE.MatchString(e.Logo) {
		return &FieldError{"logo", e.Logo, "a logo is the name of a file under the platform's images, such as acme.svg: letters, digits, '.', '_' and '-', no path"}
	}
	return nil
}

// checkName returns why name cannot be shown as a connector's name, or "".
func checkName(name string) string {
	switch {
	case !utf8.ValidString(name):
		return "a name must be UTF-8 text"
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "a name is one line of text, without control characters"
	case strings.TrimSpace(name) != name:
		return "a name neither starts nor ends with a space"
	}
	return ""
}

// checkURL returns why u cannot be the documentation link, or "". The
// platform shows it as a link: only an absolute http or https URL is safe
// to follow. An empty URL shows no link.
func checkURL(u string) string {
	if u == "" {
		return ""
	}
	const want = "a documentation URL is an absolute http or https URL, such as " + DefaultDocumentationURL
	if strings.IndexFunc(u, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) >= 0 {
		return want + ", without spaces or control characters"
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return want
	}
	return ""
}

// node builds the entry as a YAML mapping, keys in the order the
// platform's files use: integration-manifest.yaml starts with name,
// integration-spec.yaml with id and ends with manual and spec.
func (e Entry) node(withSpec bool) (*yaml.Node, error) {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	add := func(key string, value *yaml.Node) {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, value)
	}
	str := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
	if withSpec {
		add("id", str(e.ID))
		add("name", str(e.Name))
	} else {
		add("name", str(e.Name))
		add("id", str(e.ID))
	}
	add("documentationUrl", str(e.DocumentationURL))
	add("dockerImage", str(e.DockerImage))
	add("dockerTag", str(e.DockerTag))
	add("logo", str(e.Logo))
	if withSpec {
		add("manual", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "false"})
		var spec any
		if err := json.Unmarshal(e.Spec, &spec); err != nil {
			return nil, fmt.Errorf("spec: %w", err)
		}
		var sn yaml.Node
		if err := sn.Encode(spec); err != nil {
			return nil, fmt.Errorf("spec: %w", err)
		}
		add("spec", &sn)
	}
	return m, nil
}

// Marshal writes the entry as a one-entry list, as it goes into
// integration-manifest.yaml (withSpec false) or integration-spec.yaml.
func (e Entry) Marshal(withSpec bool) ([]byte, error) {
	n, err := e.node(withSpec)
	if err != nil {
		return nil, err
	}
	return encode(&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{n}})
}
