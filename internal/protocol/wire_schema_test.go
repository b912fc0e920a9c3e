package protocol

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/transcript"
)

// wireTypes maps each definition of monoid_protocol.json to its Go type.
var wireTypes = map[string]reflect.Type{
	"MonoidMessage":           reflect.TypeFor[Message](),
	"MonoidQuery":             reflect.TypeFor[Query](),
	"MonoidQueryIdentifier":   reflect.TypeFor[QueryIdentifier](),
	"MonoidRecord":            reflect.TypeFor[Record](),
	"MonoidSchema":            reflect.TypeFor[Schema](),
	"MonoidSiloSpec":          reflect.TypeFor[SiloSpec](),
	"MonoidSchemasMessage":    reflect.TypeFor[SchemasMessage](),
	"MonoidValidateMessage":   reflect.TypeFor[ValidateMessage](),
	"MonoidLogMessage":        reflect.TypeFor[LogMessage](),
	"MonoidPersistenceConfig": reflect.TypeFor[PersistenceConfig](),
	"MonoidRequestResult":     reflect.TypeFor[RequestResult](),
	"MonoidRequestStatus":     reflect.TypeFor[RequestStatus](),
	"MonoidRequestHandle":     reflect.TypeFor[RequestHandle](),
	"MonoidRequestsMessage":   reflect.TypeFor[RequestsMessage](),
}

// knownRequiredDifferences are the places where this package's required
// sets deliberately differ from monoid_protocol.json, with the reason.
var knownRequiredDifferences = map[string]struct{ schemaOnly, goOnly []string }{
	// The schema requires "type", which MonoidRecord does not have (a
	// slip for record_type); every writer, the Python kit included,
	// writes record_type.
	"MonoidRecord": {schemaOnly: []string{"type"}, goOnly: []string{"record_type"}},
}

type schemaDef struct {
	Properties map[string]struct {
		Enum  []string `json:"enum"`
		Ref   string   `json:"$ref"`
		Type  string   `json:"type"`
		Items *struct {
			Ref string `json:"$ref"`
		} `json:"items"`
	} `json:"properties"`
	Required []string `json:"required"`
}

// TestWireTypesMatchProtocolSchema checks every definition, field, enum and
// required set of monoid_protocol.json against the Go wire types.
func TestWireTypesMatchProtocolSchema(t *testing.T) {
	dir, err := transcript.DataDir()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "monoid_protocol.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Definitions map[string]schemaDef `json:"definitions"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Definitions) != len(wireTypes) {
		t.Errorf("schema has %d definitions, Go has %d types", len(doc.Definitions), len(wireTypes))
	}
	for name, def := range doc.Definitions {
		typ, ok := wireTypes[name]
		if !ok {
			t.Errorf("definition %s has no Go type", name)
			continue
		}
		fields := jsonFields(typ)
		for prop, p := range def.Properties {
			f, ok := fields[prop]
			if !ok {
				t.Errorf("%s.%s: no Go field", name, prop)
				continue
			}
			if p.Enum != nil {
				e, ok := reflect.Zero(f.Type).Interface().(enum)
				if !ok {
					t.Errorf("%s.%s: Go type %s is not an enum", name, prop, f.Type)
				} else if !slices.Equal(e.enumValues(), p.Enum) {
					t.Errorf("%s.%s: Go enum %v, schema %v", name, prop, e.enumValues(), p.Enum)
				}
			}
			if ref := refName(p.Ref, p.Items); ref != "" {
				if got := elemType(f.Type); got != wireTypes[ref] {
					t.Errorf("%s.%s: Go type %s, schema refers to %s", name, prop, f.Type, ref)
				}
			}
		}
		for prop := range fields {
			if _, ok := def.Properties[prop]; !ok {
				t.Errorf("%s: Go field %s is not in the schema", name, prop)
			}
		}
		var goRequired []string
		for prop, f := range fields {
			if f.Tag.Get("wire") == "required" {
				goRequired = append(goRequired, prop)
			}
			if omit := strings.Contains(f.Tag.Get("json"), "omitempty"); omit == (f.Tag.Get("wire") == "required") && f.Type.Kind() != reflect.Struct {
				t.Errorf("%s.%s: required fields must not be omitempty and optional ones must be", name, prop)
			}
		}
		schemaOnly, goOnly := diff(def.Required, goRequired)
		known := knownRequiredDifferences[name]
		if !slices.Equal(schemaOnly, known.schemaOnly) || !slices.Equal(goOnly, known.goOnly) {
			t.Errorf("%s: required only in schema %v (known %v), only in Go %v (known %v)", name, schemaOnly, known.schemaOnly, goOnly, known.goOnly)
		}
	}
}

// TestEnumConstantsAreValues checks that each exported constant is one of
// its type's wire values.
func TestEnumConstantsAreValues(t *testing.T) {
	for _, c := range []enum{TypeSchema, TypeRecord, TypeSpec, TypeRequestResult, TypeRequestStatus, TypeValidate, TypeLog,
		RecordTypeRecord, RecordTypeFile, ValidateSuccess, ValidateFailure, StateProgress, StateComplete, StateFailed,
		DataRecords, DataFile, DataNone, RequestQuery, RequestDelete} {
		v := reflect.ValueOf(c).String()
		if !slices.Contains(c.enumValues(), v) {
			t.Errorf("%T constant %q is not among %v", c, v, c.enumValues())
		}
	}
}

func jsonFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		out[name] = f
	}
	return out
}

func refName(ref string, items *struct {
	Ref string `json:"$ref"`
}) string {
	if ref == "" && items != nil {
		ref = items.Ref
	}
	return strings.TrimPrefix(ref, "#/definitions/")
}

func elemType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t
}

// diff returns the sorted elements only in a and only in b.
func diff(a, b []string) (onlyA, onlyB []string) {
	for _, x := range a {
		if !slices.Contains(b, x) {
			onlyA = append(onlyA, x)
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			onlyB = append(onlyB, x)
		}
	}
	slices.Sort(onlyA)
	slices.Sort(onlyB)
	return onlyA, onlyB
}
