package scaffold

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// The golden projects used as their README tells: each command run by
// hand with the example files in testdata/, and the conformance test run
// with and without a real silo (MONOID_TEST_CONFIG), to check that a plain
// go test never deletes anything but a self-contained fixture.

// protocolCommands are the commands a connector answers.
var protocolCommands = []string{"spec", "validate", "schema", "query", "delete", "scan", "request-status", "request-results"}

// readmeCommands returns the lines of the README's sh blocks that run the
// connector by hand: those that start with "go run . ".
func readmeCommands(readme []byte) []string {
	var lines []string
	inSh := false
	sc := bufio.NewScanner(bytes.NewReader(readme))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "```"):
			inSh = !inSh && line == "```sh"
		case inSh && strings.HasPrefix(line, "go run . "):
			lines = append(lines, line)
		}
	}
	return lines
}

// checkReadmeCommands runs, in the project at dir, every command line the
// README gives for running the connector by hand, exactly as written with
// sh, and fails unless each exits 0 and prints only protocol messages on
// stdout (at least one when wantOutput), and unless together they run
// every command of the protocol. A connector that needs a live service
// runs them against one made for the test, its config in place of
// testdata/config.json (dir is a copy); one whose service is a fake runs
// only spec by hand, since the fake lives in its tests.
func checkReadmeCommands(t *testing.T, dir string, tmpl *Template) {
	t.Helper()
	wantOutput := tmpl.SelfContainedFixture && tmpl.FakeURLField == ""
	if tmpl.NeedsService && tmpl.Example != "" {
		b, err := os.ReadFile(serviceConfig(t, dir, tmpl))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "testdata", "config.json"), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	ran := map[string]bool{}
	for _, line := range readmeCommands(readme) {
		ran[strings.Fields(line)[3]] = true
		if tmpl.FakeURLField != "" && strings.Fields(line)[3] != "spec" {
			t.Logf("SKIP README command %q: it reaches the service at %s, whose fake only the project's tests start", line, tmpl.FakeURLField)
			continue
		}
		cmd := exec.Command("sh", "-c", line)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOTOOLCHAIN=local")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Errorf("README command %q: %v\n%s", line, err, stderr.Bytes())
			continue
		}
		n := 0
		for l := range bytes.Lines(stdout.Bytes()) {
			if _, err := protocol.ParseMessage(bytes.TrimSuffix(l, []byte("\n"))); err != nil {
				t.Errorf("README command %q: stdout line %d is not a protocol message: %v", line, n+1, err)
			}
			n++
		}
		if wantOutput && n == 0 {
			t.Errorf("README command %q printed no message", line)
		}
	}
	for _, c := range protocolCommands {
		if !ran[c] {
			t.Errorf("the README runs no %s by hand", c)
		}
	}
}

// summaryRE matches the line the conformance test ends with.
var summaryRE = regexp.MustCompile(`(\d+) passed, (\d+) failed, (\d+) skipped`)

// conformanceRun is one `go test -v -run TestConformance/SUB` of a
// project.
type conformanceRun struct {
	out    string
	failed bool
}

// runConformance runs the project's conformance subtest sub (fixture or
// silo) verbosely, uncached, with env added to the environment.
func runConformance(t *testing.T, dir, sub string, env ...string) conformanceRun {
	t.Helper()
	cmd := exec.Command("go", "test", "-count=1", "-v", "-run", "^TestConformance$/^"+sub+"$", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOTOOLCHAIN=local",
		"MONOID_TEST_CONFIG=", "MONOID_TEST_QUERY=", "MONOID_TEST_DESTRUCTIVE=")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("go test in %s: %v", dir, err)
	}
	return conformanceRun{out: string(out), failed: err != nil}
}

// checkRan fails unless run passed its subtest sub, with a summary line
// that counts exactly the SKIP lines it logged, and returns those lines.
func checkRan(t *testing.T, run conformanceRun, sub string) []string {
	t.Helper()
	if run.failed || !strings.Contains(run.out, "--- PASS: TestConformance/"+sub) {
		t.Errorf("TestConformance/%s did not pass:\n%s", sub, run.out)
		return nil
	}
	var skips []string
	for _, l := range strings.Split(run.out, "\n") {
		if _, rest, ok := strings.Cut(l, ": SKIP "); ok && strings.Contains(l, "main_test.go:") {
			skips = append(skips, rest)
		}
	}
	m := summaryRE.FindStringSubmatch(run.out)
	if m == nil {
		t.Errorf("TestConformance/%s logged no summary line:\n%s", sub, run.out)
		return skips
	}
	if n, _ := strconv.Atoi(m[3]); n != len(skips) {
		t.Errorf("TestConformance/%s: the summary counts %s skipped, but %d SKIP lines were logged:\n%s", sub, m[3], len(skips), run.out)
	}
	return skips
}

// deleteSkip returns the SKIP line of delete among skips, or "".
func deleteSkip(skips []string) string {
	i := slices.IndexFunc(skips, func(s string) bool { return strings.HasPrefix(s, "delete: ") })
	if i < 0 {
		return ""
	}
	return skips[i]
}

// checkTestSafety runs the conformance test of the project at dir, made
// from tmpl, as its author would, and checks the convention that keeps it
// from harming a real silo:
//
//   - a plain go test runs the checks against the fixture, delete only
//     when the fixture is self-contained (and none when the template needs
//     a live service), and skips the checks against a real silo, naming
//     MONOID_TEST_CONFIG;
//   - MONOID_TEST_CONFIG naming a file inside the project is refused;
//   - naming one outside runs every check but delete against it, and says
//     to set MONOID_TEST_DESTRUCTIVE=1;
//   - with MONOID_TEST_DESTRUCTIVE=1, delete runs too.
func checkTestSafety(t *testing.T, dir string, tmpl *Template) {
	t.Helper()
	fixture := runConformance(t, dir, "fixture")
	switch {
	case tmpl.NeedsService:
		if !strings.Contains(fixture.out, "--- SKIP: TestConformance/fixture") || !strings.Contains(fixture.out, "set MONOID_TEST_CONFIG") {
			t.Errorf("the fixture run of a template that needs a service should skip, naming MONOID_TEST_CONFIG:\n%s", fixture.out)
		}
	case tmpl.SelfContainedFixture:
		if skip := deleteSkip(checkRan(t, fixture, "fixture")); skip != "" {
			t.Errorf("delete should run against a self-contained fixture, but: SKIP %s", skip)
		}
	default:
		skip := deleteSkip(checkRan(t, fixture, "fixture"))
		if !strings.Contains(skip, "MONOID_TEST_CONFIG") || !strings.Contains(skip, "MONOID_TEST_DESTRUCTIVE=1") {
			t.Errorf("delete should be skipped against a placeholder fixture, naming MONOID_TEST_CONFIG and MONOID_TEST_DESTRUCTIVE=1; got %q:\n%s", skip, fixture.out)
		}
	}

	silo := runConformance(t, dir, "silo")
	if !strings.Contains(silo.out, "--- SKIP: TestConformance/silo") || !strings.Contains(silo.out, "set MONOID_TEST_CONFIG") {
		t.Errorf("without MONOID_TEST_CONFIG the silo run should skip, naming it:\n%s", silo.out)
	}

	inside := runConformance(t, dir, "silo", "MONOID_TEST_CONFIG=testdata/config.json")
	if !inside.failed || !strings.Contains(inside.out, "MONOID_TEST_CONFIG=testdata/config.json is inside this project") {
		t.Errorf("a MONOID_TEST_CONFIG inside the project should be refused:\n%s", inside.out)
	}

	var outside string
	if (tmpl.NeedsService || tmpl.FakeURLField != "") && tmpl.Example != "" {
		// A real silo, made for the test (the stand-in template of
		// TestNeedsServiceProject has none).
		outside = serviceConfig(t, dir, tmpl)
	} else {
		b, err := os.ReadFile(filepath.Join(dir, "testdata", "config.json"))
		if err != nil {
			t.Fatal(err)
		}
		outside = filepath.Join(t.TempDir(), "config.json")
		if err := os.WriteFile(outside, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	safe := runConformance(t, dir, "silo", "MONOID_TEST_CONFIG="+outside)
	skip := deleteSkip(checkRan(t, safe, "silo"))
	if !strings.Contains(skip, "MONOID_TEST_DESTRUCTIVE=1") {
		t.Errorf("without MONOID_TEST_DESTRUCTIVE delete should be skipped against the silo, naming it; got %q:\n%s", skip, safe.out)
	}

	destructive := runConformance(t, dir, "silo", "MONOID_TEST_CONFIG="+outside, "MONOID_TEST_DESTRUCTIVE=1")
	if skip := deleteSkip(checkRan(t, destructive, "silo")); skip != "" {
		t.Errorf("with MONOID_TEST_DESTRUCTIVE=1 delete should run against the silo, but: SKIP %s", skip)
	}
}

// TestNeedsServiceProject renders a project from a template whose
// connector needs a live service, as a database template's does, and
// checks that its tests skip the conformance checks, saying why, unless
// MONOID_TEST_CONFIG names a silo. The template stands in for those to
// come: the stub's files, marked NeedsService.
func TestNeedsServiceProject(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: builds generated projects (-short)")
	}
	stub, _ := lookupTemplate("stub")
	service := *stub
	service.Name, service.NeedsService = "service", true
	saved := catalog
	catalog = append(slices.Clone(catalog), &service)
	o := goldenOptions(Options{Name: "acme", Template: service.Name}, 0)
	files, err := Render(&o)
	catalog = saved
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := Write(dir, files, false); err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(readme, []byte("answers only with a live Acme service")) {
		t.Errorf("the README does not say that the tests need a live service:\n%s", readme)
	}
	goCmd(t, dir, "vet", "./...")
	checkTestSafety(t, dir, &service)
}
