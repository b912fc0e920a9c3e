package specgen

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/configschema"
	"github.com/monoid-gen/monoid-gen/internal/transcript"
	"github.com/monoid-gen/monoid-gen/templates/examples/mysql"
)

// TestMySQLExampleSpec holds the MySQL example connector's Config to the
// official MySQL connector's spec.json, so that a silo configured for the
// official connector works unchanged with it.
func TestMySQLExampleSpec(t *testing.T) {
	data, err := transcript.DataDir()
	if err != nil {
		t.Fatal(err)
	}
	// Doc comments are read from the example's sources, keyed by its
	// import path: this package's path joined with the relative dir.
	d, err := configschema.Describe(&mysql.Config{}, thisPackage, "../../templates/examples/mysql")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Convert(d)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(data, "specs", "mysql.spec.json"))
	if err != nil {
		t.Fatal(err)
	}
	got, w := normalizeSpec(t, s.Marshal()), normalizeSpec(t, want)
	if !reflect.DeepEqual(got, w) {
		gb, _ := json.MarshalIndent(got, "", "  ")
		wb, _ := json.MarshalIndent(w, "", "  ")
		t.Errorf("the example's Config derives a spec that differs from mysql.spec.json:\ngot:\n%s\nwant:\n%s", gb, wb)
	}
}
