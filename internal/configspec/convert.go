package configspec

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"
)

// reflectSchema reflects the built Config type with invopop/jsonschema,
// configured for spec.json: one inline tree, properties in struct order,
// no $id, no additionalProperties:false. Descriptions come from the
// fields' doc comments, which the built type cannot carry: its fields'
// id tags lead to them: byID are the facts of every field, by id.
func reflectSchema(t reflect.Type, byID []*field) *jsonschema.Schema {
	r := &jsonschema.Reflector{
		ExpandedStruct:            true,
		DoNotReference:            true,
		Anonymous:                 true,
		AllowAdditionalProperties: true,
		LookupComment: func(t reflect.Type, name string) string {
			if name == "" || t.Kind() != reflect.Struct {
				return "" // a field's doc comment describes it, not its type's
			}
			sf, ok := t.FieldByName(name)
			if !ok {
				return ""
			}
			id, err := strconv.Atoi(sf.Tag.Get(idTag))
			if err != nil || id < 0 || id >= len(byID) {
				return ""
			}
			return byID[id].doc
		},
	}
	return r.ReflectFromType(t)
}

// convert turns the reflected schema into the spec: titles derived from
// JSON names unless a title tag says otherwise, descriptions from doc
// comments on one line, defaults typed as the field, order the field's
// position unless jsonschema_extras:"order=N" says otherwise, and secret
// from jsonschema_extras:"secret=true". It returns every problem with the
// tags, each naming the field.
func convert(s *jsonschema.Schema, fields []*field) (Schema, []string) {
	c := &converter{}
	props, required := c.object(s, fields)
	return Schema{Properties: props, Required: required}, c.problems
}

type converter struct{ problems []string }

func (c *converter) problem(f *field, format string, args ...any) {
	c.problems = append(c.problems, f.where()+": "+fmt.Sprintf(format, args...))
}

// object converts the properties of one object schema.
func (c *converter) object(s *jsonschema.Schema, fields []*field) ([]Property, []string) {
	var props []Property
	for i, f := range fields {
		var ps *jsonschema.Schema
		if s != nil && s.Properties != nil {
			ps, _ = s.Properties.Get(f.json)
		}
		if ps == nil {
			c.problem(f, "the reflector produced no schema for it")
			continue
		}
		props = append(props, c.property(ps, f, i))
	}
	var required []string
	if s != nil {
		required = s.Required
	}
	return props, required
}

// property converts one field; index is its position in its struct.
func (c *converter) property(s *jsonschema.Schema, f *field, index int) Property {
	p := Property{Name: f.json, Type: s.Type, Order: index}
	if s.Type == "" || len(s.AnyOf) > 0 || len(s.OneOf) > 0 {
		c.problem(f, "a property needs exactly one JSON type for the form to render it; drop the oneof_type, anyof_type or nullable tag")
	}
	p.Title = s.Title
	if tag := tagValues(f.schemaTag, "title"); len(tag) == 0 {
		p.Title = Title(f.json)
	}
	p.Description = strings.Join(strings.Fields(s.Description), " ")
	p.Enum = s.Enum
	p.Pattern = s.Pattern
	p.UniqueItems = s.UniqueItems
	p.Minimum = number(s.Minimum)
	p.Maximum = number(s.Maximum)
	p.MinLength = count(s.MinLength)
	p.MaxLength = count(s.MaxLength)
	p.MinItems = count(s.MinItems)
	p.MaxItems = count(s.MaxItems)
	if s.Items != nil {
		p.Items = &Property{Type: s.Items.Type}
	}
	if defs := tagValues(f.schemaTag, "default"); len(defs) > 0 {
		v, err := typedDefault(f, defs)
		if err != nil {
			c.problem(f, "%v", err)
		}
		p.Default = v
	}
	extras := parseExtras(f.extrasTag)
	if v, ok := extras["secret"]; ok {
		secret, err := strconv.ParseBool(v)
		if err != nil {
			c.problem(f, "secret=%s: want secret=true", v)
		}
		p.Secret = secret
	}
	if v, ok := extras["order"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			c.problem(f, "order=%s: want an integer", v)
		}
		p.Order = n
	}
	for k := range extras {
		if k != "secret" && k != "order" {
			c.problem(f, "jsonschema_extras key %q is not one the platform reads (secret, order)", k)
		}
	}
	if f.kind == "struct" {
		p.Type = "object"
		p.Properties, p.Required = c.object(s, f.fields)
	}
	return p
}

// typedDefault turns a field's default= tag values into a JSON value of the
// field's type: default=10 on an int is 10, default=[] on a []string is
// an empty array, default=a,default=b on a []string is ["a","b"].
func typedDefault(f *field, defs []string) (any, error) {
	one := defs[len(defs)-1]
	switch f.kind {
	case "string":
		return one, nil
	case "int", "uint":
		n, err := strconv.ParseInt(one, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("default=%s is not an integer", one)
		}
		return n, nil
	case "float":
		n, err := strconv.ParseFloat(one, 64)
		if err != nil {
			return nil, fmt.Errorf("default=%s is not a number", one)
		}
		return n, nil
	case "bool":
		b, err := strconv.ParseBool(one)
		if err != nil {
			return nil, fmt.Errorf("default=%s is not true or false", one)
		}
		return b, nil
	case "slice", "array":
		if len(defs) == 1 && strings.HasPrefix(one, "[") {
			var list []string
			if err := json.Unmarshal([]byte(one), &list); err != nil {
				return nil, fmt.Errorf("default=%s is not a JSON array of strings", one)
			}
			if list == nil {
				list = []string{}
			}
			return list, nil
		}
		return defs, nil
	}
	return nil, errors.New("a default is supported on strings, numbers, booleans and arrays of strings only")
}

// tagValues returns the values of key in a jsonschema tag, which separates
// entries with commas (a literal comma escaped as \,) and may repeat keys.
func tagValues(tag, key string) []string {
	var out []string
	for _, entry := range splitTag(tag) {
		if k, v, ok := strings.Cut(entry, "="); ok && k == key {
			out = append(out, v)
		}
	}
	return out
}

// splitTag splits on commas not preceded by a backslash, unescaping them.
func splitTag(tag string) []string {
	var out []string
	var cur strings.Builder
	for i := 0; i < len(tag); i++ {
		switch {
		case tag[i] == '\\' && i+1 < len(tag) && tag[i+1] == ',':
			cur.WriteByte(',')
			i++
		case tag[i] == ',':
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(tag[i])
		}
	}
	if tag != "" {
		out = append(out, cur.String())
	}
	return out
}

// parseExtras reads a jsonschema_extras tag: key=value entries.
func parseExtras(tag string) map[string]string {
	m := map[string]string{}
	for _, entry := range splitTag(tag) {
		k, v, _ := strings.Cut(entry, "=")
		if k != "" {
			m[k] = v
		}
	}
	return m
}

func number(n json.Number) *float64 {
	if n == "" {
		return nil
	}
	f, err := n.Float64()
	if err != nil {
		return nil
	}
	return &f
}

func count(n *uint64) *int {
	if n == nil {
		return nil
	}
	v := int(*n)
	return &v
}
