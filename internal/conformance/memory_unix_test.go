//go:build unix

package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// checkEnv makes the test binary run the checks with the options it holds
// (JSON) and exit: a process of its own whose peak memory a test reads.
const checkEnv = "CONFORMANCE_TEST_CHECK"

func init() {
	spec := os.Getenv(checkEnv)
	if spec == "" {
		return
	}
	var o Options
	if err := json.Unmarshal([]byte(spec), &o); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	r, err := Run(context.Background(), o)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	r.WriteText(os.Stdout)
	os.Exit(0)
}

// maxCheckRSS is the most memory check may hold, whatever the connector
// prints.
const maxCheckRSS = 100 << 20

// TestMemoryIsBounded runs the checks in a process of their own against
// connectors whose scan prints without end, or 100 MB on one line, and
// reads the process's peak resident memory; against a correct connector
// ("none") for comparison.
func TestMemoryIsBounded(t *testing.T) {
	t.Parallel()
	for _, defect := range []string{"none", "endless", "no-newline", "flood"} {
		t.Run(defect, func(t *testing.T) {
			o := fixture(t, defect)
			o.Timeout = 20 * time.Second
			spec, _ := json.Marshal(o)
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), checkEnv+"="+string(spec))
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("check: %v\n%s", err, out)
			}
			rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
			if runtime.GOOS != "darwin" {
				rss *= 1024 // KiB everywhere but on macOS, which counts bytes
			}
			t.Logf("peak RSS of check against %s: %.1f MiB", defect, float64(rss)/(1<<20))
			if rss > maxCheckRSS {
				t.Errorf("check held %.1f MiB at its peak, want at most %d MiB", float64(rss)/(1<<20), maxCheckRSS>>20)
			}
			if defect != "none" && !strings.Contains(string(out), "FAIL  scan: exit status: ") {
				t.Errorf("scan did not fail:\n%.2000s", out)
			}
		})
	}
}
