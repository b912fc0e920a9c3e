package specgen

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/configschema"
	"github.com/monoid-gen/monoid-gen/internal/transcript"
	"github.com/monoid-gen/monoid-gen/templates/examples/postgres"
)

// TestPostgresExampleSpec derives spec.json from the Postgres example's
// Config, as monoid-gen does in a project made from it, and compares it
// with the official connector's: a silo configured for the official
// connector must work unchanged with the example.
func TestPostgresExampleSpec(t *testing.T) {
	data, err := transcript.DataDir()
	if err != nil {
		t.Fatal(err)
	}
	// invopop keys doc comments by path.Join(base, the file's directory).
	d, err := configschema.Describe(&postgres.Config{}, thisPackage, "../../templates/examples/postgres")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Convert(d)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(data, "specs", "postgres.spec.json"))
	if err != nil {
		t.Fatal(err)
	}
	got, w := normalizeSpec(t, s.Marshal()), normalizeSpec(t, want)
	if !reflect.DeepEqual(got, w) {
		gb, _ := json.MarshalIndent(got, "", "  ")
		wb, _ := json.MarshalIndent(w, "", "  ")
		t.Errorf("the example's Config derives a spec that differs from postgres.spec.json:\ngot:\n%s\nwant:\n%s", gb, wb)
	}
}
