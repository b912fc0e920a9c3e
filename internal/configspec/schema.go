package configspec

// The model of spec.json and its one canonical, byte-stable form: keys in a
// fixed order, properties in declaration order, two-space indent, trailing
// newline. Every spec.json monoid-gen writes goes through Marshal, so a
// fresh project's spec.json is exactly what `monoid-gen spec` would write.

import (
	"bytes"
	"encoding/json"
)

// Draft07 is the JSON Schema dialect of every spec.
const Draft07 = "http://json-schema.org/draft-07/schema#"

// Schema is the config schema: an object whose properties the form shows
// sorted by Order.
type Schema struct {
	Properties []Property
	Required   []string
}

// Property is one config field as the platform's form understands it
// (PROTOCOL.md, "spec.json, and how the platform shows it").
type Property struct {
	Name        string // the JSON name, e.g. "api_key"
	Type        string // string, integer, number, boolean, object or array
	Title       string
	Description string
	Default     any // nil for none; otherwise a value of Type
	Enum        []any
	Secret      bool
	Order       int

	// Validation keywords, written only when set.
	Minimum, Maximum     *float64
	MinLength, MaxLength *int
	Pattern              string
	MinItems, MaxItems   *int
	UniqueItems          bool
	Items                *Property // arrays: the item schema (strings only)

	// Objects: their inline properties and required names.
	Properties []Property
	Required   []string
}

// Marshal writes the spec.json document {"spec": <schema>}.
func (s Schema) Marshal() []byte {
	doc := object{{"spec", s.object()}}
	compact, err := encode(doc)
	if err != nil {
		// Every value is a string, number, bool or slice of them.
		panic("configspec: " + err.Error())
	}
	var out bytes.Buffer
	json.Indent(&out, compact, "", "  ")
	out.WriteByte('\n')
	return out.Bytes()
}

// object returns the schema with its keys in the canonical order.
func (s Schema) object() object {
	return object{
		{"$schema", Draft07},
		{"type", "object"},
		{"properties", propertiesObject(s.Properties)},
	}.with("required", s.Required, len(s.Required) > 0)
}

func propertiesObject(props []Property) object {
	o := make(object, len(props))
	for i, p := range props {
		o[i] = member{p.Name, p.object()}
	}
	return o
}

// object returns the property's schema with its keys in the canonical
// order: what the form shows first, validation keywords after, order last.
func (p Property) object() object {
	o := object{{"type", p.Type}}.
		with("title", p.Title, p.Title != "").
		with("description", p.Description, p.Description != "").
		with("default", p.Default, p.Default != nil).
		with("enum", p.Enum, p.Enum != nil).
		with("secret", true, p.Secret).
		with("minimum", p.Minimum, p.Minimum != nil).
		with("maximum", p.Maximum, p.Maximum != nil).
		with("minLength", p.MinLength, p.MinLength != nil).
		with("maxLength", p.MaxLength, p.MaxLength != nil).
		with("pattern", p.Pattern, p.Pattern != "")
	if p.Items != nil {
		o = o.with("items", object{{"type", p.Items.Type}}, true)
	}
	o = o.with("minItems", p.MinItems, p.MinItems != nil).
		with("maxItems", p.MaxItems, p.MaxItems != nil).
		with("uniqueItems", true, p.UniqueItems)
	if p.Type == "object" {
		o = o.with("properties", propertiesObject(p.Properties), true).
			with("required", p.Required, len(p.Required) > 0)
	}
	return o.with("order", p.Order, true)
}

// object is a JSON object that keeps its members in order.
type object []member

type member struct {
	key   string
	value any
}

// with returns o with key: value appended when cond holds.
func (o object) with(key string, value any, cond bool) object {
	if !cond {
		return o
	}
	return append(o, member{key, value})
}

// MarshalJSON writes the members in order.
func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := encode(m.key)
		b.Write(k)
		b.WriteByte(':')
		v, err := encode(m.value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// encode is json.Marshal without HTML escaping: spec.json is read by people
// and by the platform, never embedded in HTML, and "<" should stay "<".
func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
