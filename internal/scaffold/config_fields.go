package scaffold

import (
	"fmt"
	"strings"

	"github.com/monoid-gen/monoid-gen/internal/configspec"
)

// configField is one field of a project template's Config struct, as
// config.go declares it. spec.json is derived from the rendered config.go
// (see renderSpec), as `monoid-gen spec` derives it afterwards.
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
	if f.Title != configspec.Title(f.JSONName) {
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
