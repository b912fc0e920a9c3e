package form

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestPostgresOrderAndInitialValues(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "monoid", "specs", "postgres.spec.json"))
	if err != nil {
		t.Fatal(err)
	}
	fs, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	var labels, kinds []string
	for _, f := range fs {
		labels = append(labels, f.Label)
		kinds = append(kinds, string(f.Kind))
	}
	wantLabels := []string{"Hostname", "Port", "Default Database", "Username", "Password", "Scan All DBs", "Connect using SSL", "Exclude DBs"}
	if !reflect.DeepEqual(labels, wantLabels) {
		t.Errorf("labels = %q, want %q", labels, wantLabels)
	}
	wantKinds := []string{"text", "number", "text", "text", "password", "boolean", "boolean", "strings"}
	if !reflect.DeepEqual(kinds, wantKinds) {
		t.Errorf("kinds = %q, want %q", kinds, wantKinds)
	}
	got, _ := json.Marshal(Config(fs))
	want := `{"database":"postgres","exclude_dbs":[],"hostname":"","password":"","port":5432,"scan_all":true,"ssl":false,"username":""}`
	if string(got) != want {
		t.Errorf("config = %s, want %s", got, want)
	}
	if s := Secrets(fs); !reflect.DeepEqual(s, []string{"password"}) {
		t.Errorf("secrets = %q", s)
	}
	// hostname, username and password are required strings without a default.
	if w := Warnings(fs); len(w) != 3 {
		t.Errorf("warnings = %q, want 3 about empty required strings", w)
	}
}

func TestKindsAndWarnings(t *testing.T) {
	spec := `{"spec":{"type":"object","required":["name","mode"],"properties":{
		"late":   {"type":"string","title":"Late"},
		"mode":   {"type":"string","title":"Mode","enum":["a","b"],"default":"a","order":3},
		"name":   {"type":"string","title":"Name","order":1},
		"n":      {"type":"integer","title":"N","default":0,"order":2},
		"ids":    {"type":"array","items":{"type":"integer"},"order":4},
		"either": {"type":["string","null"],"order":5},
		"ssh":    {"type":"object","title":"SSH","order":0,"properties":{
			"port": {"type":"integer","default":22,"order":2},
			"key":  {"type":"string","secret":true,"order":1}}}}}}`
	fs, err := Parse([]byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range fs {
		paths = append(paths, f.Path)
	}
	if want := []string{"ssh", "name", "n", "mode", "ids", "either", "late"}; !reflect.DeepEqual(paths, want) {
		t.Errorf("order = %q, want %q", paths, want)
	}
	if fs[0].Kind != Group || fs[0].Fields[0].Path != "ssh.key" || fs[0].Fields[0].Kind != Password {
		t.Errorf("group = %+v", fs[0])
	}
	got, _ := json.Marshal(Config(fs))
	want := `{"late":"","mode":"a","n":0,"name":"","ssh":{"key":"","port":22}}`
	if string(got) != want {
		t.Errorf("config = %s, want %s", got, want)
	}
	ws := strings.Join(Warnings(fs), "\n")
	for _, want := range []string{
		`field name: it is required, but the form sends ""`,
		`field mode: its enum ["a","b"] is shown as a free text box`,
		`field ids: the form cannot draw an array of "integer"`,
		`field either: the form cannot draw a type that is not one string (["string","null"])`,
	} {
		if !strings.Contains(ws, want) {
			t.Errorf("warnings lack %q:\n%s", want, ws)
		}
	}
	if strings.Contains(ws, "field late") {
		t.Errorf("an optional string warned:\n%s", ws)
	}
}

func TestParseErrors(t *testing.T) {
	for _, spec := range []string{`{`, `{"spec":{"properties":[1]}}`, `{"spec":{"properties":{"a":{"title":3}}}}`} {
		if _, err := Parse([]byte(spec)); err == nil {
			t.Errorf("Parse(%s): no error", spec)
		}
	}
}
