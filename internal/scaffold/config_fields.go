package scaffold

import (
	"fmt"
	"strings"

	"github.com/monoid-gen/monoid-gen/internal/spec"
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
	Title    string // the form label
	Default  any    // nil for none
	Secret   bool
	Required bool
}

// configFields are the Config fields of each project template. The memory
// template's are the reference connector's (../shared/monoid/reference).
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

// specSchema is the spec of a template's Config.
func specSchema(fields []configField) spec.Schema {
	var s spec.Schema
	for i, f := range fields {
		s.Properties = append(s.Properties, spec.Property{
			Name:        f.JSONName,
			Type:        jsonType(f.GoType),
			Title:       f.Title,
			Description: f.Doc,
			Default:     f.Default,
			Secret:      f.Secret,
			Order:       i,
		})
		if f.Required {
			s.Required = append(s.Required, f.JSONName)
		}
	}
	return s
}

// jsonType is the JSON Schema type of a Go type used in configFields.
func jsonType(goType string) string {
	switch goType {
	case "int", "int64":
		return "integer"
	case "float64":
		return "number"
	case "bool":
		return "boolean"
	}
	return "string"
}
