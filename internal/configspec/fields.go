package configspec

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// field is one JSON property of a struct, with the Go facts behind it.
type field struct {
	json      string // the JSON name
	goPath    string // Config.TLS.CA
	goType    string // the type as the source writes it: []string, *TLSConfig
	pos       token.Position
	kind      string // string, int, uint, float, bool, slice, array or struct, after pointers and names
	doc       string // the field's doc comment, or its line comment
	schemaTag string // the raw jsonschema tag
	extrasTag string // the raw jsonschema_extras tag
	fields    []*field
}

// where names the field in a message: file:line:col: Go path (Go type).
func (f *field) where() string {
	return fmt.Sprintf("%s: %s (%s)", f.pos, f.goPath, f.goType)
}

// idTag is the struct tag that ties each field of the built type to its
// facts: the index into walker.fields. Reflection reads it to find a
// field's doc comment. It also keeps two Go structs with the same fields
// from being one reflect type, which reflect.StructOf would otherwise make
// them, doc comments and all.
const idTag = "configspec"

// walker builds, from Config's go/types struct, the equivalent type with
// reflect.StructOf and the facts of each field, and collects every
// problem with the Go types on the way.
type walker struct {
	p        *pkg
	root     *field // Config itself
	fields   []*field
	problems []string
	onPath   map[*types.TypeName]bool // the named types from Config down to here, against recursion
}

func (w *walker) problem(f *field, format string, args ...any) {
	w.problems = append(w.problems, f.where()+": "+fmt.Sprintf(format, args...))
}

// config finds the type Config in the package and walks it.
func (w *walker) config() (reflect.Type, []*field, error) {
	obj, _ := w.p.types.Scope().Lookup("Config").(*types.TypeName)
	if obj == nil {
		return nil, nil, fmt.Errorf("package %s declares no type Config: spec.json is derived from it; declare type Config struct { ... }", w.p.types.Name())
	}
	root := &field{goPath: "Config", goType: "struct", pos: w.p.fset.Position(obj.Pos())}
	w.root = root
	if n, ok := types.Unalias(obj.Type()).(*types.Named); ok && n.TypeParams().Len() > 0 {
		return nil, nil, fmt.Errorf("%s: Config has type parameters: declare it as a plain struct", root.pos)
	}
	st, ok := obj.Type().Underlying().(*types.Struct)
	if !ok {
		return nil, nil, fmt.Errorf("%s: Config is %s, not a struct: spec.json is derived from the fields of a struct", root.pos, types.TypeString(obj.Type().Underlying(), nil))
	}
	w.onPath = map[*types.TypeName]bool{obj: true}
	w.decodesItself(root, obj.Type())
	t, fields := w.structOf(st, "Config")
	return t, fields, nil
}

// structOf returns the reflect type of struct st, reached at goPath, and
// the facts of its JSON properties: embedded structs' fields promoted as
// encoding/json promotes them, fields out of the JSON or out of the schema
// left out.
func (w *walker) structOf(st *types.Struct, goPath string) (reflect.Type, []*field) {
	var fields []*field
	var sfs []reflect.StructField
	w.collect(st, goPath, &fields, &sfs)
	// Two properties with one name: spec.json would hold the key twice,
	// and encoding/json would fill one field, or neither.
	byName := map[string]*field{}
	for _, f := range fields {
		if prev := byName[f.json]; prev != nil {
			w.problem(f, "its JSON name %q is also that of %s: spec.json would hold the key twice and the connector would read one of them, or neither; give one of them another json name", f.json, prev.goPath)
			continue
		}
		byName[f.json] = f
	}
	return reflect.StructOf(sfs), fields
}

// collect appends the JSON properties of st to fields, and their
// reflect.StructFields to sfs, descending into embedded structs.
func (w *walker) collect(st *types.Struct, goPath string, fields *[]*field, sfs *[]reflect.StructField) {
	syntax := fieldSyntax(w.p.structs[st], st.NumFields())
	for i := range st.NumFields() {
		v := st.Field(i)
		tag := reflect.StructTag(st.Tag(i))
		jsonTag := tag.Get("json")
		if jsonTag == "-" || tag.Get("jsonschema") == "-" {
			continue // not in the JSON, or kept out of the schema
		}
		name, opts, _ := strings.Cut(jsonTag, ",")
		f := &field{
			goPath:    goPath + "." + v.Name(),
			goType:    types.TypeString(v.Type(), types.RelativeTo(w.p.types)),
			pos:       w.p.fset.Position(v.Pos()),
			schemaTag: tag.Get("jsonschema"),
			extrasTag: tag.Get("jsonschema_extras"),
		}
		var typeExpr ast.Node
		if af := syntax[i]; af != nil {
			f.goType = types.ExprString(af.Type)
			f.doc = strings.TrimSpace(af.Doc.Text())
			if f.doc == "" {
				f.doc = strings.TrimSpace(af.Comment.Text())
			}
			typeExpr = af.Type
		}
		if v.Embedded() && name == "" {
			t, ptr := deref(v.Type())
			if s, ok := t.Underlying().(*types.Struct); ok {
				// encoding/json promotes the fields of an embedded struct.
				tn := typeName(t)
				switch {
				case ptr && tn != nil && !tn.Exported():
					w.problem(f, "encoding/json cannot set an embedded pointer to an unexported struct; embed %s itself", tn.Name())
				case w.enter(f, t, tn):
					w.collect(s, f.goPath, fields, sfs)
					delete(w.onPath, tn)
				}
				continue
			}
		}
		if !v.Exported() {
			continue // encoding/json ignores it
		}
		f.json = name
		if name == "" {
			f.json = v.Name()
		}
		if name == "-" {
			w.problem(f, `the JSON name "-" (json:"-,") reads as "leave out" to the schema reflector; choose another name`)
			continue
		}
		for _, o := range strings.Split(opts, ",") {
			if o == "string" {
				w.problem(f, "the json option string makes encoding/json want the value quoted, which the form does not do; remove ,string")
			}
		}
		t, ok := w.typeOf(f, v.Type(), typeExpr)
		if !ok {
			continue
		}
		id := len(w.fields)
		w.fields = append(w.fields, f)
		*fields = append(*fields, f)
		*sfs = append(*sfs, reflect.StructField{
			Name: "F" + strconv.Itoa(len(*sfs)),
			Type: t,
			Tag:  builtTag(f.json, opts, tag, id),
		})
	}
}

// builtTag is the tag of a field of the built struct: its JSON name and
// the options invopop reads as encoding/json does (omitempty, omitzero:
// not required), the author's jsonschema tags as they are, and the field's
// id. Other json options are dropped: invopop would inline a field tagged
// ",inline", which encoding/json does not.
func builtTag(name, opts string, tag reflect.StructTag, id int) reflect.StructTag {
	jsonTag := name
	for _, o := range strings.Split(opts, ",") {
		if o == "omitempty" || o == "omitzero" {
			jsonTag += "," + o
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "json:%s", strconv.Quote(jsonTag))
	for _, key := range []string{"jsonschema", "jsonschema_extras", "jsonschema_description"} {
		if v, ok := tag.Lookup(key); ok {
			fmt.Fprintf(&b, " %s:%s", key, strconv.Quote(v))
		}
	}
	fmt.Fprintf(&b, " %s:\"%d\"", idTag, id)
	return reflect.StructTag(b.String())
}

// typeOf returns the reflect type of a field's Go type t and fills in the
// field's kind (and, for structs, its fields). It refuses, with a problem
// saying what to use instead, every type whose JSON the form cannot give
// faithfully.
func (w *walker) typeOf(f *field, t types.Type, syntax ast.Node) (reflect.Type, bool) {
	if !w.decodesItself(f, t) {
		return nil, false
	}
	switch u := types.Unalias(t).Underlying().(type) {
	case *types.Basic:
		return w.basic(f, u, syntax)
	case *types.Pointer:
		elem, ok := w.typeOf(f, u.Elem(), syntax)
		if !ok {
			return nil, false
		}
		return reflect.PointerTo(elem), true
	case *types.Slice, *types.Array:
		return w.list(f, u, syntax)
	case *types.Struct:
		tn := typeName(t)
		if !w.enter(f, t, tn) {
			return nil, false
		}
		defer delete(w.onPath, tn)
		f.kind = "struct"
		st, fields := w.structOf(u, f.goPath)
		f.fields = fields
		return st, true
	case *types.Map:
		w.problem(f, "a map cannot be rendered by the form; use a struct with named fields")
	case *types.Interface:
		w.problem(f, "an interface has no single JSON type; use a concrete type (string, int, float64, bool, []string or a struct)")
	case *types.Chan, *types.Signature:
		w.problem(f, "a %s cannot come from JSON; keep it out of Config, or tag it json:\"-\"", map[bool]string{true: "channel", false: "func"}[isChan(u)])
	case *types.TypeParam:
		w.problem(f, "a type parameter has no JSON type; use a concrete type")
	default:
		w.problem(f, "the form cannot render this type; use string, int, float64, bool, []string or a struct")
	}
	return nil, false
}

func isChan(t types.Type) bool { _, ok := t.(*types.Chan); return ok }

// basicTypes are the reflect types of the predeclared types Config may use.
var basicTypes = map[types.BasicKind]reflect.Type{
	types.Bool: reflect.TypeFor[bool](), types.String: reflect.TypeFor[string](),
	types.Int: reflect.TypeFor[int](), types.Int8: reflect.TypeFor[int8](), types.Int16: reflect.TypeFor[int16](),
	types.Int32: reflect.TypeFor[int32](), types.Int64: reflect.TypeFor[int64](),
	types.Uint: reflect.TypeFor[uint](), types.Uint8: reflect.TypeFor[uint8](), types.Uint16: reflect.TypeFor[uint16](),
	types.Uint32: reflect.TypeFor[uint32](), types.Uint64: reflect.TypeFor[uint64](),
	types.Float32: reflect.TypeFor[float32](), types.Float64: reflect.TypeFor[float64](),
}

// intRanges are the values of the integer types that hold less than the
// form accepts: a value outside fails to decode, so these types need
// bounds in the tag.
var intRanges = map[types.BasicKind][2]float64{
	types.Int8: {math.MinInt8, math.MaxInt8}, types.Int16: {math.MinInt16, math.MaxInt16}, types.Int32: {math.MinInt32, math.MaxInt32},
	types.Uint: {0, math.MaxUint64}, types.Uint8: {0, math.MaxUint8}, types.Uint16: {0, math.MaxUint16},
	types.Uint32: {0, math.MaxUint32}, types.Uint64: {0, math.MaxUint64},
}

func (w *walker) basic(f *field, b *types.Basic, syntax ast.Node) (reflect.Type, bool) {
	if b.Kind() == types.Invalid {
		w.invalid(f, syntax)
		return nil, false
	}
	rt, ok := basicTypes[b.Kind()]
	if !ok {
		w.problem(f, "the form has no %s; use int, float64 or string", b.Name())
		return nil, false
	}
	switch {
	case b.Info()&types.IsString != 0:
		f.kind = "string"
	case b.Info()&types.IsBoolean != 0:
		f.kind = "bool"
	case b.Info()&types.IsFloat != 0:
		f.kind = "float"
	case b.Info()&types.IsUnsigned != 0:
		f.kind = "uint"
	default:
		f.kind = "int"
	}
	if r, sized := intRanges[b.Kind()]; sized {
		w.bounds(f, b.Name(), r)
	}
	return rt, true
}

// bounds requires minimum and maximum tags within r on a field of an
// integer type smaller than the form's integers.
func (w *walker) bounds(f *field, typ string, r [2]float64) {
	lo, hi := tagValues(f.schemaTag, "minimum"), tagValues(f.schemaTag, "maximum")
	want := fmt.Sprintf(`jsonschema:"minimum=%.0f,maximum=%.0f"`, r[0], r[1])
	if len(lo) == 0 || len(hi) == 0 {
		w.problem(f, "the form accepts any integer, and one outside %s's range %.0f..%.0f fails to decode; bound it (%s, or narrower) or use int", typ, r[0], r[1], want)
		return
	}
	for _, b := range []struct {
		key, val string
	}{{"minimum", lo[len(lo)-1]}, {"maximum", hi[len(hi)-1]}} {
		n, err := strconv.ParseFloat(b.val, 64)
		switch {
		case err != nil:
			w.problem(f, "%s=%s is not a number", b.key, b.val)
		case n < r[0] || n > r[1]:
			w.problem(f, "%s=%s is outside %s's range %.0f..%.0f", b.key, b.val, typ, r[0], r[1])
		}
	}
}

// list handles slices and arrays: of strings only, as the form renders.
func (w *walker) list(f *field, t types.Type, syntax ast.Node) (reflect.Type, bool) {
	var elem types.Type
	n := int64(-1)
	switch u := t.(type) {
	case *types.Slice:
		elem, f.kind = u.Elem(), "slice"
	case *types.Array:
		elem, f.kind, n = u.Elem(), "array", u.Len()
	}
	e, _ := deref(elem)
	b, ok := e.Underlying().(*types.Basic)
	switch {
	case ok && b.Kind() == types.Invalid:
		w.invalid(f, syntax)
		return nil, false
	case !ok || b.Kind() != types.String:
		hint := ""
		if ok && b.Kind() == types.Uint8 {
			hint = " (a []byte is a base64 string in JSON)"
		}
		w.problem(f, "the form renders arrays of strings only; use []string%s", hint)
		return nil, false
	case !w.decodesItself(f, elem):
		return nil, false
	case n > 1000:
		w.problem(f, "an array of %d strings is too long for a form; use []string with maxItems", n)
		return nil, false
	}
	rt := reflect.TypeFor[string]()
	if _, ptr := elem.(*types.Pointer); ptr {
		rt = reflect.PointerTo(rt)
	}
	if n >= 0 {
		return reflect.ArrayOf(int(n), rt), true
	}
	return reflect.SliceOf(rt), true
}

// invalid reports a field whose type go/types could not know: a type
// error in its declaration (shown as the compiler would), or a type from
// another package, which spec does not read.
func (w *walker) invalid(f *field, syntax ast.Node) {
	if errs := w.typeErrors(syntax); len(errs) > 0 {
		w.problems = append(w.problems, errs...)
		return
	}
	switch {
	case strings.Contains(f.goType, "time.Time"):
		w.problem(f, "time.Time is not read: spec reads this package alone, and the form has no date field; use a string (RFC 3339) and parse it with time.Parse in the connector")
	case strings.Contains(f.goType, "time.Duration"):
		w.problem(f, "time.Duration is not read: spec reads this package alone, and in JSON it is a count of nanoseconds; use a string parsed with time.ParseDuration, or an int of seconds")
	default:
		w.problem(f, "its type is, or is built on, a type from another package, which spec does not read (it reads this package alone); use string, int, float64, bool, []string, or a struct declared in this package")
	}
}

// typeErrors returns the type errors inside a field's type expression,
// or else inside the declarations of the package's types it names (type
// Port = Portnum, with Portnum undefined).
func (w *walker) typeErrors(syntax ast.Node) []string {
	if syntax == nil {
		return nil
	}
	if errs := w.p.errorsWithin(syntax); len(errs) > 0 {
		return errs
	}
	var errs []string
	ast.Inspect(syntax, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if tn, ok := w.p.types.Scope().Lookup(id.Name).(*types.TypeName); ok {
				if decl := w.p.decls[tn.Pos()]; decl != nil {
					errs = append(errs, w.p.errorsWithin(decl)...)
				}
			}
		}
		return true
	})
	return errs
}

// enter marks the named struct type t (declared as tn) as on the path from
// Config, and reports whether it was not already: a type that contains
// itself cannot be inlined, and the form cannot render it.
func (w *walker) enter(f *field, t types.Type, tn *types.TypeName) bool {
	if tn == nil {
		return true
	}
	if w.onPath[tn] {
		w.problem(f, "%s contains itself, and the form cannot render a recursive config", types.TypeString(t, types.RelativeTo(w.p.types)))
		return false
	}
	w.onPath[tn] = true
	return true
}

// decodesItself refuses a type with an UnmarshalJSON or UnmarshalText
// method, its own or promoted: encoding/json lets the method read the
// JSON, whose form its Go type no longer says. It reports whether t is
// free of them.
func (w *walker) decodesItself(f *field, t types.Type) bool {
	t, _ = deref(t)
	ms := types.NewMethodSet(types.NewPointer(t))
	for _, m := range []string{"UnmarshalJSON", "UnmarshalText"} {
		if sel := ms.Lookup(w.p.types, m); sel != nil {
			w.problem(f, "%s decodes itself (its %s method), so its JSON is not what its fields say; use a plain type and convert in the connector", types.TypeString(t, types.RelativeTo(w.p.types)), m)
			return false
		}
	}
	return true
}

// deref strips pointers and aliases from t and reports whether there was a
// pointer.
func deref(t types.Type) (types.Type, bool) {
	ptr := false
	for {
		t = types.Unalias(t)
		p, ok := t.(*types.Pointer)
		if !ok {
			return t, ptr
		}
		t, ptr = p.Elem(), true
	}
}

// typeName is the declared name of t, nil for a type literal.
func typeName(t types.Type) *types.TypeName {
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj()
	}
	return nil
}

// fieldSyntax lists the syntax of each of n fields of a struct: an
// ast.Field declares one field per name, or one embedded field.
func fieldSyntax(st *ast.StructType, n int) []*ast.Field {
	out := make([]*ast.Field, n)
	if st == nil {
		return out
	}
	i := 0
	for _, af := range st.Fields.List {
		for range max(1, len(af.Names)) {
			if i < n {
				out[i] = af
			}
			i++
		}
	}
	return out
}
