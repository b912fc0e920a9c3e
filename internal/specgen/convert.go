// Package specgen derives spec.json from a connector's Config struct: it
// turns what configschema reflects into a spec.Schema, checking that the
// platform's form can render every field, and runs the reflection inside
// the user's own build (see Generate).
package specgen

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/monoid-gen/monoid-gen/internal/configschema"
	"github.com/monoid-gen/monoid-gen/internal/spec"
)

// LintError lists every field of Config that the platform's form cannot
// render, each with its Go field, its type and why.
type LintError struct{ Problems []string }

func (e *LintError) Error() string {
	return "Config cannot be rendered by the platform's form:\n  " + strings.Join(e.Problems, "\n  ")
}

// Convert turns a Config's description into the spec: titles derived from
// JSON names unless a title tag says otherwise, descriptions from doc
// comments, defaults typed as the field, order the field's position unless
// jsonschema_extras:"order=N" says otherwise, and secret from
// jsonschema_extras:"secret=true". Every problem is collected and returned
// together as a *LintError.
func Convert(d *configschema.Description) (spec.Schema, error) {
	c := &converter{}
	props, required := c.object(d.Schema, d.Fields, "Config")
	if len(c.problems) > 0 {
		return spec.Schema{}, &LintError{Problems: c.problems}
	}
	return spec.Schema{Properties: props, Required: required}, nil
}

type converter struct{ problems []string }

func (c *converter) problem(f configschema.Field, format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf("%s (%s): %s", f.GoPath, f.GoType, fmt.Sprintf(format, args...)))
}

// object converts the properties of one object schema.
func (c *converter) object(s *jsonschema.Schema, fields []configschema.Field, where string) ([]spec.Property, []string) {
	var props []spec.Property
	orders := map[int]string{}
	for i, f := range fields {
		var ps *jsonschema.Schema
		if s != nil && s.Properties != nil {
			ps, _ = s.Properties.Get(f.JSON)
		}
		if ps == nil {
			c.problem(f, "the reflector produced no schema for it")
			continue
		}
		p := c.property(ps, f, i)
		if prev, dup := orders[p.Order]; dup {
			c.problem(f, "order %d is also the order of %s; each field needs its own", p.Order, prev)
		}
		orders[p.Order] = f.GoPath
		props = append(props, p)
	}
	var required []string
	if s != nil {
		for _, r := range s.Required {
			found := false
			for _, f := range fields {
				found = found || f.JSON == r
			}
			if !found {
				c.problems = append(c.problems, fmt.Sprintf("%s: required names %q, which is not one of its properties", where, r))
				continue
			}
			required = append(required, r)
		}
	}
	return props, required
}

// property converts one field; index is its position in its struct.
func (c *converter) property(s *jsonschema.Schema, f configschema.Field, index int) spec.Property {
	p := spec.Property{Name: f.JSON, Type: s.Type, Order: index}
	switch {
	case f.Kind == "map":
		c.problem(f, "a map cannot be rendered by the form; use a struct with named fields")
	case f.Kind == "interface":
		c.problem(f, "an interface has no single JSON type; use a concrete type")
	case (f.Kind == "slice" || f.Kind == "array") && f.ElemKind != "string":
		c.problem(f, "the form renders arrays of strings only")
	case s.Type == "" || len(s.AnyOf) > 0 || len(s.OneOf) > 0:
		c.problem(f, "a property needs exactly one JSON type for the form to render it")
	}
	p.Title = s.Title
	if tag := tagValues(f.SchemaTag, "title"); len(tag) == 0 {
		p.Title = spec.Title(f.JSON)
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
		p.Items = &spec.Property{Type: s.Items.Type}
	}
	if defs := tagValues(f.SchemaTag, "default"); len(defs) > 0 {
		v, err := typedDefault(f, defs)
		if err != nil {
			c.problem(f, "%v", err)
		}
		p.Default = v
	}
	extras := parseExtras(f.ExtrasTag)
	if v, ok := extras["secret"]; ok {
		secret, err := strconv.ParseBool(v)
		switch {
		case err != nil:
			c.problem(f, "secret=%s: want secret=true", v)
		case secret && f.Kind != "string":
			c.problem(f, "secret is allowed on strings only: the form renders a secret as a password input")
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
	if f.Kind == "struct" {
		p.Type = "object"
		p.Properties, p.Required = c.object(s, f.Properties, f.GoPath)
	}
	return p
}

// typedDefault turns a field's default= tag values into a JSON value of the
// field's type: default=10 on an int is 10, default=[] on a []string is
// an empty array, default=a,default=b on a []string is ["a","b"].
func typedDefault(f configschema.Field, defs []string) (any, error) {
	one := defs[len(defs)-1]
	switch f.Kind {
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
