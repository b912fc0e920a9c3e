// Package entrypoint is the program a connector's image starts. It answers
// the spec command itself and hands every other command to the connector
// program, with exec: the process keeps its PID, its standard streams, its
// environment and its signals, so the connector runs exactly as if the
// image had started it.
//
// It exists for start-up time. The platform starts a fresh container for
// every command, spec included, and the connector links a JSON Schema
// validator whose package initialization alone (it compiles the standard
// metaschemas before main runs) takes longer than a bare Go program's
// whole start-up. This package depends on the standard library only, so an
// entrypoint answers spec about as fast as a bare Go program starts; every
// other command pays one extra exec, small against what it does.
package entrypoint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// SpecLine returns the SPEC message for spec, the content of spec.json,
// compacted onto one line. The runtime's spec command writes its message
// through this function too, so the entrypoint and the connector answer
// spec byte for byte alike.
func SpecLine(spec []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(spec) + 32)
	buf.WriteString(`{"type":"SPEC","spec":`)
	if err := json.Compact(&buf, spec); err != nil {
		return nil, fmt.Errorf("embedded spec.json is not valid JSON: %w", err)
	}
	buf.WriteString("}\n")
	return buf.Bytes(), nil
}

// Main is the whole main function of an entrypoint program: it serves
// `spec` (exactly that command, with no flags) from spec, the content of
// spec.json, and runs connector for any other command line, which it
// passes on unchanged. A relative connector path is taken from the
// entrypoint's own directory, where the image puts both programs.
func Main(spec []byte, connector string) {
	os.Exit(Serve(os.Args[1:], spec, connector, os.Stdout, os.Stderr))
}

// Serve does Main's work with args, the command line after the program
// name, and returns the exit status. The spec message goes to stdout and
// errors to stderr as LOG lines; the connector gets the process's own
// streams. On Unix it replaces the process with the connector and returns
// only when that fails; elsewhere it runs the connector as a child and
// returns its exit status.
func Serve(args []string, spec []byte, connector string, stdout, stderr io.Writer) int {
	if slices.Equal(args, []string{"spec"}) {
		line, err := SpecLine(spec)
		if err == nil {
			_, err = stdout.Write(line)
		}
		if err != nil {
			logError(stderr, "spec: "+err.Error())
			return 1
		}
		return 0
	}
	path, err := connectorPath(connector)
	if err == nil {
		var code int
		code, err = execConnector(path, args)
		if err == nil {
			return code
		}
	}
	logError(stderr, fmt.Sprintf("entrypoint: cannot run the connector program: %v; the image must hold it beside the entrypoint", err))
	return 1
}

// connectorPath resolves connector against the directory of the running
// executable.
func connectorPath(connector string) (string, error) {
	if filepath.IsAbs(connector) {
		return connector, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(exe), connector), nil
}

// logError writes msg as an ERROR LOG message line, as the runtime's
// logger does.
func logError(w io.Writer, msg string) {
	var line struct {
		Type string `json:"type"`
		Log  struct {
			Message string `json:"message"`
		} `json:"log"`
	}
	line.Type = "LOG"
	line.Log.Message = "ERROR " + msg
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(line) // nothing is left to tell a failure to
}
