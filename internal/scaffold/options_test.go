package scaffold

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path"
	"slices"
	"strings"
	"testing"
)

func TestNormalizeDefaults(t *testing.T) {
	o := Options{Name: "google-sheets"}
	if err := o.Normalize(); err != nil {
		t.Fatal(err)
	}
	if o.Dir != "monoid-google-sheets" || o.Module != "monoid-google-sheets" || o.Image != "monoid-google-sheets" ||
		o.Tag != "0.0.1" || o.Template != "stub" || strings.Join(o.Stores, ",") != "users" {
		t.Errorf("defaults: %+v", o)
	}
	m := Options{Name: "demo", Template: "memory", Dir: "out/x/"}
	if err := m.Normalize(); err != nil {
		t.Fatal(err)
	}
	if m.Module != "x" || strings.Join(m.Stores, ",") != "users,orders" {
		t.Errorf("memory defaults: %+v", m)
	}
}

func TestNormalizeNamesTheFlag(t *testing.T) {
	for _, tc := range []struct {
		o    Options
		flag string
	}{
		{Options{Name: "a_b"}, "NAME"},
		{Options{Name: "acme-"}, "NAME"},
		{Options{Name: "type"}, "NAME"},
		{Options{Name: "acme", Module: "example.com/a b"}, "--module"},
		{Options{Name: "acme", Module: "Example.com/UPPER/x?"}, "--module"},
		{Options{Name: "acme", Stores: []string{"ok", "Bad"}}, "--store"},
		{Options{Name: "acme", Stores: []string{"x_"}}, "--store"},
		{Options{Name: "acme", Template: "rest"}, "--template"},
		{Options{Name: "acme", Image: "a//b"}, "--image"},
		{Options{Name: "acme", Tag: strings.Repeat("x", 129)}, "--tag"},
	} {
		err := tc.o.Normalize()
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Flag != tc.flag {
			t.Errorf("%+v: error %v, want one about %s", tc.o, err, tc.flag)
		}
	}
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{"users": "users", "order_items": "orderItems", "a_1": "a1", "x_y_z": "xYZ"} {
		if got := storeIdent(in); got != want {
			t.Errorf("storeIdent(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"acme": "Acme", "google-sheets": "Google Sheets", "s3": "S3"} {
		if got := displayName(in); got != want {
			t.Errorf("displayName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := packageName("google-sheets"); got != "googlesheets" {
		t.Errorf("packageName = %q", got)
	}
	for in, want := range map[string]string{"1.26.0": "1.26", "1.26": "1.26", "1.26.10": "1.26"} {
		if got := majorMinor(in); got != want {
			t.Errorf("majorMinor(%q) = %q", in, got)
		}
	}
}

// TestRenderIsDeterministic renders twice with the same id and compares.
func TestRenderIsDeterministic(t *testing.T) {
	o := Options{Name: "acme", Stores: []string{"a", "b"}, NewID: func() string { return "00000000-0000-4000-8000-000000000009" }}
	o2 := o
	a, err := Render(&o)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Render(&o2)
	if len(a) != len(b) {
		t.Fatal("file counts differ")
	}
	for i := range a {
		if a[i].Path != b[i].Path || string(a[i].Content) != string(b[i].Content) {
			t.Errorf("%s differs between two renders", a[i].Path)
		}
	}
}

// TestNormalizeRefusesNamesThatDoNotBuild: names whose project would not
// compile (found by generating and building each), or would not build in
// the image, are refused with the reason.
func TestNormalizeRefusesNamesThatDoNotBuild(t *testing.T) {
	for name, rule := range map[string]string{
		"protocol": "main.go",
		"spec":     "main.go",
		"byte":     "main.go",
		"init":     "main.go",
		"vendor":   "vendor",
		"bin":      "bin/",
	} {
		o := Options{Name: name}
		err := o.Normalize()
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Flag != "NAME" || !strings.Contains(oe.Rule, rule) {
			t.Errorf("%s: error %v, want one about NAME mentioning %q", name, err, rule)
		}
	}
}

// TestReservedNamesCoverMain derives, from the rendered package main, the
// names an import of the connector package would collide with: the names
// package main declares and those main.go uses. Each must be refused.
func TestReservedNamesCoverMain(t *testing.T) {
	files, err := Render(&Options{Name: "acme", NewID: func() string { return "00000000-0000-4000-8000-000000000009" }})
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{"init": true} // import names may never be init
	fset := token.NewFileSet()
	for _, f := range files {
		if path.Dir(f.Path) != "." || !strings.HasSuffix(f.Path, ".go") {
			continue
		}
		af, err := parser.ParseFile(fset, f.Path, f.Content, 0)
		if err != nil {
			t.Fatal(err)
		}
		if af.Name.Name != "main" {
			continue
		}
		for _, d := range af.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					used[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.ValueSpec:
						for _, n := range s.Names {
							used[n.Name] = true
						}
					case *ast.TypeSpec:
						used[s.Name.Name] = true
					}
				}
			}
		}
		imports := false
		for _, imp := range af.Imports {
			imports = imports || strings.HasSuffix(imp.Path.Value, `/acme"`)
		}
		if !imports {
			continue
		}
		// In a file that imports the connector package, every name it
		// refers to, unqualified, would be the connector's.
		ast.Inspect(af, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				ast.Inspect(n.X, func(m ast.Node) bool {
					if id, ok := m.(*ast.Ident); ok {
						used[id.Name] = true
					}
					return true
				})
				return false
			case *ast.Ident:
				used[n.Name] = true
			}
			return true
		})
	}
	delete(used, "acme")
	for name := range used {
		if !nameRE.MatchString(name) || token.IsKeyword(name) {
			continue // not a NAME new accepts anyway
		}
		o := Options{Name: name}
		if err := o.Normalize(); err == nil {
			t.Errorf("NAME %q is accepted, but package main uses that name", name)
		}
	}
}

// TestNormalizeRefusesStdModule: a module path that starts with a path of
// the standard library makes the go command find two packages for one
// import path; refused, also when it is the default from --dir.
func TestNormalizeRefusesStdModule(t *testing.T) {
	for _, tc := range []Options{
		{Name: "acme", Module: "fmt"},
		{Name: "acme", Module: "testing"},
		{Name: "acme", Module: "net/http"},
		{Name: "acme", Module: "net/acme"},
		{Name: "acme", Module: "internal/acme"},
		{Name: "acme", Dir: "testing"},
		{Name: "acme", Dir: "/tmp/out/crypto"},
	} {
		o := tc
		err := o.Normalize()
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Flag != "--module" || !strings.Contains(oe.Rule, "standard library") {
			t.Errorf("%+v: error %v, want one about --module and the standard library", tc, err)
			continue
		}
		if tc.Module == "" && !strings.Contains(oe.Rule, "--dir") {
			t.Errorf("%+v: %v does not say the module path came from --dir", tc, err)
		}
	}
	for _, ok := range []string{"example.com/fmt", "fmtx", "monoid-acme", "github.com/x/testing"} {
		o := Options{Name: "acme", Module: ok}
		if err := o.Normalize(); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
}

// TestStdRootsComplete checks the list of standard library roots against
// the go command of this machine.
func TestStdRootsComplete(t *testing.T) {
	out, err := exec.Command("go", "list", "std", "cmd").Output()
	if err != nil {
		t.Skipf("SKIP: go list std cmd: %v", err)
	}
	missing := map[string]string{}
	for _, p := range strings.Fields(string(out)) {
		root, _, _ := strings.Cut(p, "/")
		if !slices.Contains(stdRoots, root) {
			missing[root] = p
		}
	}
	for root, p := range missing {
		t.Errorf("standard library root %q (of %s) is missing from stdRoots", root, p)
	}
}

// TestNormalizeRefusesOverlongImage: Docker refuses a repository name
// over 255 characters.
func TestNormalizeRefusesOverlongImage(t *testing.T) {
	o := Options{Name: "acme", Image: "example/" + strings.Repeat("a", 250)}
	err := o.Normalize()
	var oe *OptionError
	if !errors.As(err, &oe) || oe.Flag != "--image" || !strings.Contains(oe.Rule, "255") {
		t.Errorf("error %v, want one about --image and 255 characters", err)
	}
}

// TestOptionErrorEscapes: a value with a newline is shown escaped, on one
// line.
func TestOptionErrorEscapes(t *testing.T) {
	o := Options{Name: "acme\nx"}
	err := o.Normalize()
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), `"acme\nx"`) {
		t.Errorf("error %q", err)
	}
}
