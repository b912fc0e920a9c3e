//go:build unix

package conformance

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNoProcessOutlivesACommand runs a connector that leaves a child
// holding its stdout, once exiting at once and once waiting for the child
// past the timeout: the check must end within a bound, whatever the child
// does, and kill it.
func TestNoProcessOutlivesACommand(t *testing.T) {
	for _, defect := range []string{"orphan", "hang"} {
		t.Run(defect, func(t *testing.T) {
			t.Parallel()
			pidFile := filepath.Join(t.TempDir(), "pid")
			o := fixture(t, defect)
			o.Env = append(o.Env, pidFileEnv+"="+pidFile)
			if defect == "hang" {
				o.Timeout = 2 * time.Second
			}
			r := runBounded(t, 2*time.Minute, o)
			b, err := os.ReadFile(pidFile)
			if err != nil {
				t.Fatalf("the connector did not start its child: %v", err)
			}
			pid, _ := strconv.Atoi(string(b))
			if alive(pid) {
				syscall.Kill(pid, syscall.SIGKILL)
				t.Errorf("the connector's child (pid %d) outlived the check", pid)
			}
			f := failed(r)
			if defect == "hang" {
				// The other commands get 2s too, which a loaded machine may
				// not give them: only spec's failure is certain.
				if d := f["spec: exit status"]; !strings.Contains(d, "no exit within 2s") {
					t.Errorf("spec: exit status: %q, want a timeout", d)
				}
			} else if len(f) > 0 {
				t.Errorf("unexpected failures: %v", f)
			}
		})
	}
}

// TestOutputHeldOutsideTheGroup runs a connector that leaves a child in
// a session of its own holding stdout: check cannot kill it, so it stops
// reading after a grace period and says so.
func TestOutputHeldOutsideTheGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	o := fixture(t, "escape")
	o.Env = append(o.Env, pidFileEnv+"="+pidFile)
	r := runBounded(t, 2*time.Minute, o)
	if b, err := os.ReadFile(pidFile); err == nil {
		pid, _ := strconv.Atoi(string(b))
		syscall.Kill(pid, syscall.SIGKILL)
	}
	f := failed(r)
	if d := f["spec: exit status"]; !strings.Contains(d, "kept its output open") {
		t.Errorf("spec: exit status: %q, want the held output reported", d)
	}
}

// detach starts cmd in a session of its own.
func detach(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }

// alive reports whether process pid exists and is not a zombie.
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return !os.IsNotExist(err)
	}
	// The state follows the command name in parentheses: "pid (comm) S ...".
	i := bytes.LastIndexByte(stat, ')')
	return i < 0 || i+2 >= len(stat) || stat[i+2] != 'Z'
}
