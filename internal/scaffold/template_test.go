package scaffold

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// TestCatalogTestsCannotHurt checks what every template says about its
// fixture: a self-contained fixture and a live service exclude each other.
func TestCatalogTestsCannotHurt(t *testing.T) {
	for _, tmpl := range catalog {
		if tmpl.SelfContainedFixture && tmpl.NeedsService {
			t.Errorf("template %s: a fixture cannot be self-contained when the connector needs a live service", tmpl.Name)
		}
	}
}

// TestCatalogExampleFiles renders each template, with two stores where
// --store may choose them, and checks that testdata/ holds an example
// file for every flag of the protocol's commands, in the shape the
// runtime reads, naming exactly the project's stores.
func TestCatalogExampleFiles(t *testing.T) {
	for i, tmpl := range catalog {
		t.Run(tmpl.Name, func(t *testing.T) {
			o := goldenOptions(Options{Name: "acme", Template: tmpl.Name}, i)
			if tmpl.StoreFlag {
				o.Stores = []string{"users", "order_items"}
			}
			files, err := Render(&o)
			if err != nil {
				t.Fatal(err)
			}
			d := newData(o, tmpl)
			var stores []string
			for _, s := range d.Stores {
				stores = append(stores, d.Group+"/"+s.Name)
			}
			slices.Sort(stores)
			content := map[string][]byte{}
			for _, f := range files {
				content[f.Path] = f.Content
			}
			decode := func(name string, v any) bool {
				b, ok := content["testdata/"+name]
				if !ok {
					t.Errorf("missing file testdata/%s", name)
					return false
				}
				if err := json.Unmarshal(b, v); err != nil {
					t.Errorf("testdata/%s: %v", name, err)
					return false
				}
				return true
			}
			named := func(name string, got []string) {
				t.Helper()
				slices.Sort(got)
				got = slices.Compact(got)
				if !slices.Equal(got, stores) {
					t.Errorf("testdata/%s names the stores %s, want %s", name, strings.Join(got, ", "), strings.Join(stores, ", "))
				}
			}
			var config map[string]any
			decode("config.json", &config)
			var persist protocol.PersistenceConfig
			if decode("persist.json", &persist) && persist.TempStore == "" {
				t.Error("testdata/persist.json has no temp_store")
			}
			var q protocol.Query
			if decode("query.json", &q) {
				var got []string
				for _, id := range q.Identifiers {
					got = append(got, id.SchemaGroup+"/"+id.SchemaName)
				}
				named("query.json", got)
			}
			var sc protocol.SchemasMessage
			if decode("schemas.json", &sc) {
				var got []string
				for _, s := range sc.Schemas {
					got = append(got, s.Group+"/"+s.Name)
				}
				named("schemas.json", got)
			}
			var r protocol.RequestsMessage
			if decode("requests.json", &r) {
				var got []string
				types := map[protocol.RequestType]bool{}
				for _, h := range r.Handles {
					got = append(got, h.SchemaGroup+"/"+h.SchemaName)
					types[h.RequestType] = true
				}
				named("requests.json", got)
				if !types[protocol.RequestQuery] || !types[protocol.RequestDelete] {
					t.Errorf("testdata/requests.json should show a QUERY and a DELETE handle; it has %v", types)
				}
			}
		})
	}
}
