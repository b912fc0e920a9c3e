//go:build !unix

package conformance

import "os/exec"

// detach leaves cmd as it is: the tests that need a detached child run on
// unix only.
func detach(cmd *exec.Cmd) {}
