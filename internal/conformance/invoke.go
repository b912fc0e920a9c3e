package conformance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"os/exec"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// maxOutput is the most check keeps of what one command prints, stdout and
// stderr together. A connector that prints more is stopped and fails: a
// scan prints a sample, and the other commands a handful of messages, so
// no correct connector comes near it; past it, check's memory would grow
// with whatever the connector prints.
const maxOutput = 16 << 20

// drainGrace is how long check reads a command's output after the
// connector's process group is gone: only a process that left the group
// can still hold the output open, and check stops waiting for it.
const drainGrace = 2 * time.Second

// output is what one command of the connector did.
type output struct {
	cmd      string // the protocol command
	name     string // how checks name it, e.g. "query: request-status"
	code     int
	timedOut bool
	overflow bool // it printed more than maxOutput and was stopped
	heldOpen bool // a process out of reach kept the output open after the connector exited
	startErr error
	stdout   []byte
	stderr   []byte
	platform platformRead // how the platform's reader fares on stdout and stderr merged

	// Counted once by count; the messages themselves are parsed again by
	// each pass over messages, so that check holds no more than the
	// output however many lines it has.
	nMsgs    int  // stdout lines that are valid messages
	nBad     int  // stdout lines that are not
	firstBad line // the first of those, with why
}

// line is one stdout line, numbered from 1; text points into the output.
type line struct {
	n    int
	text []byte
	msg  protocol.Message
	err  error
}

// invoke runs the connector with args, within the per-command timeout.
// The connector runs in a process group of its own, killed at the
// deadline, once the connector exits, and once it has printed
// maxOutput, so that nothing it started outlives the command or holds its
// output open.
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
	c := capture{limit: maxOutput, full: cancel}
	err := c.run(cmd)
	killGroup(cmd)
	o.stdout, o.stderr, o.heldOpen = c.drain()
	o.platform = c.platform
	c.closeAll(c.readers[:])
	var ee *exec.ExitError
	switch {
	case c.startErr != nil:
		o.startErr, o.code = c.startErr, -1
	case c.overflow:
		o.overflow, o.code = true, -1
	case ctx.Err() == context.DeadlineExceeded:
		o.timedOut, o.code = true, -1
	case errors.As(err, &ee):
		o.code = ee.ExitCode()
	case err != nil:
		o.startErr, o.code = err, -1
	}
	o.count()
	return o
}

// count counts the stdout lines that are valid messages and those that
// are not, and keeps the first of the latter.
func (o *output) count() {
	for n, text := range lines(o.stdout) {
		if mayBeMessage(text) {
			if _, err := protocol.ParseMessage(text); err == nil {
				o.nMsgs++
				continue
			}
		}
		if o.nBad == 0 {
			o.firstBad = line{n: n, text: text}
			o.firstBad.msg, o.firstBad.err = protocol.ParseMessage(text)
		}
		o.nBad++
	}
}

// messages yields the stdout lines that are valid messages, parsing them
// afresh on each pass.
func (o *output) messages() iter.Seq[line] {
	return func(yield func(line) bool) {
		for n, text := range lines(o.stdout) {
			if !mayBeMessage(text) {
				continue
			}
			m, err := protocol.ParseMessage(text)
			if err == nil && !yield(line{n: n, text: text, msg: m}) {
				return
			}
		}
	}
}

// mayBeMessage reports whether line may hold a message: a JSON object.
// The other lines are known to be no message without the cost of parsing
// them, which a connector that prints millions of them would make long.
func mayBeMessage(line []byte) bool {
	line = bytes.TrimLeft(line, " \t\r\n")
	return len(line) > 0 && line[0] == '{'
}

// capture reads what a command prints on its two streams, and keeps up to
// limit bytes of the two together.
type capture struct {
	limit    int
	full     func() // stops the connector once limit is reached
	mu       sync.Mutex
	kept     int
	bufs     [2][]byte // stdout, stderr
	platform platformRead
	overflow bool // limit was reached: later reads are dropped
	stopped  bool // drain returned: later reads are dropped
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

// read reads stream i until its end, keeping what fits under the limit.
func (c *capture) read(i int, r io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			c.keep(i, buf[:n])
		}
		if err != nil {
			return
		}
	}
}

// keep appends p to stream i's output; past the limit it keeps what fits
// and stops the connector.
func (c *capture) keep(i int, p []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped || c.overflow {
		return
	}
	if room := c.limit - c.kept; len(p) > room {
		p = p[:room]
		c.overflow = true
		c.full()
	}
	if b := c.bufs[i]; len(b)+len(p) > cap(b) {
		// Double, up to what the limit leaves: append's gentler growth
		// past 256 bytes would copy 16 MiB many times over.
		grown := make([]byte, 0, min(max(2*cap(b), len(b)+len(p), 4096), len(b)+c.limit-c.kept))
		c.bufs[i] = append(grown, b...)
	}
	c.bufs[i] = append(c.bufs[i], p...)
	c.kept += len(p)
	c.platform.write(i, p)
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
	c.platform.close()
	return c.bufs[0], c.bufs[1], heldOpen
}

func (c *capture) closeAll(files []*os.File) {
	for _, f := range files {
		if f != nil {
			f.Close()
		}
	}
}

// lines yields b's lines, numbered from 1, without their "\n". An
// unterminated last line is yielded too, so that a truncated line is
// seen. The lines point into b.
func lines(b []byte) iter.Seq2[int, []byte] {
	return func(yield func(int, []byte) bool) {
		for n := 1; len(b) > 0; n++ {
			i := bytes.IndexByte(b, '\n')
			if i < 0 {
				yield(n, b)
				return
			}
			if !yield(n, b[:i]) {
				return
			}
			b = b[i+1:]
		}
	}
}

// firstLine is b's first line.
func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

// maxQuote bounds what a report quotes of one thing the connector
// printed: enough for a whole error message, root cause included.
const maxQuote = 4 << 10

// cut is text the connector printed, for a report: whole up to maxQuote
// bytes, cut at a character beyond, saying how long it was. The report
// escapes it.
func cut[T ~string | ~[]byte](t T) string {
	if len(t) <= maxQuote {
		return string(t)
	}
	return cutAt(string(t[:maxQuote+utf8.UTFMax]), maxQuote) + fmt.Sprintf("... (%d bytes)", len(t))
}

// connectorMessage is what the connector said last on stderr, for the
// detail of a failure: the text of a LOG message, or the line as it is.
func connectorMessage(stderr []byte) string {
	l := lastLine(stderr)
	if mayBeMessage(l) {
		if m, err := protocol.ParseMessage(l); err == nil && m.Type == protocol.TypeLog {
			return cut(m.Log.Message)
		}
	}
	return cut(l)
}

// tracebackMarks are what a crash leaves on stderr in the languages
// connectors are written in.
var tracebackMarks = [][]byte{[]byte("Traceback (most recent call last)"), []byte("panic: "), []byte("goroutine 1 ["), []byte("Exception in thread")}

// traceback returns the first line of a stack trace in stderr, or nil.
func traceback(stderr []byte) []byte {
	for _, l := range lines(stderr) {
		for _, m := range tracebackMarks {
			if bytes.Contains(l, m) {
				return l
			}
		}
	}
	return nil
}

// lastLine is the last non-empty line of b, for failure details.
func lastLine(b []byte) []byte {
	b = bytes.TrimSpace(b)
	return b[bytes.LastIndexByte(b, '\n')+1:]
}
