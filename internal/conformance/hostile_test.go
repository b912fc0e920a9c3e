package conformance

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sleeperEnv makes the test binary sleep for minutes: the child a hostile
// connector leaves behind.
const sleeperEnv = "CONFORMANCE_TEST_SLEEPER"

// pidFileEnv names the file a hostile connector writes its child's
// process id into, so that a test can see whether the child outlived the
// check.
const pidFileEnv = "CONFORMANCE_TEST_PIDFILE"

// hostileConnector plays a connector that is hostile to the process
// running it, for one command; it reports false for the defects it does
// not play, and for the other commands, which the reference connector
// answers. For spec:
//
//   - orphan: leaves a child holding stdout, prints the spec, exits 0;
//   - hang: waits for a child that holds stdout and never ends;
//   - escape: leaves a child holding stdout in a session of its own, out
//     of reach of its process group, prints the spec, exits 0.
//
// For scan:
//
//   - endless: prints "y" lines until it is stopped, as yes(1) does;
//   - no-newline: prints 100 MB without a newline, and exits 0;
//   - flood: prints tiny valid messages (LOG, on stdout) until stopped.
func hostileConnector(defect string, args []string) (int, bool) {
	if len(args) == 0 {
		return 0, false
	}
	switch cmd := args[0]; {
	case cmd == "scan" && (defect == "endless" || defect == "flood"):
		unit := "y\n"
		if defect == "flood" {
			unit = `{"type":"LOG","log":{"message":""}}` + "\n"
		}
		block := []byte(strings.Repeat(unit, 64<<10/len(unit)))
		for {
			if _, err := os.Stdout.Write(block); err != nil {
				return 1, true
			}
		}
	case cmd == "scan" && defect == "no-newline":
		block := bytes.Repeat([]byte("a"), 1<<20)
		for range 100 {
			if _, err := os.Stdout.Write(block); err != nil {
				return 1, true
			}
		}
		return 0, true
	case cmd == "spec" && (defect == "orphan" || defect == "hang" || defect == "escape"):
		child := exec.Command(os.Args[0])
		child.Env = append(os.Environ(), sleeperEnv+"=1")
		child.Stdout, child.Stderr = os.Stdout, os.Stderr
		if defect == "escape" {
			detach(child)
		}
		if err := child.Start(); err != nil {
			return 3, true
		}
		os.WriteFile(os.Getenv(pidFileEnv), []byte(strconv.Itoa(child.Process.Pid)), 0o644)
		if defect == "hang" {
			child.Wait()
		}
		return 0, false
	}
	return 0, false
}

// runBounded runs the checks with o, and fails the test if they do not
// return within bound: a check that hangs must fail, not stall the suite.
func runBounded(t *testing.T, bound time.Duration, o Options) *Report {
	t.Helper()
	type result struct {
		r   *Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		r, err := Run(context.Background(), o)
		done <- result{r, err}
	}()
	select {
	case res := <-done:
		if res.err != nil {
			t.Fatal(res.err)
		}
		return res.r
	case <-time.After(bound):
		t.Fatalf("the checks did not return within %v", bound)
		return nil
	}
}
