package protocol_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// connectorEnv makes the test binary act as a connector whose scan never
// ends, so that a test can signal a real process.
const connectorEnv = "PROTOCOL_TEST_AS_CONNECTOR"

func TestMain(m *testing.M) {
	if os.Getenv(connectorEnv) == "endless" {
		protocol.Run(faultySilo{mode: "endless"}, []byte(refSpec))
	}
	os.Exit(m.Run())
}

// TestSIGTERMLeavesCompleteLines sends SIGTERM to a connector in the middle
// of a scan and checks that it exits 1, that stdout ends on a complete line
// and that stderr says why.
func TestSIGTERMLeavesCompleteLines(t *testing.T) {
	dir := fixture(t, goodFiles(t))
	cmd := exec.Command(os.Args[0], "scan", "-c", filepath.Join(dir, "config.json"), "-p", filepath.Join(dir, "persist.json"), "-s", filepath.Join(dir, "schemas.json"))
	cmd.Env = append(os.Environ(), connectorEnv+"=endless")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(stdout)
	first, err := r.ReadBytes('\n') // the scan is under way
	if err != nil {
		t.Fatalf("no output from the connector: %v; stderr: %s", err, stderr.String())
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(r)
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v, want status 1; stderr: %s", err, stderr.String())
	}
	out := append(first, rest...)
	if !bytes.HasSuffix(out, []byte("\n")) {
		t.Fatalf("stdout ends mid-line: ...%q", out[max(0, len(out)-40):])
	}
	for i, line := range bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n")) {
		if !json.Valid(line) {
			t.Fatalf("line %d is not complete JSON: %.80s", i+1, line)
		}
	}
	if !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("stderr does not say interrupted: %s", stderr.String())
	}
}
