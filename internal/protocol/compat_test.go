package protocol_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
	"github.com/monoid-gen/monoid-gen/internal/transcript"
	"github.com/monoid-gen/monoid-gen/templates/examples/memory"
)

// TestReferenceTranscripts runs the reference connector through the runner
// for each reference input and compares its output with what the Python
// kit printed.
func TestReferenceTranscripts(t *testing.T) {
	ref := filepath.Join(dataDir(t), "reference")
	spec, err := os.ReadFile(filepath.Join(ref, "inputs", "spec.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, run := range transcript.Runs {
		t.Run(run.Output, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(ref, "outputs", run.Output))
			if err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			code := protocol.Execute(context.Background(), memory.Silo{}, spec, protocol.Env{
				Args: run.ArgsIn(filepath.Join(ref, "inputs")), Stdout: &stdout, Stderr: &stderr,
			})
			if code != protocol.ExitOK {
				t.Fatalf("exit %d, want 0; stderr:\n%s", code, stderr.String())
			}
			if err := transcript.Compare(stdout.Bytes(), want); err != nil {
				t.Errorf("%v\nfull output:\n%s", err, stdout.String())
			}
		})
	}
}

// TestPythonKitOutputParses holds every line the Python kit printed to
// this package's definition of a message (ParseMessage, which the
// conformance checks apply): nulls everywhere included.
func TestPythonKitOutputParses(t *testing.T) {
	outputs, err := filepath.Glob(filepath.Join(dataDir(t), "reference", "outputs", "*.jsonl"))
	if err != nil || len(outputs) != len(transcript.Runs) {
		t.Fatalf("found %d transcripts (%v), want %d", len(outputs), err, len(transcript.Runs))
	}
	for _, name := range outputs {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n")) {
			if _, err := protocol.ParseMessage(line); err != nil {
				t.Errorf("%s line %d: %v", filepath.Base(name), i+1, err)
			}
		}
	}
}
