package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// child runs this program as a driver's connector, one command per
// process, with its input files in a temporary directory.
type child struct {
	exe  string
	env  []string
	runs int
	dir  string // input files and the persistence directory
}

// newChild prepares the runs of driver name's connector on spec.
func newChild(name, spec string, runs int) (*child, error) {
	spec, err := filepath.Abs(spec)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(spec); err != nil {
		return nil, fmt.Errorf("spec.json: %w (run from the repository root or pass -spec)", err)
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "sqlspeed-")
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(), connectorEnv+"="+name, specEnv+"="+spec)
	return &child{exe: exe, env: env, runs: max(runs, 1), dir: dir}, nil
}

func (c *child) cleanup() { os.RemoveAll(c.dir) }

// file writes v as JSON into the directory and returns its path.
func (c *child) file(name string, v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	p := filepath.Join(c.dir, name)
	return p, os.WriteFile(p, b, 0o644)
}

// output is what one run of the connector did.
type output struct {
	wall   time.Duration
	cpu    time.Duration // user and system time of the connector process
	maxRSS int64         // peak resident set size, KiB
	lines  int64         // lines on standard output
	bytes  int64
	text   []byte // standard output, when kept
}

// How run treats the connector's standard output.
type stdoutMode int

const (
	discard stdoutMode = iota // /dev/null: nothing copies it, so the time is the connector's
	count                     // through a pipe, lines and bytes counted
	keep                      // counted, and kept in output.text
)

// run runs the connector with args once.
func (c *child) run(mode stdoutMode, args ...string) (output, error) {
	cmd := exec.Command(c.exe, args...)
	cmd.Env = c.env
	var stderr bytes.Buffer
	out := &counter{keep: mode == keep}
	cmd.Stdout, cmd.Stderr = out, &stderr
	if mode == discard {
		null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			return output{}, err
		}
		defer null.Close()
		cmd.Stdout = null
	}
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return output{}, fmt.Errorf("connector %s: %v: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	ps := cmd.ProcessState
	return output{wall: wall, cpu: ps.UserTime() + ps.SystemTime(), maxRSS: ps.SysUsage().(*syscall.Rusage).Maxrss,
		lines: out.lines, bytes: out.n, text: out.buf}, nil
}

// runMedian runs the connector c.runs times with standard output
// discarded and returns the run of median wall time, and the highest peak
// RSS of all runs.
func (c *child) runMedian(args ...string) (output, int64, error) {
	var outs []output
	var peak int64
	for range c.runs {
		o, err := c.run(discard, args...)
		if err != nil {
			return output{}, 0, err
		}
		outs = append(outs, o)
		peak = max(peak, o.maxRSS)
	}
	slices.SortFunc(outs, func(a, b output) int { return int(a.wall - b.wall) })
	return outs[len(outs)/2], peak, nil
}

// counter counts the bytes and lines written to it.
type counter struct {
	n, lines int64
	keep     bool
	buf      []byte
}

func (w *counter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	w.lines += int64(bytes.Count(p, []byte{'\n'}))
	if w.keep {
		w.buf = append(w.buf, p...)
	}
	return len(p), nil
}

// medianDuration returns the median of ds.
func medianDuration(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// mib formats KiB as MiB.
func mib(kib int64) string { return fmt.Sprintf("%.1f MiB", float64(kib)/1024) }
