package scaffold

import (
	"errors"
	"fmt"
	"go/build"
	"go/token"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/mod/module"

	"github.com/monoid-gen/monoid-gen/internal/manifest"
)

// Options are what `monoid-gen new` was asked for. Zero fields take their
// defaults in Normalize.
type Options struct {
	Name     string   // the connector's name, e.g. "acme"
	Dir      string   // where the project goes; default ./monoid-NAME
	Module   string   // the Go module path; default the base name of Dir
	Stores   []string // data store names; default what the template needs
	Template string   // a template of the catalog; default DefaultTemplate
	Image    string   // Docker image repository; default monoid-NAME
	Tag      string   // Docker image tag; default 0.0.1

	// Version is monoid-gen's version, recorded in the project file.
	Version string
	// NewID returns a fresh UUID for the manifest entry. Tests inject a
	// fixed one so that output is deterministic.
	NewID func() string
}

var (
	nameRE  = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	storeRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// OptionError is an invalid option: the flag, the value and the rule it
// breaks.
type OptionError struct {
	Flag, Value, Rule string
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("invalid %s %q: %s", e.Flag, e.Value, e.Rule)
}

// Normalize fills in defaults and validates every option, before anything
// is rendered or written.
func (o *Options) Normalize() error {
	if !nameRE.MatchString(o.Name) || strings.HasSuffix(o.Name, "-") || strings.Contains(o.Name, "--") {
		return &OptionError{"NAME", o.Name, "use lowercase letters, digits and single hyphens, starting with a letter (e.g. acme, google-sheets)"}
	}
	if pkg := packageName(o.Name); token.IsKeyword(pkg) || pkg == "main" || pkg == "internal" || pkg == "testdata" {
		return &OptionError{"NAME", o.Name, fmt.Sprintf("the connector's Go package would be %q, which Go reserves; choose another name", pkg)}
	} else if why, ok := reservedPackages[pkg]; ok {
		return &OptionError{"NAME", o.Name, fmt.Sprintf("the connector's Go package would be %q: %s; choose another name", pkg, why)}
	}
	if o.Template == "" {
		o.Template = DefaultTemplate
	}
	tmpl, ok := lookupTemplate(o.Template)
	if !ok {
		return &OptionError{"--template", o.Template, "choose one of " + strings.Join(TemplateNames(), ", ")}
	}
	if o.Dir == "" {
		o.Dir = "monoid-" + o.Name
	}
	fromDir := o.Module == ""
	if fromDir {
		// The base name of the directory as it will exist: "." and
		// "out/.." name a real directory only once made absolute.
		dir, err := filepath.Abs(o.Dir)
		if err != nil {
			dir = filepath.Clean(o.Dir)
		}
		o.Module = filepath.Base(dir)
	}
	if err := checkModulePath(o.Module); err != nil {
		rule := err.Error() + " (a module path looks like example.com/acme or monoid-acme)"
		if fromDir {
			rule += "; it defaults to the base name of --dir: pass --module"
		}
		return &OptionError{"--module", o.Module, rule}
	}
	if len(o.Stores) > 0 && !tmpl.StoreFlag {
		return &OptionError{"--store", o.Stores[0], fmt.Sprintf("the %s template's stores are its own (%s); leave out --store", tmpl.Name, strings.Join(tmpl.Stores, ", "))}
	}
	if len(o.Stores) == 0 {
		o.Stores = slices.Clone(tmpl.Stores)
	}
	if err := checkStores(o.Stores); err != nil {
		return err
	}
	if o.Image == "" {
		o.Image = "monoid-" + o.Name
	}
	if err := manifest.CheckImage(o.Image); err != nil {
		return &OptionError{"--image", o.Image, err.Error()}
	}
	if o.Tag == "" {
		o.Tag = "0.0.1"
	}
	if err := manifest.CheckTag(o.Tag); err != nil {
		return &OptionError{"--tag", o.Tag, err.Error()}
	}
	return nil
}

// checkModulePath accepts what `go mod init` accepts. A path whose first
// element looks like a domain (example.com/acme) must be a valid module path
// others could fetch (module.CheckPath); a local name such as the default
// monoid-acme needs only be a valid import path, which CheckPath would
// refuse for its missing dot.
func checkModulePath(p string) error {
	check := module.CheckImportPath
	first, _, _ := strings.Cut(p, "/")
	if strings.Contains(first, ".") {
		check = module.CheckPath
	} else if slices.Contains(stdRoots, first) {
		// The go command then finds two packages for one import path
		// ("ambiguous import: found package fmt in multiple modules"),
		// today or when the standard library grows.
		return fmt.Errorf("it starts with %q, a path of the Go standard library, which the go command cannot tell from the project's own packages", first)
	}
	if err := check(p); err != nil {
		var ie *module.InvalidPathError
		if errors.As(err, &ie) {
			return ie.Err
		}
		return err
	}
	return nil
}

// reservedPackages are connector package names whose project does not
// build, found by generating a project for each candidate and building it
// (TestReservedNamesCoverMain derives the first group from the templates
// and checks that it is complete).
var reservedPackages = map[string]string{
	// main.go imports the connector package under its name, beside these
	// names of package main.
	"byte":     "main.go uses the type byte, which the import would hide",
	"init":     "main.go imports the connector package, and no import may be named init",
	"protocol": "main.go imports the runtime package protocol under that name",
	"spec":     "main.go declares spec, the embedded spec.json",
	// The go command and the image treat these directories apart.
	"vendor": "the go command takes a vendor directory at the module root for vendored modules",
	"bin":    "the project's bin/ holds its built programs, and .gitignore and .dockerignore leave it out, so the image would build without the connector",
}

// stdRoots are the first elements of the Go standard library's import
// paths (go list std cmd). A module path without a dot that starts with
// one of them collides with the standard library (TestStdRootsComplete
// checks the list against the go command).
var stdRoots = []string{
	"archive", "bufio", "builtin", "bytes", "cmd", "cmp", "compress", "container", "context", "crypto",
	"database", "debug", "embed", "encoding", "errors", "expvar", "flag", "fmt", "go", "hash", "html",
	"image", "index", "internal", "io", "iter", "log", "maps", "math", "mime", "net", "os", "path",
	"plugin", "reflect", "regexp", "runtime", "slices", "sort", "strconv", "strings", "structs", "sync",
	"syscall", "testing", "text", "time", "unicode", "unique", "unsafe", "vendor", "weak",
}

// checkStores validates store names: each becomes a Go identifier and a
// file name in the connector package, and the wire name of a data store.
func checkStores(stores []string) error {
	idents := map[string]string{}
	for _, s := range stores {
		if !storeRE.MatchString(s) || strings.HasSuffix(s, "_") {
			return &OptionError{"--store", s, "use lowercase letters, digits and underscores, starting with a letter (e.g. users, order_items)"}
		}
		if reason := fileNameProblem(s); reason != "" {
			return &OptionError{"--store", s, reason}
		}
		id := storeIdent(s)
		if prev, dup := idents[id]; dup {
			if prev == s {
				return &OptionError{"--store", s, "given twice; each store needs its own name"}
			}
			return &OptionError{"--store", s, fmt.Sprintf("becomes the Go name %s, as %q does; choose distinct names", id, prev)}
		}
		idents[id] = s
	}
	return nil
}

// reservedFiles are the connector package's own files; a store must not
// take their names.
var reservedFiles = []string{"config", "silo", "table", "row", "doc"}

// fileNameProblem says why NAME.go cannot be a store's file, or "".
func fileNameProblem(name string) string {
	if slices.Contains(reservedFiles, name) {
		return fmt.Sprintf("%s.go is one of the connector package's own files; choose another name", name)
	}
	if strings.HasSuffix(name, "_test") {
		return "a file named *_test.go is a test file; choose a name not ending in _test"
	}
	// A suffix such as _linux or _arm64 would make the go tool build the
	// file on one platform only.
	for _, ctx := range []build.Context{{GOOS: "linux", GOARCH: "amd64"}, {GOOS: "windows", GOARCH: "arm64"}} {
		ctx.Compiler = "gc"
		ctx.OpenFile = func(string) (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader("package p\n")), nil
		}
		if ok, _ := ctx.MatchFile(".", name+".go"); !ok {
			return "a file name ending in a GOOS or GOARCH (such as _linux or _arm64) builds on one platform only; choose another name"
		}
	}
	return ""
}

// packageName is the connector's Go package name: its name without
// hyphens.
func packageName(name string) string { return strings.ReplaceAll(name, "-", "") }

// storeIdent is a store's Go name in lowerCamelCase: order_items becomes
// orderItems.
func storeIdent(store string) string {
	parts := strings.Split(store, "_")
	var b strings.Builder
	for i, p := range parts {
		if p == "" {
			continue
		}
		if i > 0 && b.Len() > 0 {
			p = strings.ToUpper(p[:1]) + p[1:]
		}
		b.WriteString(p)
	}
	return b.String()
}
