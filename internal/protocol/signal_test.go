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
	"time"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// connectorEnv makes the test binary act as a connector whose scan never
// ends, so that a test can signal a real process.
const connectorEnv = "PROTOCOL_TEST_AS_CONNECTOR"

func TestMain(m *testing.M) {
	if mode := os.Getenv(connectorEnv); mode != "" {
		protocol.Run(faultySilo{mode: mode}, []byte(refSpec))
	}
	os.Exit(m.Run())
}

// startScan starts the test binary as a connector scanning in mode, and
// returns once the scan has written its first line.
func startScan(t *testing.T, mode string) (cmd *exec.Cmd, r *bufio.Reader, stderr *bytes.Buffer, first []byte) {
	t.Helper()
	dir := fixture(t, goodFiles(t))
	cmd = exec.Command(os.Args[0], "scan", "-c", filepath.Join(dir, "config.json"), "-p", filepath.Join(dir, "persist.json"), "-s", filepath.Join(dir, "schemas.json"))
	cmd.Env = append(os.Environ(), connectorEnv+"="+mode)
	stderr = new(bytes.Buffer)
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	r = bufio.NewReader(stdout)
	first, err = r.ReadBytes('\n')
	if err != nil {
		t.Fatalf("no output from the connector: %v; stderr: %s", err, stderr.String())
	}
	return cmd, r, stderr, first
}

// waitExit reads the rest of stdout, waits for the connector to exit, and
// checks what every interrupted run must show: exit status 1, stdout made
// of complete JSON lines, and exactly one LOG line on stderr, which it
// returns.
func waitExit(t *testing.T, cmd *exec.Cmd, r *bufio.Reader, stderr *bytes.Buffer, first []byte) string {
	t.Helper()
	done := make(chan struct{})
	var rest []byte
	go func() {
		rest, _ = io.ReadAll(r)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("the connector still runs 30s after the signal; stderr: %s", stderr.String())
	}
	err := cmd.Wait()
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
	lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
	if len(lines) != 1 {
		t.Fatalf("stderr has %d lines, want 1:\n%s", len(lines), stderr.String())
	}
	m, err := protocol.ParseMessage([]byte(lines[0]))
	if err != nil || m.Log == nil {
		t.Fatalf("stderr is not one LOG line: %s", stderr.String())
	}
	return m.Log.Message
}

// TestGraceEndsStuckStore: a store that ignores the cancelled context and
// never returns is given the grace period, then the connector exits 1
// with one LOG line saying why.
func TestGraceEndsStuckStore(t *testing.T) {
	for _, mode := range []string{"stuck", "deaf"} {
		t.Run(mode, func(t *testing.T) {
			cmd, r, stderr, first := startScan(t, mode)
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			msg := waitExit(t, cmd, r, stderr, first)
			for _, want := range []string{"scan: interrupted by SIGTERM", "did not stop within 3s"} {
				if !strings.Contains(msg, want) {
					t.Errorf("log %q does not contain %q", msg, want)
				}
			}
		})
	}
}

// TestSecondSignalExitsAtOnce: a second signal during the grace period
// ends the connector without waiting for the rest of it.
func TestSecondSignalExitsAtOnce(t *testing.T) {
	cmd, r, stderr, first := startScan(t, "stuck")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	msg := waitExit(t, cmd, r, stderr, first)
	// The two signals may be delivered in either order.
	for _, want := range []string{"scan: interrupted by SIG", ", then SIG", "exiting at once"} {
		if !strings.Contains(msg, want) {
			t.Errorf("log %q does not contain %q", msg, want)
		}
	}
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
