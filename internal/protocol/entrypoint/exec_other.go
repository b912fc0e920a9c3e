//go:build !unix

package entrypoint

import (
	"errors"
	"os"
	"os/exec"
)

// execConnector runs the connector at path with args as a child process
// with the same standard streams, where the system cannot replace a
// process, and returns its exit status.
func execConnector(path string, args []string) (int, error) {
	cmd := exec.Command(path, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), nil
	}
	return 0, err
}
