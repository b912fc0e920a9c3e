package scaffold

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"reflect"
	"strconv"
	"strings"

	"github.com/monoid-gen/monoid-gen/internal/configschema"
	"github.com/monoid-gen/monoid-gen/internal/spec"
	"github.com/monoid-gen/monoid-gen/internal/specgen"
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

// specFromSource derives the spec of the Config that config.go's source
// declares, the way `monoid-gen spec` derives it: the struct is built with
// reflect.StructOf (same names, types, tags and doc comments), reflected
// by configschema and converted by specgen. Only compiling is skipped,
// which keeps `new` fast; the fields may use the types of goTypes.
func specFromSource(src []byte) (spec.Schema, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "config.go", src, parser.ParseComments)
	if err != nil {
		return spec.Schema{}, err
	}
	var st *ast.StructType
	ast.Inspect(f, func(n ast.Node) bool {
		if ts, ok := n.(*ast.TypeSpec); ok && ts.Name.Name == "Config" {
			st, _ = ts.Type.(*ast.StructType)
		}
		return st == nil
	})
	if st == nil {
		return spec.Schema{}, fmt.Errorf("config.go declares no Config struct")
	}
	var sfs []reflect.StructField
	docs := map[string]string{}
	for _, fld := range st.Fields.List {
		typ := types.ExprString(fld.Type)
		t, ok := goTypes[typ]
		if !ok || len(fld.Names) != 1 {
			return spec.Schema{}, fmt.Errorf("config field %s: no reflect type for %s", types.ExprString(fld.Type), typ)
		}
		var tag string
		if fld.Tag != nil {
			tag, _ = strconv.Unquote(fld.Tag.Value)
		}
		name := fld.Names[0].Name
		sfs = append(sfs, reflect.StructField{Name: name, Type: t, Tag: reflect.StructTag(tag)})
		docs[name] = strings.TrimSpace(fld.Doc.Text())
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
