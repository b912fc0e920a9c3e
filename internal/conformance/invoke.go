package conformance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// output is what one command of the connector did.
type output struct {
	cmd      string // the protocol command
	name     string // how checks name it, e.g. "query: request-status"
	code     int
	timedOut bool
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

// invoke runs the connector with args, within the per-command timeout.
func (s *suite) invoke(ctx context.Context, args ...string) *output {
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	argv := append(append([]string{}, s.opts.Command[1:]...), args...)
	cmd := exec.CommandContext(ctx, s.opts.Command[0], argv...)
	cmd.Dir = s.opts.Dir
	cmd.Env = s.opts.Env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	o := &output{cmd: args[0], name: args[0], stdout: stdout.Bytes(), stderr: stderr.Bytes()}
	var ee *exec.ExitError
	switch {
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
