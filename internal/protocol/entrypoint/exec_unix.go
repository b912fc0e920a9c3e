//go:build unix

package entrypoint

import (
	"os"
	"syscall"
)

// execConnector replaces the process with the connector at path, run with
// args. It returns only on failure.
func execConnector(path string, args []string) (int, error) {
	argv := append([]string{path}, args...)
	err := syscall.Exec(path, argv, os.Environ())
	return 0, &os.PathError{Op: "exec", Path: path, Err: err}
}
