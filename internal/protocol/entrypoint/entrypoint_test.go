package entrypoint

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/sourcestest"
)

// The test binary plays both programs, chosen by role: the entrypoint
// (Main over testSpec, with the connector named by connectorVar) and a
// connector that reports what it was given and exits with status 3.
const (
	roleVar      = "ENTRYPOINT_TEST_ROLE"
	connectorVar = "ENTRYPOINT_TEST_CONNECTOR"
)

var testSpec = []byte("{\n  \"documentationUrl\": \"https://example.com/<docs>\",\n  \"connectionSpecification\": {\"type\": \"object\"}\n}\n")

// connectorReport is what the fake connector prints.
type connectorReport struct {
	Args  []string
	PID   int
	Stdin string
	Env   string
}

func TestMain(m *testing.M) {
	switch os.Getenv(roleVar) {
	case "entrypoint":
		os.Setenv(roleVar, "connector")
		Main(testSpec, os.Getenv(connectorVar))
	case "connector":
		in, _ := io.ReadAll(os.Stdin)
		json.NewEncoder(os.Stdout).Encode(connectorReport{
			Args: os.Args[1:], PID: os.Getpid(), Stdin: string(in), Env: os.Getenv("PASSED_ON"),
		})
		os.Stderr.WriteString("connector stderr\n")
		os.Exit(3)
	}
	os.Exit(m.Run())
}

func TestSourcesListsEveryFile(t *testing.T) { sourcestest.Check(t, Sources, "sources.go") }

func TestSpecLine(t *testing.T) {
	got, err := SpecLine(testSpec)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"SPEC","spec":{"documentationUrl":"https://example.com/<docs>","connectionSpecification":{"type":"object"}}}` + "\n"
	if string(got) != want {
		t.Errorf("SpecLine = %s, want %s", got, want)
	}
	if _, err := SpecLine([]byte(`{"a":`)); err == nil || !strings.Contains(err.Error(), "spec.json") {
		t.Errorf("SpecLine of truncated JSON: error %v, want one naming spec.json", err)
	}
}

// entrypointCmd runs the test binary as the entrypoint with args, the
// connector being connector.
func entrypointCmd(t *testing.T, connector string, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), roleVar+"=entrypoint", connectorVar+"="+connector, "PASSED_ON=yes")
	return cmd
}

func TestSpecIsAnsweredWithoutTheConnector(t *testing.T) {
	cmd := entrypointCmd(t, filepath.Join(t.TempDir(), "absent"), "spec")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("spec: %v\n%s", err, stderr.String())
	}
	want, _ := SpecLine(testSpec)
	if !bytes.Equal(out, want) || stderr.Len() > 0 {
		t.Errorf("spec wrote %q and %q on stderr, want %q and nothing", out, stderr.String(), want)
	}
}

func TestOtherCommandsRunTheConnector(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"validate", "-c", "config.json"},
		{"spec", "--help"},
		{},
	} {
		t.Run(strings.Join(append([]string{"args"}, args...), " "), func(t *testing.T) {
			cmd := entrypointCmd(t, exe, args...)
			cmd.Stdin = strings.NewReader("stdin passes through")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if code := cmd.ProcessState.ExitCode(); code != 3 {
				t.Fatalf("exit status %d (%v), want the connector's 3\n%s", code, err, stderr.String())
			}
			var got connectorReport
			if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
				t.Fatalf("connector output %q: %v", stdout.String(), err)
			}
			if strings.Join(got.Args, " ") != strings.Join(args, " ") {
				t.Errorf("connector got args %q, want %q", got.Args, args)
			}
			if got.Stdin != "stdin passes through" || got.Env != "yes" || stderr.String() != "connector stderr\n" {
				t.Errorf("connector saw stdin %q, PASSED_ON=%q, wrote stderr %q; want all passed through", got.Stdin, got.Env, stderr.String())
			}
			if runtime.GOOS != "windows" && got.PID != cmd.Process.Pid {
				t.Errorf("connector ran as PID %d, the entrypoint was %d: want exec, not a child", got.PID, cmd.Process.Pid)
			}
		})
	}
}

func TestMissingConnectorIsOneLogLine(t *testing.T) {
	absent := filepath.Join(t.TempDir(), "absent")
	cmd := entrypointCmd(t, absent, "validate", "-c", "config.json")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if stdout.Len() > 0 {
		t.Errorf("stdout %q, want nothing", stdout.String())
	}
	var msg struct {
		Type string
		Log  struct{ Message string }
	}
	lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
	if len(lines) != 1 || json.Unmarshal([]byte(lines[0]), &msg) != nil || msg.Type != "LOG" ||
		!strings.HasPrefix(msg.Log.Message, "ERROR entrypoint: ") || !strings.Contains(msg.Log.Message, absent) {
		t.Errorf("stderr %q, want one ERROR LOG line naming %s", stderr.String(), absent)
	}
}

func TestBadSpecIsOneLogLine(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Serve([]string{"spec"}, []byte(`{"a":`), "connector", &stdout, &stderr); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if stdout.Len() > 0 || !strings.HasPrefix(stderr.String(), `{"type":"LOG","log":{"message":"ERROR spec: embedded spec.json is not valid JSON`) {
		t.Errorf("stdout %q, stderr %q: want nothing and one LOG line", stdout.String(), stderr.String())
	}
}

func TestRelativeConnectorIsBesideTheEntrypoint(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	got, err := connectorPath("connector")
	if err != nil || got != filepath.Join(filepath.Dir(exe), "connector") {
		t.Errorf("connectorPath(connector) = %q, %v; want it in %s", got, err, filepath.Dir(exe))
	}
}
