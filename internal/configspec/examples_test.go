package configspec

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/transcript"
)

// TestExamplesGiveOfficialSpecs derives spec.json from the config.go of
// each SQL example, as monoid-gen does in a project made from it, and
// compares it with the official connector's: a silo configured for the
// official connector works unchanged with the example.
func TestExamplesGiveOfficialSpecs(t *testing.T) {
	data, err := transcript.DataDir()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"postgres", "mysql"} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join("..", "..", "templates", "examples", name, "config.go")
			src, err := os.ReadFile(file)
			if os.IsNotExist(err) {
				t.Skipf("SKIP: no %s example in this tree", name)
			}
			if err != nil {
				t.Fatal(err)
			}
			d, err := FromSource(file, src)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(data, "specs", name+".spec.json"))
			if err != nil {
				t.Fatal(err)
			}
			got, w := normalizeSpec(t, d.JSON), normalizeSpec(t, want)
			if !reflect.DeepEqual(got, w) {
				gb, _ := json.MarshalIndent(got, "", "  ")
				wb, _ := json.MarshalIndent(w, "", "  ")
				t.Errorf("the %s example's Config derives a spec that differs from %s.spec.json:\ngot:\n%s\nwant:\n%s", name, name, gb, wb)
			}
		})
	}
}
