package specgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"

	monoidgen "github.com/monoid-gen/monoid-gen"
	"github.com/monoid-gen/monoid-gen/internal/configschema"
	"github.com/monoid-gen/monoid-gen/internal/project"
	"github.com/monoid-gen/monoid-gen/internal/spec"
	"github.com/monoid-gen/monoid-gen/templates"
)

// generatorModule is the module path of the temporary generator program.
const generatorModule = "monoid-gen-specgen"

// reflectorModule is the module that reflects Config; its version is the
// one monoid-gen is built and tested with.
const reflectorModule = "github.com/invopop/jsonschema"

// CompileError is the user's code failing to build: Output is the
// compiler's messages, with paths relative to the project.
type CompileError struct{ Output string }

func (e *CompileError) Error() string {
	return "the project does not compile, so its Config cannot be read:\n" + e.Output
}

// Describe reflects the Config of the project in dir, as the user's code
// stands now. It builds a small generator program in a temporary module
// that requires the user's module (through a replace directive pointing at
// dir) and invopop/jsonschema, and runs it from dir. The user's go.mod and
// go.sum are only read: the connector never depends on the reflector.
func Describe(ctx context.Context, dir string) (*configschema.Description, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	proj, err := project.Load(abs)
	if err != nil {
		return nil, err
	}
	if info, err := os.Stat(filepath.Join(abs, proj.Package)); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("%s says Config is in package %q, but %s is not a directory; correct \"package\" there", project.File, proj.Package, filepath.Join(dir, proj.Package))
	}
	userMod, err := readGoMod(abs)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "monoid-gen-spec-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if err := writeGenerator(tmp, abs, userMod, proj); err != nil {
		return nil, err
	}

	bin := filepath.Join(tmp, "specgen")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	build.Dir = tmp
	build.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	if out, err := build.CombinedOutput(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, &CompileError{Output: relativize(string(out), abs, tmp)}
		}
		return nil, fmt.Errorf("run the go command: %w", err)
	}

	run := exec.CommandContext(ctx, bin)
	run.Dir = abs
	var stdout, stderr bytes.Buffer
	run.Stdout, run.Stderr = &stdout, &stderr
	if err := run.Run(); err != nil {
		return nil, fmt.Errorf("reflect %s.Config: %s", proj.Package, strings.TrimSpace(stderr.String()))
	}
	var d configschema.Description
	if err := json.Unmarshal(stdout.Bytes(), &d); err != nil {
		return nil, fmt.Errorf("read the reflected Config: %w", err)
	}
	return &d, nil
}

// Derive is Describe followed by Convert: the spec of the project in dir.
func Derive(ctx context.Context, dir string) (spec.Schema, error) {
	d, err := Describe(ctx, dir)
	if err != nil {
		return spec.Schema{}, err
	}
	return Convert(d)
}

// Check derives the spec of the project in dir and reads its spec.json:
// derived is what `monoid-gen spec` would write, current what the file
// holds (nil when there is none). They are up to date when equal.
func Check(ctx context.Context, dir string) (current, derived []byte, err error) {
	s, err := Derive(ctx, dir)
	if err != nil {
		return nil, nil, err
	}
	current, err = os.ReadFile(filepath.Join(dir, "spec.json"))
	if err != nil && !os.IsNotExist(err) {
		return nil, nil, err
	}
	return current, s.Marshal(), nil
}

func readGoMod(dir string) (*modfile.File, error) {
	name := filepath.Join(dir, "go.mod")
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return modfile.Parse(name, b, nil)
}

// writeGenerator writes the generator module into tmp: go.mod, go.sum (the
// user's checksums and monoid-gen's, so that a warm module cache needs no
// network), configschema's sources and main.go.
func writeGenerator(tmp, projectDir string, userMod *modfile.File, proj *project.Project) error {
	f := new(modfile.File)
	f.AddModuleStmt(generatorModule)
	goVersion := "1.26"
	if userMod.Go != nil {
		goVersion = userMod.Go.Version
	}
	f.AddGoStmt(goVersion)
	f.AddNewRequire(reflectorModule, monoidgen.Requirement(reflectorModule), false)
	userPath := userMod.Module.Mod.Path
	f.AddNewRequire(userPath, "v0.0.0-00010101000000-000000000000", false)
	if err := f.AddReplace(userPath, "", projectDir, ""); err != nil {
		return err
	}
	f.Cleanup()
	files := map[string][]byte{"go.mod": modfile.Format(f.Syntax)}

	userSum, _ := os.ReadFile(filepath.Join(projectDir, "go.sum"))
	files["go.sum"] = append(append([]byte{}, monoidgen.GoSum...), userSum...)

	entries, err := fs.ReadDir(configschema.Sources, ".")
	if err != nil {
		return err
	}
	for _, e := range entries {
		b, err := fs.ReadFile(configschema.Sources, e.Name())
		if err != nil {
			return err
		}
		files[path.Join("internal/configschema", e.Name())] = b
	}

	main, err := templates.ExecuteFile("specgen/main.go.tmpl", map[string]string{
		"Package": proj.Package,
		"Import":  path.Join(userPath, proj.Package),
		"Module":  userPath,
		"Dir":     proj.Package,
	})
	if err != nil {
		return err
	}
	files["main.go"] = []byte(main)

	for name, b := range files {
		p := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// relativize rewrites compiler output so that paths name files of the
// project relative to it, and drops the generator's temporary directory.
func relativize(out, projectDir, tmp string) string {
	out = strings.ReplaceAll(out, projectDir+string(filepath.Separator), "")
	if rel, err := filepath.Rel(tmp, projectDir); err == nil {
		out = strings.ReplaceAll(out, rel+string(filepath.Separator), "")
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(l, "# ") || strings.HasPrefix(l, "go: downloading ") {
			continue // the go command's package headers and progress
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n")
}
