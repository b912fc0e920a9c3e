package entrypoint

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/transcript"
)

// BenchmarkServeSpec measures the entrypoint's whole work for spec once the
// process runs, on the reference connector's spec.json: compacting it into
// the SPEC line and writing that.
func BenchmarkServeSpec(b *testing.B) {
	data, err := transcript.DataDir()
	if err != nil {
		b.Fatal(err)
	}
	spec, err := os.ReadFile(filepath.Join(data, "reference", "inputs", "spec.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if code := Serve([]string{"spec"}, spec, "connector", io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit status %d", code)
		}
	}
}
