// Package configschema reflects a connector's Config struct into the facts
// spec.json is derived from: the JSON Schema that invopop/jsonschema makes
// of it, and what only the Go types know (each field's Go name and type,
// its raw tags), for error messages and typed defaults.
//
// It runs inside the user's build: `monoid-gen spec` copies these sources,
// verbatim, into a temporary generator program compiled against the user's
// module, so that the reflection sees the user's current code while the
// connector itself never links the reflector.
package configschema

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/invopop/jsonschema"
)

// Description is what Describe learns of a Config type.
type Description struct {
	// Schema is invopop's schema of the type: one inline tree, properties
	// in struct order, descriptions from doc comments.
	Schema *jsonschema.Schema `json:"schema"`
	// Fields are the type's fields as encoding/json sees them, in the
	// same order as Schema's properties.
	Fields []Field `json:"fields"`
}

// Field is one JSON property of a struct, with the Go facts behind it.
type Field struct {
	JSON       string  `json:"json"`       // the JSON name
	GoPath     string  `json:"go_path"`    // Config.TLS.CA
	GoType     string  `json:"go_type"`    // []string
	Kind       string  `json:"kind"`       // string, int, uint, float, bool, slice, array, map, struct, interface, other
	ElemKind   string  `json:"elem_kind"`  // for slices and arrays
	OmitEmpty  bool    `json:"omitempty"`  // json tag has omitempty or omitzero
	SchemaTag  string  `json:"schema_tag"` // the raw jsonschema tag
	ExtrasTag  string  `json:"extras_tag"` // the raw jsonschema_extras tag
	Properties []Field `json:"properties"` // for structs
}

// Describe reflects v, a pointer to a Config struct. Doc comments become
// descriptions: Describe reads the Go files under dir, relative to the
// current directory, and invopop keys their comments by
// path.Join(base, the file's directory), which must be the import path of
// v's package. From a module root, base is the module path and dir the
// package's directory.
func Describe(v any, base, dir string) (*Description, error) {
	return describe(v, func(r *jsonschema.Reflector) error {
		if err := r.AddGoComments(base, dir); err != nil {
			return fmt.Errorf("read doc comments in %s: %w", dir, err)
		}
		return nil
	})
}

// DescribeType is Describe for a struct whose source is not on disk, such
// as one built with reflect.StructOf: doc returns the doc comment of a
// top-level field, by Go name.
func DescribeType(v any, doc func(field string) string) (*Description, error) {
	return describe(v, func(r *jsonschema.Reflector) error {
		r.LookupComment = func(_ reflect.Type, field string) string {
			if field == "" {
				return ""
			}
			return doc(field)
		}
		return nil
	})
}

// describe reflects v with the reflector configuration spec.json needs: one
// inline tree, properties in struct order, no $id, no
// additionalProperties:false. comments sets up where descriptions come
// from.
func describe(v any, comments func(*jsonschema.Reflector) error) (*Description, error) {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("the Config type must be a struct, not %s", t)
	}
	name := t.Name()
	if name == "" {
		name = "Config"
	}
	fields, err := describeStruct(t, name, map[reflect.Type]bool{t: true})
	if err != nil {
		return nil, err
	}
	r := &jsonschema.Reflector{
		ExpandedStruct:            true,
		DoNotReference:            true,
		Anonymous:                 true,
		AllowAdditionalProperties: true,
	}
	if err := comments(r); err != nil {
		return nil, err
	}
	return &Description{Schema: r.Reflect(v), Fields: fields}, nil
}

// describeStruct lists the JSON properties of struct type t. seen holds
// the struct types on the path from Config: a type that contains itself
// cannot be inlined, and would make the reflector recurse forever.
func describeStruct(t reflect.Type, path string, seen map[reflect.Type]bool) ([]Field, error) {
	var out []Field
	for i := range t.NumField() {
		sf := t.Field(i)
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" && opts == "" || sf.Tag.Get("jsonschema") == "-" {
			continue // not in the JSON, or kept out of the schema
		}
		ft := sf.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			// Embedded struct: encoding/json promotes its fields.
			if seen[ft] {
				return nil, fmt.Errorf("%s.%s (type %s) contains itself: the form cannot render a recursive config", path, sf.Name, sf.Type)
			}
			seen[ft] = true
			inner, err := describeStruct(ft, path, seen)
			delete(seen, ft)
			if err != nil {
				return nil, err
			}
			out = append(out, inner...)
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		f := Field{
			JSON:      name,
			GoPath:    path + "." + sf.Name,
			GoType:    sf.Type.String(),
			Kind:      kindOf(ft),
			OmitEmpty: strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,"),
			SchemaTag: sf.Tag.Get("jsonschema"),
			ExtrasTag: sf.Tag.Get("jsonschema_extras"),
		}
		if ft.Kind() == reflect.Slice || ft.Kind() == reflect.Array {
			et := ft.Elem()
			for et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			f.ElemKind = kindOf(et)
			if et.Kind() == reflect.Struct && seen[et] {
				return nil, fmt.Errorf("%s (type %s) contains itself: the form cannot render a recursive config", f.GoPath, sf.Type)
			}
		}
		if f.Kind == "struct" {
			if seen[ft] {
				return nil, fmt.Errorf("%s (type %s) contains itself: the form cannot render a recursive config", f.GoPath, sf.Type)
			}
			seen[ft] = true
			props, err := describeStruct(ft, f.GoPath, seen)
			delete(seen, ft)
			if err != nil {
				return nil, err
			}
			f.Properties = props
		}
		out = append(out, f)
	}
	return out, nil
}

// kindOf names the JSON-relevant kind of t. Types that encode themselves
// (time.Time, json.Marshaler) count as "other".
func kindOf(t reflect.Type) string {
	if t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType) ||
		t.Implements(textMarshalerType) || reflect.PointerTo(t).Implements(textMarshalerType) {
		return "other"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "int"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "uint"
	case reflect.Float32, reflect.Float64:
		return "float"
	case reflect.Bool:
		return "bool"
	case reflect.Slice:
		return "slice"
	case reflect.Array:
		return "array"
	case reflect.Map:
		return "map"
	case reflect.Struct:
		return "struct"
	case reflect.Interface:
		return "interface"
	}
	return "other"
}

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[interface{ MarshalText() ([]byte, error) }]()
)
