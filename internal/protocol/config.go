package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// specURL is the name the connector's spec is compiled under; it appears
// nowhere in messages.
const specURL = "file:///monoid/spec.json"

// configSpec is a connector's config schema, compiled for validation.
type configSpec struct {
	schema  *jsonschema.Schema
	root    map[string]any // the schema document, for defaults
	secrets [][]string     // instance paths of properties marked secret
}

// parseSpec reads the connector's spec.json ({"spec": <schema>}) and
// compiles the schema (draft-07 unless it says otherwise).
func parseSpec(specJSON []byte) (*configSpec, error) {
	var s SiloSpec
	if err := decodeInput("spec.json", specJSON, &s); err != nil {
		return nil, fmt.Errorf("embedded %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(s.Spec))
	if err != nil {
		return nil, fmt.Errorf("embedded spec.json: spec: %w", err)
	}
	root, ok := doc.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("embedded spec.json: spec must be a JSON object")
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	if err := c.AddResource(specURL, doc); err != nil {
		return nil, fmt.Errorf("embedded spec.json: %w", err)
	}
	sch, err := c.Compile(specURL)
	if err != nil {
		return nil, fmt.Errorf("embedded spec.json is not a valid JSON Schema: %w", err)
	}
	return &configSpec{schema: sch, root: root, secrets: secretPaths(root, nil)}, nil
}

// secretPaths lists the paths of the properties marked "secret": true,
// following inline object properties.
func secretPaths(schema map[string]any, prefix []string) [][]string {
	props, _ := schema["properties"].(map[string]any)
	var out [][]string
	for name, p := range props {
		ps, ok := p.(map[string]any)
		if !ok {
			continue
		}
		path := append(append([]string(nil), prefix...), name)
		if secret, _ := ps["secret"].(bool); secret {
			out = append(out, path)
			continue
		}
		out = append(out, secretPaths(ps, path)...)
	}
	return out
}

// decodeConfig validates b, the content of the config file at path,
// against the spec, fills in defaults and decodes it into a C.
func decodeConfig[C any](spec *configSpec, path string, b []byte) (C, error) {
	var conf C
	doc, err := spec.validate(path, b)
	if err != nil {
		return conf, err
	}
	applyDefaults(spec.root, doc)
	filled, err := json.Marshal(doc)
	if err != nil {
		return conf, &InputError{File: path, Msg: err.Error()}
	}
	if err := json.Unmarshal(filled, &conf); err != nil {
		// The spec let through a value the Config struct cannot hold:
		// spec.json and the struct disagree.
		return conf, jsonError(path, filled, fmt.Errorf("does not fit the connector's Config (spec.json and Config disagree): %w", err))
	}
	return conf, nil
}

// validate parses b and checks it against the spec. Every violation is
// reported, joined on one line; values of secret properties never appear.
func (s *configSpec) validate(path string, b []byte) (map[string]any, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, &InputError{File: path, Msg: "file is empty, want a JSON object"}
	}
	if !json.Valid(b) {
		var v any
		return nil, jsonError(path, b, json.Unmarshal(b, &v))
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, &InputError{File: path, Msg: err.Error()}
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, &InputError{File: path, Msg: "want a JSON object"}
	}
	err = s.schema.Validate(doc)
	if err == nil {
		return doc, nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return nil, &InputError{File: path, Msg: err.Error()}
	}
	var msgs []string
	// The printer is made here, on the error path, so that it costs the
	// connector's start-up nothing.
	s.describe(ve, message.NewPrinter(language.English), &msgs)
	return nil, &InputError{File: path, Msg: "does not match the connector's spec: " + strings.Join(msgs, "; ")}
}

// describe collects one message per leaf violation.
func (s *configSpec) describe(e *jsonschema.ValidationError, printer *message.Printer, out *[]string) {
	if len(e.Causes) > 0 {
		for _, c := range e.Causes {
			s.describe(c, printer, out)
		}
		return
	}
	where := strings.Join(e.InstanceLocation, ".")
	msg := e.ErrorKind.LocalizedString(printer)
	if s.isSecret(e.InstanceLocation) {
		// The validator's message may quote the value; say only which
		// rule failed.
		msg = fmt.Sprintf("secret value does not satisfy %q (value not shown)", strings.Join(e.ErrorKind.KeywordPath(), "/"))
	}
	if where == "" {
		*out = append(*out, msg)
		return
	}
	*out = append(*out, where+": "+msg)
}

// isSecret reports whether loc is a secret property or lies inside one.
func (s *configSpec) isSecret(loc []string) bool {
	for _, p := range s.secrets {
		if len(loc) >= len(p) && slices.Equal(loc[:len(p)], p) {
			return true
		}
	}
	return false
}

// applyDefaults sets every property the schema gives a default and doc
// lacks, recursing into present object properties. A JSON Schema validator
// does not do this, and without it an absent property would decode as the
// Go zero value, contradicting the default the platform's form showed.
func applyDefaults(schema map[string]any, doc map[string]any) {
	props, _ := schema["properties"].(map[string]any)
	for name, p := range props {
		ps, ok := p.(map[string]any)
		if !ok {
			continue
		}
		v, present := doc[name]
		if !present {
			if def, ok := ps["default"]; ok {
				doc[name] = def
			}
			continue
		}
		if sub, ok := v.(map[string]any); ok {
			applyDefaults(ps, sub)
		}
	}
}

// CheckConfig validates the config file at path against spec.json's
// schema, as the runner does before every command but spec. The error
// names the file and each violation; values of secret properties are never
// shown.
func CheckConfig(specJSON []byte, path string) error {
	spec, err := parseSpec(specJSON)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return &InputError{File: path, Msg: fileErrorText(err)}
	}
	if err := checkUTF8(path, b); err != nil {
		return err
	}
	_, err = spec.validate(path, b)
	return err
}
