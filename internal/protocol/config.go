package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// configSpec is a connector's config schema, ready to validate configs.
type configSpec struct {
	validator *Validator
	root      map[string]any // the schema document, for defaults
	secrets   [][]string     // instance paths of properties marked secret
}

// parseSpec reads the connector's spec.json ({"spec": <schema>}) and
// resolves the schema (draft-07 unless it says otherwise).
func parseSpec(specJSON []byte) (*configSpec, error) {
	var s SiloSpec
	if err := decodeInput("spec.json", specJSON, &s); err != nil {
		return nil, fmt.Errorf("embedded %w", err)
	}
	var root map[string]any
	if err := json.Unmarshal(s.Spec, &root); err != nil || root == nil {
		return nil, fmt.Errorf("embedded spec.json: spec must be a JSON object")
	}
	v, err := NewValidator(s.Spec)
	if err != nil {
		return nil, fmt.Errorf("embedded spec.json is not a valid JSON Schema: %w", err)
	}
	return &configSpec{validator: v, root: root, secrets: secretPaths(root, nil)}, nil
}

// decodeConfig validates b, the content of the config file at path,
// against the spec, fills in defaults and decodes it into a C.
func decodeConfig[C any](spec *configSpec, path string, b []byte) (C, error) {
	var conf C
	doc, err := spec.validate(path, b)
	if err != nil {
		return conf, err
	}
	// The file itself is decoded, not the validated document, whose
	// numbers are float64s: an integer beyond 2^53 stays exact. The
	// defaults are decoded over it, which leaves every present field be.
	if err := json.Unmarshal(b, &conf); err != nil {
		// The spec let through a value the Config struct cannot hold:
		// spec.json and the struct disagree.
		return conf, jsonError(path, b, fmt.Errorf("does not fit the connector's Config (spec.json and Config disagree): %w", err))
	}
	if defaults := defaultsFor(spec.root, doc); len(defaults) > 0 {
		filled, err := json.Marshal(defaults)
		if err == nil {
			err = json.Unmarshal(filled, &conf)
		}
		if err != nil {
			return conf, &InputError{File: path, Msg: fmt.Sprintf("the spec's defaults do not fit the connector's Config (spec.json and Config disagree): %v", err)}
		}
	}
	return conf, nil
}

// validate parses b and checks it against the spec. Every violation is
// reported, joined on one line, by field and rule: no value of the config
// is ever shown, as it may be a password or a key.
func (s *configSpec) validate(path string, b []byte) (map[string]any, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, &InputError{File: path, Msg: "file is empty, want a JSON object"}
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, jsonError(path, b, err)
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, &InputError{File: path, Msg: "want a JSON object"}
	}
	if err := s.validator.Validate(doc); err != nil {
		return nil, &InputError{File: path, Msg: "does not match the connector's spec: " + err.Error()}
	}
	return doc, nil
}

// defaultsFor returns the defaults doc lacks: every property the schema
// gives a default and doc does not have, following the object properties
// doc has (an absent object stays absent: its Go field may be a pointer
// whose nil says "not configured"). A JSON
// Schema validator does not fill them, and without them an absent property
// would decode as the Go zero value, contradicting the default the
// platform's form showed.
func defaultsFor(schema, doc map[string]any) map[string]any {
	props, _ := schema["properties"].(map[string]any)
	var out map[string]any
	for name, p := range props {
		ps, ok := p.(map[string]any)
		if !ok {
			continue
		}
		var fill any // nil: nothing to fill (a default of null fills nothing either)
		v, present := doc[name]
		switch obj, isObject := v.(map[string]any); {
		case !present:
			fill = ps["default"]
		case isObject:
			if sub := defaultsFor(ps, obj); len(sub) > 0 {
				fill = sub
			}
		}
		if fill != nil {
			if out == nil {
				out = map[string]any{}
			}
			out[name] = fill
		}
	}
	return out
}

// CheckConfig validates the config file at path against spec.json's
// schema, as the runner does before every command but spec. The error
// names the file and each violation, by field and rule; no value of the
// config is shown.
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
