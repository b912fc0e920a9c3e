package configspec

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkCheck is `monoid-gen spec --check` on the memory golden project
// without the process start: read, type-check, reflect, convert, lint,
// and read spec.json.
func BenchmarkCheck(b *testing.B) {
	dir := filepath.Join(goldenDir, "memory")
	for b.Loop() {
		if _, _, err := Check(dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFromSource is what `monoid-gen new` spends on spec.json: the
// derivation from the config.go it has rendered.
func BenchmarkFromSource(b *testing.B) {
	src, err := os.ReadFile(filepath.Join(goldenDir, "memory", "demo", "config.go"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := FromSource("demo/config.go", src); err != nil {
			b.Fatal(err)
		}
	}
}
