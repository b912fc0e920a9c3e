package conformance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// output is what one command of the connector did.
type output struct {
	cmd      string // the protocol command
	name     string // how checks name it, e.g. "query: request-status"
	code     int
	timedOut bool
	heldOpen bool // a process out of reach kept the output open after the connector exited
	startErr error
	stdout   []byte
	stderr   []byte
	msgs     []line // stdout lines that are valid messages
	bad      []line // stdout lines that are not, with why
}

// line is one stdout line, numbered from 1.
type line struct {
	n    int
	text string
	msg  protocol.Message
	err  error
}

// drainGrace is how long check reads a command's output after the
// connector's process group is gone: only a process that left the group
// can still hold the output open, and check stops waiting for it.
const drainGrace = 2 * time.Second

// invoke runs the connector with args, within the per-command timeout.
// The connector runs in a process group of its own, killed at the
// deadline and once the connector exits, so that nothing it started
// outlives the command or holds its output open.
func (s *suite) invoke(ctx context.Context, args ...string) *output {
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	argv := append(append([]string{}, s.opts.Command[1:]...), args...)
	cmd := exec.CommandContext(ctx, s.opts.Command[0], argv...)
	cmd.Dir = s.opts.Dir
	cmd.Env = s.opts.Env
	ownGroup(cmd)
	cmd.WaitDelay = drainGrace
	o := &output{cmd: args[0], name: args[0]}
	var c capture
	err := c.run(cmd)
	killGroup(cmd)
	o.stdout, o.stderr, o.heldOpen = c.drain()
	c.closeAll(c.readers[:])
	var ee *exec.ExitError
	switch {
	case c.startErr != nil:
		o.startErr, o.code = c.startErr, -1
	case ctx.Err() == context.DeadlineExceeded:
		o.timedOut, o.code = true, -1
	case errors.As(err, &ee):
		o.code = ee.ExitCode()
	case err != nil:
		o.startErr, o.code = err, -1
	}
	for i, text := range splitLines(o.stdout) {
		l := line{n: i + 1, text: text}
		l.msg, l.err = protocol.ParseMessage([]byte(text))
		if l.err != nil {
			o.bad = append(o.bad, l)
		} else {
			o.msgs = append(o.msgs, l)
		}
	}
	return o
}

// capture reads what a command prints on its two streams.
type capture struct {
	mu       sync.Mutex
	bufs     [2][]byte // stdout, stderr
	stopped  bool      // drain returned: later reads are dropped
	readers  [2]*os.File
	done     chan struct{} // closed when both readers are at their end
	startErr error
}

// run starts cmd with pipes of its own for stdout and stderr and waits for
// the connector's process to exit. The pipes are *os.File, so that Wait
// returns as soon as the connector exits, whoever else holds them.
func (c *capture) run(cmd *exec.Cmd) error {
	c.done = make(chan struct{})
	var writers [2]*os.File
	for i := range writers {
		r, w, err := os.Pipe()
		if err != nil {
			c.startErr = err
			c.closeAll(writers[:])
			close(c.done)
			return err
		}
		c.readers[i], writers[i] = r, w
	}
	cmd.Stdout, cmd.Stderr = writers[0], writers[1]
	err := cmd.Start()
	c.closeAll(writers[:])
	if err != nil {
		c.startErr = err
		close(c.done)
		return err
	}
	var wg sync.WaitGroup
	for i, r := range c.readers {
		wg.Go(func() { c.read(i, r) })
	}
	go func() { wg.Wait(); close(c.done) }()
	return cmd.Wait()
}

// read keeps what stream i prints until its end.
func (c *capture) read(i int, r io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			c.mu.Lock()
			if !c.stopped {
				c.bufs[i] = append(c.bufs[i], buf[:n]...)
			}
			c.mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

// drain waits for both streams to end, for drainGrace at most, then
// stops reading them and returns what they printed, and whether it had to
// stop: only a process that left the connector's group can keep a stream
// open that long.
func (c *capture) drain() (stdout, stderr []byte, heldOpen bool) {
	select {
	case <-c.done:
	case <-time.After(drainGrace):
		heldOpen = true
		for _, r := range c.readers {
			if r != nil {
				r.SetReadDeadline(time.Now())
			}
		}
		c.closeAll(c.readers[:])
		select {
		case <-c.done:
		case <-time.After(drainGrace):
			// A read that neither a deadline nor a close ends (pipes
			// outside unix) is abandoned; what it reads is dropped.
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopped = true
	return c.bufs[0], c.bufs[1], heldOpen
}

func (c *capture) closeAll(files []*os.File) {
	for _, f := range files {
		if f != nil {
			f.Close()
		}
	}
}

// splitLines splits output into lines; an unterminated last line is kept,
// so that a truncated line is seen.
func splitLines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// cut shortens a line for a report.
func cut(s string) string {
	const max = 160
	if len(s) <= max {
		return s
	}
	return s[:max] + fmt.Sprintf("... (%d bytes)", len(s))
}

// tracebackMarks are what a crash leaves on stderr in the languages
// connectors are written in.
var tracebackMarks = []string{"Traceback (most recent call last)", "panic: ", "goroutine 1 [", "Exception in thread"}

// traceback returns the first line of a stack trace in stderr, or "".
func traceback(stderr []byte) string {
	for _, l := range splitLines(stderr) {
		for _, m := range tracebackMarks {
			if strings.Contains(l, m) {
				return l
			}
		}
	}
	return ""
}

// lastLine is the last non-empty line of b, for failure details.
func lastLine(b []byte) string {
	lines := splitLines(bytes.TrimSpace(b))
	if len(lines) == 0 {
		return ""
	}
	return lines[len(lines)-1]
}
