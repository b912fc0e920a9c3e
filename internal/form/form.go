// Package form reads a connector's spec.json the way the Monoid platform's
// web form does: which fields it draws, in what order, with what initial
// values, and so what config JSON it sends. `monoid-gen dev` draws the
// same form from it, and `monoid-gen spec` warns about what the form
// cannot show faithfully.
package form

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Kind is how the platform draws a field.
type Kind string

// The kinds of field the platform's form draws.
const (
	Text        Kind = "text"        // a text box (also a string with enum)
	Password    Kind = "password"    // a secret string: a password input behind an Edit button
	Integer     Kind = "integer"     // a number input taking whole numbers
	Number      Kind = "number"      // a number input
	Toggle      Kind = "boolean"     // a switch
	Strings     Kind = "strings"     // a multi-value input (an array of strings)
	Group       Kind = "object"      // a bordered group of its own fields
	Unsupported Kind = "unsupported" // drawn as nothing; the config does not carry it
)

// noOrder is the order the platform gives a field without one.
const noOrder = 1000

// Field is one field of the form.
type Field struct {
	Key         string   `json:"key"`  // the property name
	Path        string   `json:"path"` // dotted from the top, e.g. "ssh.host"
	Label       string   `json:"label"`
	Description string   `json:"description,omitempty"`
	Kind        Kind     `json:"kind"`
	Type        string   `json:"type,omitempty"` // the schema's type, as written, for messages
	Required    bool     `json:"required,omitempty"`
	Initial     any      `json:"initial,omitempty"` // nil for Unsupported and Group
	Fields      []Field  `json:"fields,omitempty"`  // a Group's fields, in form order
	Warnings    []string `json:"warnings,omitempty"`
}

// property is what the form reads of one schema property.
type property struct {
	Type        json.RawMessage `json:"type"`
	Title       string          `json:"title"`
	Description string          `json:"description"`
	Default     any             `json:"default"`
	Order       *float64        `json:"order"`
	Secret      bool            `json:"secret"`
	Enum        []any           `json:"enum"`
	Items       *struct {
		Type json.RawMessage `json:"type"`
	} `json:"items"`
	Properties json.RawMessage `json:"properties"`
	Required   []string        `json:"required"`
}

// Parse returns the form of a spec.json ({"spec": schema}) or of a bare
// config schema, fields in the order the platform draws them.
func Parse(spec []byte) ([]Field, error) {
	var top struct {
		Spec json.RawMessage `json:"spec"`
	}
	if err := json.Unmarshal(spec, &top); err != nil {
		return nil, fmt.Errorf("spec.json: %v", err)
	}
	schema := spec
	if len(top.Spec) > 0 {
		schema = top.Spec
	}
	var p property
	if err := json.Unmarshal(schema, &p); err != nil {
		return nil, fmt.Errorf("spec.json: the config schema: %v", err)
	}
	return fields(p, "")
}

// fields returns the form of an object's properties.
func fields(obj property, prefix string) ([]Field, error) {
	keys, raws, err := ordered(obj.Properties)
	if err != nil {
		return nil, fmt.Errorf("spec.json: properties of %q: %v", strings.TrimSuffix(prefix, "."), err)
	}
	type entry struct {
		f     Field
		order float64
	}
	var out []entry
	for i, key := range keys {
		var p property
		if err := json.Unmarshal(raws[i], &p); err != nil {
			return nil, fmt.Errorf("spec.json: property %q: %v", prefix+key, err)
		}
		f := Field{Key: key, Path: prefix + key, Label: p.Title, Description: p.Description,
			Required: slices.Contains(obj.Required, key)}
		if err := f.read(p); err != nil {
			return nil, err
		}
		order := float64(noOrder)
		if p.Order != nil {
			order = *p.Order
		}
		out = append(out, entry{f, order})
	}
	// The platform sorts by order; equal orders keep the schema's order.
	slices.SortStableFunc(out, func(a, b entry) int {
		switch {
		case a.order < b.order:
			return -1
		case a.order > b.order:
			return 1
		}
		return 0
	})
	fs := make([]Field, len(out))
	for i, e := range out {
		fs[i] = e.f
	}
	return fs, nil
}

// read sets the field's kind, initial value and warnings from p.
func (f *Field) read(p property) error {
	var typ string
	if len(p.Type) > 0 && json.Unmarshal(p.Type, &typ) != nil {
		f.Type = string(p.Type)
		f.unsupported("a type that is not one string (%s)", p.Type)
		return nil
	}
	f.Type = typ
	switch typ {
	case "string":
		f.Kind, f.Initial = Text, initial(p.Default, "")
		if p.Secret {
			f.Kind = Password
		}
		if len(p.Enum) > 0 {
			f.warn("its enum %s is shown as a free text box: the form offers no choice and lets any text through", enumList(p.Enum))
		}
		if f.Required && f.Initial == "" {
			f.warn("it is required, but the form sends \"\" until the user types a value: validate should reject it empty")
		}
	case "integer":
		f.Kind, f.Initial = Integer, initial(p.Default, 0)
	case "number":
		f.Kind, f.Initial = Number, initial(p.Default, 0)
	case "boolean":
		f.Kind, f.Initial = Toggle, initial(p.Default, false)
	case "array":
		var items string
		if p.Items != nil {
			json.Unmarshal(p.Items.Type, &items)
		}
		if items != "string" {
			f.unsupported("an array of %s: only arrays of strings are drawn", describe(items))
			return nil
		}
		f.Kind, f.Initial = Strings, initial(p.Default, []any{})
	case "object":
		f.Kind = Group
		sub, err := fields(p, f.Path+".")
		if err != nil {
			return err
		}
		if len(sub) == 0 {
			f.warn("an object without inline properties is drawn as an empty group ($ref is not followed)")
		}
		f.Fields = sub
	default:
		f.unsupported("type %s", describe(typ))
	}
	return nil
}

func (f *Field) warn(format string, args ...any) {
	f.Warnings = append(f.Warnings, fmt.Sprintf(format, args...))
}

func (f *Field) unsupported(format string, args ...any) {
	f.Kind = Unsupported
	f.warn("the form cannot draw "+format+": it shows \"Unsupported type\" and the config never carries the field", args...)
}

// describe names a type for a message.
func describe(typ string) string {
	if typ == "" {
		return "no type"
	}
	return fmt.Sprintf("%q", typ)
}

// initial is the platform's initial value: the default when it is truthy
// (in JavaScript's sense), otherwise the type's empty value.
func initial(def, empty any) any {
	switch v := def.(type) {
	case nil:
		return empty
	case string:
		if v == "" {
			return empty
		}
	case float64:
		if v == 0 {
			return empty
		}
	case bool:
		if !v {
			return empty
		}
	}
	return def
}

func enumList(vs []any) string {
	b, _ := json.Marshal(vs)
	return string(b)
}

// ordered decodes a JSON object's members in document order.
func ordered(obj json.RawMessage) ([]string, []json.RawMessage, error) {
	if len(bytes.TrimSpace(obj)) == 0 || string(bytes.TrimSpace(obj)) == "null" {
		return nil, nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(obj))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, nil, fmt.Errorf("not an object")
	}
	var keys []string
	var raws []json.RawMessage
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, err
		}
		keys, raws = append(keys, t.(string)), append(raws, raw)
	}
	return keys, raws, nil
}

// Config is the config JSON the form sends before the user changes
// anything: every drawn field with its initial value, groups as objects.
func Config(fs []Field) map[string]any {
	c := map[string]any{}
	for _, f := range fs {
		switch f.Kind {
		case Unsupported:
		case Group:
			c[f.Key] = Config(f.Fields)
		default:
			c[f.Key] = f.Initial
		}
	}
	return c
}

// Warnings lists every field's warnings, each prefixed with the field's
// path, in form order.
func Warnings(fs []Field) []string {
	var out []string
	for _, f := range fs {
		for _, w := range f.Warnings {
			out = append(out, fmt.Sprintf("field %s: %s", f.Path, w))
		}
		out = append(out, Warnings(f.Fields)...)
	}
	return out
}

// Secrets lists the paths of the secret fields.
func Secrets(fs []Field) []string {
	var out []string
	for _, f := range fs {
		if f.Kind == Password {
			out = append(out, f.Path)
		}
		out = append(out, Secrets(f.Fields)...)
	}
	return out
}
