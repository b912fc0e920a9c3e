package protocol

import (
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
)

// The $schema values a Validator accepts: those the validator implements.
// A schema that names none is read as draft-07, the protocol's draft.
const (
	draft07     = "http://json-schema.org/draft-07/schema#"
	draft07TLS  = "https://json-schema.org/draft-07/schema#"
	draft202012 = "https://json-schema.org/draft/2020-12/schema"
)

// schemaBase is the base URI schemas are resolved against, so that a
// relative $id (monoid_protocol.json has one) resolves; it appears nowhere
// in messages.
const schemaBase = "file:///monoid/"

// Validator checks JSON values against one JSON Schema, draft-07 or
// 2020-12 (draft-07 when the schema does not say). The runner checks
// configs with it and the conformance checks check records; the Monoid
// keywords secret and order, and any other unknown keyword, are ignored.
//
// Its errors name each field at fault and the rule it breaks, and never
// show the value: a config holds passwords and keys, a record holds
// personal data, and both end up in the platform's logs.
type Validator struct {
	schema   *jsonschema.Schema
	resolved *jsonschema.Resolved
}

// NewValidator reads and resolves schema, a JSON Schema document. It
// fails on a schema the validator cannot use: not an object, a keyword of
// the wrong type, a $ref that leads nowhere, a default that breaks its own
// schema, a $schema other than draft-07 or 2020-12.
func NewValidator(schema []byte) (*Validator, error) {
	var s jsonschema.Schema
	if err := json.Unmarshal(schema, &s); err != nil {
		return nil, err
	}
	switch s.Schema {
	case "":
		s.Schema = draft07
	case draft07, draft07TLS, draft202012:
	default:
		return nil, fmt.Errorf("$schema %q is not supported: use %s (or 2020-12)", s.Schema, draft07)
	}
	r, err := s.Resolve(&jsonschema.ResolveOptions{BaseURI: schemaBase, ValidateDefaults: true})
	if err != nil {
		return nil, err
	}
	return &Validator{schema: &s, resolved: r}, nil
}

// ValidationError lists what is wrong with a value, one violation per
// entry, each naming the field (a dotted path, "" for the value itself)
// and the rule, never the value.
type ValidationError struct {
	Violations []string
}

func (e *ValidationError) Error() string { return strings.Join(e.Violations, "; ") }

// Validate checks value, a value as encoding/json decodes into an any
// (map[string]any, []any, float64, ...). The error is a *ValidationError.
func (v *Validator) Validate(value any) error {
	err := v.resolved.Validate(value)
	if err == nil {
		return nil
	}
	// The validator stops at the first violation, met in map order, and
	// its messages quote the value. Describe the violations here instead,
	// in a stable order and in words of our own.
	return &ValidationError{Violations: v.violations(value, err)}
}

// violations lists what is wrong with value. Each property of an object
// is checked alone, against the schema with no required properties, so
// that every bad property is found, and the missing ones are listed from
// the schema's required lists; err, the whole value's error, is described
// when that finds nothing (a rule on the object as a whole).
func (v *Validator) violations(value any, err error) []string {
	doc, ok := value.(map[string]any)
	if !ok {
		_, _, msg := v.describe(value, err)
		return []string{msg}
	}
	loose := v.schema.CloneSchemas()
	for s := range allSchemas(loose) {
		s.Required = nil
	}
	looseResolved, lerr := loose.Resolve(&jsonschema.ResolveOptions{BaseURI: schemaBase})
	var out []string
	if lerr == nil {
		out = missing(v.schema, doc, "")
		for _, leaf := range leaves(v.schema, doc, nil) {
			alone := isolate(leaf.path, leaf.value)
			err := looseResolved.Validate(alone)
			if err == nil {
				continue
			}
			// A rule of an enclosing object (minProperties, say) may
			// fail on the isolated value alone: only what lies at the
			// leaf counts here, and the leaf's own name, where its
			// object allows no other properties.
			keyword, field, msg := v.describe(alone, err)
			name := strings.Join(leaf.path, ".")
			parent := strings.Join(leaf.path[:len(leaf.path)-1], ".")
			if field == name || strings.HasPrefix(field, name+".") || strings.HasPrefix(field, name+"[]") ||
				keyword == "additionalProperties" && field == parent {
				out = append(out, msg)
			}
		}
	}
	if len(out) == 0 {
		_, _, msg := v.describe(value, err)
		out = append(out, msg)
	}
	return out
}

// allSchemas yields s and the schemas under its properties, those a
// config's fields are checked against.
func allSchemas(s *jsonschema.Schema) iter.Seq[*jsonschema.Schema] {
	return func(yield func(*jsonschema.Schema) bool) {
		var walk func(*jsonschema.Schema) bool
		walk = func(s *jsonschema.Schema) bool {
			if s == nil {
				return true
			}
			if !yield(s) {
				return false
			}
			for _, name := range sortedKeys(s.Properties) {
				if !walk(s.Properties[name]) {
					return false
				}
			}
			return true
		}
		walk(s)
	}
}

// missing lists the required properties absent from doc, following the
// object properties present in it.
func missing(s *jsonschema.Schema, doc map[string]any, prefix string) []string {
	var out []string
	for _, name := range s.Required {
		if _, ok := doc[name]; !ok {
			out = append(out, prefix+name+": required property missing")
		}
	}
	for _, name := range sortedKeys(s.Properties) {
		if sub, ok := doc[name].(map[string]any); ok {
			out = append(out, missing(s.Properties[name], sub, prefix+name+".")...)
		}
	}
	return out
}

// leaf is one property of a value, not itself an object the schema
// describes property by property.
type leaf struct {
	path  []string
	value any
}

// leaves lists the properties of doc, in name order, descending into
// objects whose schema lists properties.
func leaves(s *jsonschema.Schema, doc map[string]any, prefix []string) []leaf {
	var out []leaf
	for _, name := range sortedKeys(doc) {
		path := append(slices.Clip(prefix), name)
		sub, isObj := doc[name].(map[string]any)
		if ps := s.Properties[name]; ps != nil && isObj && len(ps.Properties) > 0 {
			out = append(out, leaves(ps, sub, path)...)
			continue
		}
		out = append(out, leaf{path, doc[name]})
	}
	return out
}

// isolate returns the object that holds value at path and nothing else.
func isolate(path []string, value any) any {
	for i := len(path) - 1; i >= 0; i-- {
		value = map[string]any{path[i]: value}
	}
	return value
}

// describe turns the validator's error for value into the keyword that
// failed, the field at fault and a message "field: rule", made from the
// keyword and the schema it belongs to, never from the validator's text,
// which quotes the value.
func (v *Validator) describe(value any, err error) (keyword, field, msg string) {
	keyword, pointers := failure(err)
	// The innermost schema is the one whose keyword failed. The field is
	// spelled by the innermost pointer through properties and items alone:
	// a $ref target's pointer (/definitions/port) names no field.
	var s *jsonschema.Schema
	exact := false // whether field is where s applies, not a property enclosing it
	for i := len(pointers) - 1; i >= 0; i-- {
		ss, f, isField := v.lookup(pointers[i])
		if i == len(pointers)-1 {
			s = ss
			// A definition reached by a $ref applies where the $ref is.
			exact = isField || i > 0 && strings.Count(pointers[i], "/") == 2
		}
		if isField {
			field = f
			exact = exact && i >= len(pointers)-2
			break
		}
	}
	at := func(msg string) (string, string, string) {
		if field == "" {
			return keyword, field, msg
		}
		return keyword, field, field + ": " + msg
	}
	if s == nil {
		return at(fmt.Sprintf("does not satisfy the schema's %q", keyword))
	}
	got, found := valueAt(value, field)
	found = found && exact
	switch keyword {
	case "type":
		want := s.Type
		if want == "" {
			want = strings.Join(s.Types, " or ")
		}
		if !found {
			return at("want " + want)
		}
		return at(fmt.Sprintf("got %s, want %s", jsonTypeOf(got), want))
	case "enum":
		return at("is not one of " + listJSON(s.Enum))
	case "const":
		return at("is not the value the schema fixes")
	case "pattern":
		return at(fmt.Sprintf("does not match pattern %q", s.Pattern))
	case "minLength":
		return at(fmt.Sprintf("shorter than %d characters", *s.MinLength))
	case "maxLength":
		return at(fmt.Sprintf("longer than %d characters", *s.MaxLength))
	case "minimum":
		return at("less than " + number(*s.Minimum))
	case "maximum":
		return at("greater than " + number(*s.Maximum))
	case "exclusiveMinimum":
		return at("not greater than " + number(*s.ExclusiveMinimum))
	case "exclusiveMaximum":
		return at("not less than " + number(*s.ExclusiveMaximum))
	case "multipleOf":
		return at("not a multiple of " + number(*s.MultipleOf))
	case "minItems":
		return at(fmt.Sprintf("fewer than %d items", *s.MinItems))
	case "maxItems":
		return at(fmt.Sprintf("more than %d items", *s.MaxItems))
	case "uniqueItems":
		return at("items are not unique")
	case "required":
		if obj, ok := got.(map[string]any); ok {
			var absent []string
			for _, name := range s.Required {
				if _, ok := obj[name]; !ok {
					absent = append(absent, name)
				}
			}
			return at("missing required " + strings.Join(absent, ", "))
		}
	case "additionalProperties":
		if obj, ok := got.(map[string]any); ok && len(s.PatternProperties) == 0 {
			var extra []string
			for _, k := range sortedKeys(obj) {
				if _, known := s.Properties[k]; !known {
					extra = append(extra, k)
				}
			}
			return at("unknown properties " + strings.Join(extra, ", "))
		}
	}
	if keyword == "" {
		return at("does not satisfy the schema")
	}
	return at(fmt.Sprintf("does not satisfy the schema's %q", keyword))
}

// failure reads a validator error, "validating root: validating
// /properties/a: pattern: ...", each "validating" a wrapping of the next:
// the keyword that failed ("" when the text names none) and the JSON
// pointers of the schemas it went through, "" for the root.
func failure(err error) (keyword string, pointers []string) {
	for {
		inner := errors.Unwrap(err)
		if inner == nil {
			break
		}
		if at, ok := strings.CutPrefix(strings.TrimSuffix(err.Error(), ": "+inner.Error()), "validating "); ok {
			if !strings.HasPrefix(at, "/") {
				at = "" // the root, by its $id or as "root"
			}
			pointers = append(pointers, at)
		}
		err = inner
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "unexpected additional properties") {
		return "additionalProperties", pointers
	}
	keyword, _, _ = strings.Cut(msg, ":")
	if strings.ContainsAny(keyword, " \"") {
		keyword = ""
	}
	return keyword, pointers
}

// lookup finds the schema at pointer, through properties, items and the
// root's definitions, and the field path it spells ("a.b" for
// /properties/a/properties/b, "a[]" for /properties/a/items). isField is
// false for a pointer through anything but properties and items; s is nil
// for one through anything else (allOf, say).
func (v *Validator) lookup(pointer string) (s *jsonschema.Schema, field string, isField bool) {
	s, isField = v.schema, true
	if pointer == "" {
		return s, "", true
	}
	segs := strings.Split(strings.TrimPrefix(pointer, "/"), "/")
	unescape := strings.NewReplacer("~1", "/", "~0", "~")
	for i := 0; i < len(segs) && s != nil; i++ {
		switch seg := segs[i]; {
		case seg == "properties" && i+1 < len(segs):
			name := unescape.Replace(segs[i+1])
			s = s.Properties[name]
			if field != "" {
				field += "."
			}
			field += name
			i++
		case seg == "items":
			s = s.Items
			field += "[]"
		case i == 0 && (seg == "definitions" || seg == "$defs") && len(segs) > 1:
			name := unescape.Replace(segs[1])
			s = v.schema.Definitions[name]
			if seg == "$defs" {
				s = v.schema.Defs[name]
			}
			isField = false
			i++
		default:
			s = nil
		}
	}
	return s, field, isField && s != nil
}

// valueAt follows the dotted field path into value; a path through an
// array item ("[]") or to nothing is not found.
func valueAt(value any, field string) (any, bool) {
	if field == "" {
		return value, true
	}
	for _, name := range strings.Split(field, ".") {
		m, ok := value.(map[string]any)
		if !ok {
			return nil, false
		}
		if value, ok = m[name]; !ok {
			return nil, false
		}
	}
	return value, true
}

// jsonTypeOf names the JSON type of a decoded value, as the type keyword
// spells types.
func jsonTypeOf(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "another type"
}

// listJSON lists schema values (from the schema, not the instance) as
// JSON, comma-separated.
func listJSON(vals []any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		b, _ := json.Marshal(v)
		parts[i] = string(b)
	}
	return strings.Join(parts, ", ")
}

func number(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
