package configspec

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/transcript"
)

// TestOfficialSpecs reproduces the spec of four official Python connectors
// from Config structs as their authors would write them for monoid-gen
// (testdata/official/*.go), and from the SQL examples' config.go, read
// through the same pipeline as a project's.
// The one difference allowed: "required" is compared as a set, since ours
// lists the fields in struct order and the hand-written files list them in
// no particular order (JSON Schema gives the order no meaning).
func TestOfficialSpecs(t *testing.T) {
	data, err := transcript.DataDir()
	if err != nil {
		t.Fatal(err)
	}
	// The SQL examples' config.go must give their official specs too: a
	// silo configured for the official connector works unchanged with a
	// project made from them.
	examples := filepath.Join("..", "..", "templates", "examples")
	for _, c := range []struct{ name, file string }{
		{"postgres", filepath.Join("testdata", "official", "postgres.go")},
		{"mysql", filepath.Join("testdata", "official", "mysql.go")},
		{"mixpanel", filepath.Join("testdata", "official", "mixpanel.go")},
		{"intercom", filepath.Join("testdata", "official", "intercom.go")},
		{"postgres", filepath.Join(examples, "postgres", "config.go")},
		{"mysql", filepath.Join(examples, "mysql", "config.go")},
	} {
		name, file := c.name, c.file
		t.Run(file, func(t *testing.T) {
			src, err := os.ReadFile(file)
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
				t.Errorf("derived spec differs from %s.spec.json:\ngot:\n%s\nwant:\n%s", name, gb, wb)
			}
		})
	}
}

// TestOfficialSpecsLint runs the lint over the hand-written official specs,
// as `monoid-gen check` does on what their connectors print: the form
// renders them all, and the one credential-looking name left in clear text
// is Mixpanel's project token, which Mixpanel publishes in web pages.
func TestOfficialSpecsLint(t *testing.T) {
	data, err := transcript.DataDir()
	if err != nil {
		t.Fatal(err)
	}
	var credentials []string
	for _, name := range []string{"postgres", "mysql", "mixpanel", "intercom"} {
		b, err := os.ReadFile(filepath.Join(data, "specs", name+".spec.json"))
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Spec json.RawMessage `json:"spec"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		if ps := FormProblems(doc.Spec); len(ps) > 0 {
			t.Errorf("%s: form problems %v", name, ps)
		}
		for _, p := range CredentialProblems(doc.Spec) {
			credentials = append(credentials, name+": "+p.String())
		}
	}
	if len(credentials) != 1 || !strings.HasPrefix(credentials[0], "mixpanel: project_token: looks like a credential") {
		t.Errorf("credential problems %q, want mixpanel's project_token alone", credentials)
	}
}

// normalizeSpec parses a spec.json and sorts its required lists.
func normalizeSpec(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if req, ok := x["required"].([]any); ok {
				slices.SortFunc(req, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return v
}
