package scaffold

import (
	"fmt"
	"strings"

	"github.com/monoid-gen/monoid-gen/internal/configspec"
)

// configField is one field of a skeleton template's Config struct, from
// which config.go is rendered.
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
