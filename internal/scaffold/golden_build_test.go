package scaffold

import (
	"bytes"
	"debug/elf"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/monoid-gen/monoid-gen/internal/transcript"
)

// TestGoldenProjectsBuild copies each golden project out of the repository
// and does what its author would: go vet, go build and go test, and checks
// that go.mod and go.sum are exactly what `go mod tidy` wants; it runs every
// command the README shows by hand, as written, and the conformance test
// with and without a real silo (checkTestSafety). It then checks the
// Dockerfile with BuildKit's parser and linter, runs its build command as
// written, and checks that the binary is static and serves spec with an
// empty environment; for the memory project, it runs the binary
// through the nine reference transcripts. (There is no Docker engine to
// build or run the image itself.)
func TestGoldenProjectsBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: builds generated projects (-short)")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("the go command is needed to build the golden projects")
	}
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(filepath.Join(goldenDir, tc.name))); err != nil {
				t.Fatal(err)
			}
			goCmd(t, dir, "vet", "./...")
			goCmd(t, dir, "build", "./...")
			goCmd(t, dir, "test", "./...")
			goCmd(t, dir, "mod", "tidy", "-diff")
			o := tc.opts
			if err := o.Normalize(); err != nil {
				t.Fatal(err)
			}
			tmpl, _ := lookupTemplate(o.Template)
			checkReadmeCommands(t, dir, tmpl)
			checkTestSafety(t, dir, tmpl)
			if (tmpl.NeedsService || tmpl.FakeURLField != "") && tmpl.Example != "" {
				checkAgainstService(t, dir, tmpl)
			}

			connector := dockerBuild(t, dir)
			specFile, err := os.ReadFile(filepath.Join(dir, "spec.json"))
			if err != nil {
				t.Fatal(err)
			}
			want := bytes.NewBufferString(`{"type":"SPEC","spec":`)
			if err := json.Compact(want, specFile); err != nil {
				t.Fatalf("spec.json: %v", err)
			}
			want.WriteString("}\n")
			checkStatic(t, connector)
			spec := runEmptyEnv(t, dir, connector, "spec")
			if err := transcript.Compare(spec, want.Bytes()); err != nil {
				t.Errorf("spec: %v", err)
			}
			if tc.opts.Template == "memory" {
				checkTranscripts(t, dir, connector)
			}
		})
	}
}

// goCmd runs the go command in dir and fails the test with its output.
func goCmd(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// dockerBuild parses the project's Dockerfile with BuildKit's own parser
// and linter (any lint warning fails the test), checks the shape the
// platform needs (a build stage; a final stage that copies /connector, and
// nothing else, from it, whose ENTRYPOINT, in exec form, is /connector; CMD
// in exec form), then runs the build stage's go build command in dir
// exactly as written, and returns the binary it makes.
func dockerBuild(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := parser.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("Dockerfile does not parse: %v", err)
	}
	lint := linter.New(&linter.Config{Warn: func(rule, _, _, msg string, loc []parser.Range) {
		t.Errorf("Dockerfile lint %s: %s (line %d)", rule, msg, loc[0].Start.Line)
	}})
	stages, _, err := instructions.Parse(res.AST, lint)
	if err != nil {
		t.Fatalf("Dockerfile: %v", err)
	}
	if len(stages) != 2 {
		t.Fatalf("Dockerfile has %d stages, want a build stage and a final one", len(stages))
	}
	var runs []string
	for _, c := range stages[0].Commands {
		if r, ok := c.(*instructions.RunCommand); ok && strings.Contains(strings.Join(r.CmdLine, " "), "go build") {
			runs = append(runs, strings.Join(r.CmdLine, " "))
		}
	}
	for _, run := range runs {
		for _, want := range []string{"CGO_ENABLED=0", "-trimpath"} {
			if !strings.Contains(run, want) {
				t.Errorf("the build stage's go build command %q lacks %s", run, want)
			}
		}
	}
	copied := map[string]string{} // destination in the image: source in the build stage
	var entrypoint string
	for _, c := range stages[1].Commands {
		switch c := c.(type) {
		case *instructions.CopyCommand:
			if c.From == stages[0].Name && len(c.SourcePaths) == 1 {
				copied[c.DestPath] = c.SourcePaths[0]
			}
		case *instructions.EntrypointCommand:
			if !c.PrependShell && len(c.CmdLine) == 1 {
				entrypoint = c.CmdLine[0]
			}
		case *instructions.CmdCommand:
			if c.PrependShell {
				t.Error("CMD is in shell form; the platform passes arguments, which needs exec form")
			}
		}
	}
	if entrypoint != "/connector" || len(copied) != 1 || copied["/connector"] == "" {
		t.Fatalf("final stage: ENTRYPOINT %q, copies %v; want [\"/connector\"], with /connector alone copied from the build stage", entrypoint, copied)
	}
	if len(runs) != 1 {
		t.Fatalf("the build stage runs go build %d times, want once: the image holds one program", len(runs))
	}
	for _, run := range runs {
		sh := exec.Command("sh", "-c", run)
		sh.Dir = dir
		sh.Env = append(os.Environ(), "GOTOOLCHAIN=local")
		if out, err := sh.CombinedOutput(); err != nil {
			t.Fatalf("Dockerfile build command %q: %v\n%s", run, err, out)
		}
	}
	// The build stage works in /src, which here is dir.
	return filepath.Join(dir, strings.TrimPrefix(copied["/connector"], "/src/"))
}

// checkStatic fails unless bin is an ELF executable with no interpreter and
// no shared libraries: it runs in an image without libc.
func checkStatic(t *testing.T, bin string) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("static-binary check needs Linux ELF binaries")
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("%s asks for a dynamic loader: not static", bin)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("%s links shared libraries %v", bin, libs)
	}
}

// runEmptyEnv runs bin with args and no environment at all, as in a
// minimal image, and returns its stdout.
func runEmptyEnv(t *testing.T, dir, bin string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = []string{}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", bin, args, err, stderr.String())
	}
	return out
}

// checkTranscripts runs bin on each reference input and compares its output
// with the Python kit's.
func checkTranscripts(t *testing.T, dir, bin string) {
	data, err := transcript.DataDir()
	if err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(data, "reference")
	for _, run := range transcript.Runs {
		want, err := os.ReadFile(filepath.Join(ref, "outputs", run.Output))
		if err != nil {
			t.Fatal(err)
		}
		got := runEmptyEnv(t, dir, bin, run.ArgsIn(filepath.Join(ref, "inputs"))...)
		if err := transcript.Compare(got, want); err != nil {
			t.Errorf("reference run %s: %v", run.Output, err)
		}
	}
}
