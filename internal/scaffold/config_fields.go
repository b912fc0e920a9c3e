package scaffold

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/monoid-gen/monoid-gen/internal/configschema"
	"github.com/monoid-gen/monoid-gen/internal/spec"
	"github.com/monoid-gen/monoid-gen/internal/specgen"
)

// configField is one field of a project template's Config struct. Both
// config.go and spec.json are rendered from these, so the two agree from
// the first commit; afterwards Config is the source and `monoid-gen spec`
// derives spec.json from it.
type configField struct {
	GoName   string // Hostname
	JSONName string // hostname
	GoType   string // string, int, bool
	Doc      string // the doc comment, also the spec's description
	Title    string // the form label, written as a tag when it differs from the derived one
	Default  any    // nil for none
	Secret   bool
	Required bool
}

// configFields are the Config fields of each project template. The memory
// template's are the reference connector's (testdata/monoid/reference).
var configFields = map[string][]configField{
	"stub": {
		{GoName: "Hostname", JSONName: "hostname", GoType: "string", Title: "Hostname", Required: true,
			Doc: "Host name of the service to connect to."},
		{GoName: "APIKey", JSONName: "api_key", GoType: "string", Title: "API Key", Required: true, Secret: true,
			Doc: "Key used to authenticate with the service."},
	},
	"memory": {
		{GoName: "Hostname", JSONName: "hostname", GoType: "string", Title: "Hostname", Required: true,
			Doc: "Host name of the service to connect to."},
		{GoName: "APIKey", JSONName: "api_key", GoType: "string", Title: "API Key", Required: true, Secret: true,
			Doc: "Key used to authenticate with the service."},
		{GoName: "NumRecords", JSONName: "num_records", GoType: "int", Title: "Records per Store", Default: 10,
			Doc: "How many example records each data store holds."},
	},
}

// Tag is the field's struct tag: encoding/json's name, and invopop
// jsonschema's keywords where the default derivation would differ.
func (f configField) Tag() string {
	json := f.JSONName
	if !f.Required {
		json += ",omitempty"
	}
	tag := fmt.Sprintf("json:%q", json)
	var keywords []string
	if f.Title != spec.Title(f.JSONName) {
		keywords = append(keywords, "title="+strings.ReplaceAll(f.Title, ",", `\,`))
	}
	if f.Default != nil {
		keywords = append(keywords, fmt.Sprintf("default=%v", f.Default))
	}
	if len(keywords) > 0 {
		tag += fmt.Sprintf(" jsonschema:%q", strings.Join(keywords, ","))
	}
	if f.Secret {
		tag += ` jsonschema_extras:"secret=true"`
	}
	return "`" + tag + "`"
}

// specSchema derives the spec of a template's Config the way
// `monoid-gen spec` derives it from config.go: the struct that config.go
// declares is built with reflect.StructOf (same names, types, tags and doc
// comments), reflected by configschema and converted by specgen. Only the
// compiling is skipped, which keeps `new` fast.
func specSchema(fields []configField) (spec.Schema, error) {
	sfs := make([]reflect.StructField, len(fields))
	docs := map[string]string{}
	for i, f := range fields {
		t, ok := goTypes[f.GoType]
		if !ok {
			return spec.Schema{}, fmt.Errorf("config field %s: no reflect type for %s", f.GoName, f.GoType)
		}
		tag := strings.Trim(f.Tag(), "`")
		sfs[i] = reflect.StructField{Name: f.GoName, Type: t, Tag: reflect.StructTag(tag)}
		docs[f.GoName] = f.Doc
	}
	v := reflect.New(reflect.StructOf(sfs)).Interface()
	d, err := configschema.DescribeType(v, func(field string) string { return docs[field] })
	if err != nil {
		return spec.Schema{}, err
	}
	return specgen.Convert(d)
}

// goTypes are the Go types template Config fields use.
var goTypes = map[string]reflect.Type{
	"string":   reflect.TypeFor[string](),
	"int":      reflect.TypeFor[int](),
	"bool":     reflect.TypeFor[bool](),
	"float64":  reflect.TypeFor[float64](),
	"[]string": reflect.TypeFor[[]string](),
}
