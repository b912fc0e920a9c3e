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
	"regexp"

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

// CheckImage reports whether image is a Docker repository name: nil, or an
// error stating the rule, which the caller prefixes with the value and
// where it is from.
func CheckImage(image string) error {
	if imageRE.MatchString(image) {
		return nil
	}
	return errImage
}

// Validate checks every field the platform relies on.
func (e Entry) Validate() error {
	if e.Name == "" {
		return fmt.Errorf("the entry has no name: set display_name in the project file or pass --name")
	}
	if u, err := uuid.Parse(e.ID); err != nil || u.String() != e.ID {
		return fmt.Errorf("invalid id %q: want a UUID in lowercase 8-4-4-4-12 form, such as monoid-gen new writes", e.ID)
	}
	if err := CheckImage(e.DockerImage); err != nil {
		return fmt.Errorf("invalid dockerImage %q: %w", e.DockerImage, err)
	}
	if err := CheckTag(e.DockerTag); err != nil {
		return fmt.Errorf("invalid dockerTag %q: %w", e.DockerTag, err)
	}
	return nil
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
