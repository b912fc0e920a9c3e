package conformance

import (
	"context"
	"time"
)

// Invocation is what one command of a connector did, run as check runs it.
type Invocation struct {
	Code     int   // the exit status; -1 when it did not exit by itself
	TimedOut bool  // it was stopped at the timeout
	StartErr error // it could not be started
	Stdout   []byte
	Stderr   []byte
}

// Invoke runs one protocol command of the connector o.Command (args are
// the protocol's arguments, the command first) in o.Dir with o.Env, within
// o.Timeout (60s when 0), exactly as check runs each command, so that
// other tools run connectors the same way.
func Invoke(ctx context.Context, o Options, args ...string) Invocation {
	if o.Timeout == 0 {
		o.Timeout = 60 * time.Second
	}
	out := (&suite{opts: o}).invoke(ctx, args...)
	return Invocation{Code: out.code, TimedOut: out.timedOut, StartErr: out.startErr, Stdout: out.stdout, Stderr: out.stderr}
}
