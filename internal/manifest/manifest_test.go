package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/monoid-gen/monoid-gen/internal/transcript"
)

func monoidData(t *testing.T, name string) []byte {
	t.Helper()
	dir, err := transcript.DataDir()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var acme = Entry{
	Name: "Acme", ID: "3f0b2c1e-5d7a-4b8e-9c6f-1a2b3c4d5e6f", DocumentationURL: DefaultDocumentationURL,
	DockerImage: "example/monoid-acme", DockerTag: "0.1.0", Logo: "acme.svg",
}

// TestMergeNewEntry appends an entry: the file before it is unchanged byte
// for byte, and a second merge changes nothing.
func TestMergeNewEntry(t *testing.T) {
	orig := monoidData(t, "integration-manifest.yaml")
	out, outcome, err := Merge("integration-manifest.yaml", orig, acme, false)
	if err != nil || outcome != Added {
		t.Fatalf("outcome %v, error %v", outcome, err)
	}
	want := string(orig) + `- name: Acme
  id: 3f0b2c1e-5d7a-4b8e-9c6f-1a2b3c4d5e6f
  documentationUrl: https://docs.monoid.co
  dockerImage: example/monoid-acme
  dockerTag: 0.1.0
  logo: acme.svg
`
	if string(out) != want {
		t.Errorf("merged file:\n%s\nwant:\n%s", out, want)
	}
	again, outcome, err := Merge("integration-manifest.yaml", out, acme, false)
	if err != nil || outcome != Unchanged || again != nil {
		t.Errorf("second merge: outcome %v, error %v", outcome, err)
	}
}

// TestMergeUpdatesInPlace changes the tag of an existing entry: exactly one
// line of the file changes.
func TestMergeUpdatesInPlace(t *testing.T) {
	orig := monoidData(t, "integration-manifest.yaml")
	pg := Entry{Name: "Postgres", ID: "d454d06e-4a7d-47d2-b8af-b3c877eceed5", DocumentationURL: DefaultDocumentationURL,
		DockerImage: "monoidco/monoid-postgres", DockerTag: "0.0.2", Logo: "postgres.svg"}
	out, outcome, err := Merge("m.yaml", orig, pg, false)
	if err != nil || outcome != Updated {
		t.Fatalf("outcome %v, error %v", outcome, err)
	}
	a, b := strings.Split(string(orig), "\n"), strings.Split(string(out), "\n")
	if len(a) != len(b) {
		t.Fatalf("line count changed from %d to %d", len(a), len(b))
	}
	var diffs []string
	for i := range a {
		if a[i] != b[i] {
			diffs = append(diffs, a[i]+" -> "+b[i])
		}
	}
	if len(diffs) != 1 || diffs[0] != "  dockerTag: 0.0.1 -> "+"  dockerTag: 0.0.2" {
		t.Errorf("changed lines: %v", diffs)
	}
}

// TestMergeKeepsComments merges into a manifest with comments.
func TestMergeKeepsComments(t *testing.T) {
	orig := "# Connectors the platform knows.\n" + strings.Replace(string(monoidData(t, "integration-manifest.yaml")),
		"- name: MySQL\n", "# Databases below.\n- name: MySQL # the MySQL connector\n", 1)
	out, _, err := Merge("m.yaml", []byte(orig), acme, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"# Connectors the platform knows.", "# Databases below.", "# the MySQL connector"} {
		if !strings.Contains(string(out), c) {
			t.Errorf("comment %q lost:\n%s", c, out)
		}
	}
	if !strings.HasPrefix(string(out), orig) {
		t.Errorf("the existing part of the file changed:\n%s", out)
	}
}

func TestMergeRefusesConflicts(t *testing.T) {
	orig := monoidData(t, "integration-manifest.yaml")
	name := acme
	name.Name = "Snowflake"
	_, _, err := Merge("m.yaml", orig, name, false)
	if err == nil || !strings.Contains(err.Error(), `m.yaml: line 25: entry 35b27655-f7c2-4409-a8a8-2246482af7c0 already uses the name "Snowflake"`) {
		t.Errorf("name conflict: %v", err)
	}
	image := acme
	image.DockerImage = "monoidco/monoid-mysql"
	_, _, err = Merge("m.yaml", orig, image, false)
	if err == nil || !strings.Contains(err.Error(), `entry "MySQL" (cd4ca115-9761-476b-8404-6507b852fd82) already uses the image monoidco/monoid-mysql`) {
		t.Errorf("image conflict: %v", err)
	}
}

func TestMergeRefusesMalformed(t *testing.T) {
	for in, want := range map[string]string{
		"- name: A\n  id: x\n    bad: y\n": "m.yaml: yaml: line 3: mapping values are not allowed",
		"name: A\n":                        "m.yaml: line 1: want a list of connector entries",
		"- just a string\n":                "m.yaml: line 1: want a connector entry",
	} {
		_, _, err := Merge("m.yaml", []byte(in), acme, false)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", in, err, want)
		}
	}
}

func TestMergeIntoEmptyFile(t *testing.T) {
	out, outcome, err := Merge("m.yaml", nil, acme, false)
	if err != nil || outcome != Added || !strings.HasPrefix(string(out), "- name: Acme\n") {
		t.Errorf("outcome %v, error %v, out %q", outcome, err, out)
	}
}

func TestEntryValidate(t *testing.T) {
	for _, e := range []Entry{
		func() Entry { x := acme; x.ID = "not-a-uuid"; return x }(),
		func() Entry { x := acme; x.ID = strings.ToUpper(acme.ID); return x }(),
		func() Entry { x := acme; x.DockerTag = "-bad"; return x }(),
		func() Entry { x := acme; x.DockerImage = "Acme"; return x }(),
		func() Entry { x := acme; x.Name = ""; return x }(),
	} {
		if err := e.Validate(); err == nil {
			t.Errorf("%+v accepted", e)
		}
	}
}

// TestSpecEntryLayout writes Postgres's integration-spec.yaml entry from
// its spec.json and finds it, byte for byte, in the platform's sample
// file; merging it into the sample changes nothing.
func TestSpecEntryLayout(t *testing.T) {
	var specFile struct {
		Spec json.RawMessage `json:"spec"`
	}
	if err := json.Unmarshal(monoidData(t, "specs/postgres.spec.json"), &specFile); err != nil {
		t.Fatal(err)
	}
	pg := Entry{Name: "Postgres", ID: "d454d06e-4a7d-47d2-b8af-b3c877eceed5", DocumentationURL: DefaultDocumentationURL,
		DockerImage: "monoidco/monoid-postgres", DockerTag: "0.0.1", Logo: "postgres.svg", Spec: specFile.Spec}
	out, err := pg.Marshal(true)
	if err != nil {
		t.Fatal(err)
	}
	sample := monoidData(t, "integration-spec.sample.yaml")
	if !bytes.HasPrefix(sample, out) {
		t.Errorf("entry:\n%s\nis not how the sample lays it out:\n%s", out, sample[:min(len(sample), len(out))])
	}
	_, outcome, err := Merge("spec.yaml", sample, pg, true)
	if err != nil || outcome != Unchanged {
		t.Errorf("merging an entry the sample holds: outcome %v, error %v", outcome, err)
	}
}

func TestCheckTagAndImage(t *testing.T) {
	for _, tag := range []string{"0.0.1", "latest", "v1_2-rc.3", strings.Repeat("a", 128)} {
		if err := CheckTag(tag); err != nil {
			t.Errorf("CheckTag(%q) = %v, want nil", tag, err)
		}
	}
	for _, tag := range []string{"", "-bad", ".bad", "a/b", strings.Repeat("a", 129)} {
		if err := CheckTag(tag); err == nil || !strings.Contains(err.Error(), "a Docker tag is") {
			t.Errorf("CheckTag(%q) = %v, want the rule", tag, err)
		}
	}
	for _, image := range []string{"monoid-acme", "monoidco/monoid-acme", "registry.example.com:5000/a/b__c"} {
		if err := CheckImage(image); err != nil {
			t.Errorf("CheckImage(%q) = %v, want nil", image, err)
		}
	}
	for _, image := range []string{"", "monoid/Acme", "acme-", "a//b", "acme:1"} {
		if err := CheckImage(image); err == nil || !strings.Contains(err.Error(), "a Docker repository name is") {
			t.Errorf("CheckImage(%q) = %v, want the rule", image, err)
		}
	}
}

// TestMergeRefusesMultipleDocuments: a file of several YAML documents
// would lose every one after the first; it is refused.
func TestMergeRefusesMultipleDocuments(t *testing.T) {
	in := "- name: A\n  id: 9a0b2c1e-5d7a-4b8e-9c6f-1a2b3c4d5e6f\n---\n- name: B\n  id: 8a0b2c1e-5d7a-4b8e-9c6f-1a2b3c4d5e6f\n"
	_, _, err := Merge("m.yaml", []byte(in), acme, false)
	if err == nil || !strings.Contains(err.Error(), "m.yaml: line 3: a second YAML document") {
		t.Errorf("error %v", err)
	}
}

// TestMergeRefusesDuplicateIDs: two entries with one id are an error, not
// "update the last".
func TestMergeRefusesDuplicateIDs(t *testing.T) {
	one := "- name: A\n  id: " + acme.ID + "\n  dockerImage: a/a\n"
	two := "- name: B\n  id: " + acme.ID + "\n  dockerImage: b/b\n"
	_, _, err := Merge("m.yaml", []byte(one+two), acme, false)
	if err == nil || !strings.Contains(err.Error(), "m.yaml: line 4: entry \"B\" has the id "+acme.ID+", as the entry at line 1 does") {
		t.Errorf("error %v", err)
	}
}

// TestMergeRefusesOtherKindOfFile: a manifest entry does not go into
// integration-spec.yaml, nor a spec entry into integration-manifest.yaml.
func TestMergeRefusesOtherKindOfFile(t *testing.T) {
	_, _, err := Merge("integration-spec.yaml", monoidData(t, "integration-spec.sample.yaml"), acme, false)
	if err == nil || !strings.Contains(err.Error(), "integration-spec.yaml: line 1: the entries of this file carry a spec") {
		t.Errorf("manifest entry into a spec file: %v", err)
	}
	withSpec := acme
	withSpec.Spec = json.RawMessage(`{"type":"object"}`)
	_, _, err = Merge("integration-manifest.yaml", monoidData(t, "integration-manifest.yaml"), withSpec, true)
	if err == nil || !strings.Contains(err.Error(), "integration-manifest.yaml: line 1: the entries of this file carry no spec") {
		t.Errorf("spec entry into a manifest file: %v", err)
	}
	// An empty file is told by its name.
	_, _, err = Merge("integration-spec.yaml", nil, acme, false)
	if err == nil || !strings.Contains(err.Error(), "integration-spec.yaml") {
		t.Errorf("manifest entry into an empty spec file: %v", err)
	}
}

// TestMergeKeepsLineEndsAndBOM: a file written with CRLF line ends or a
// byte order mark keeps them, and its lines are unchanged.
func TestMergeKeepsLineEndsAndBOM(t *testing.T) {
	orig := string(monoidData(t, "integration-manifest.yaml"))
	for name, tc := range map[string]struct{ in, prefix, eol string }{
		"crlf":     {strings.ReplaceAll(orig, "\n", "\r\n"), "", "\r\n"},
		"bom":      {"\ufeff" + orig, "\ufeff", "\n"},
		"bom crlf": {"\ufeff" + strings.ReplaceAll(orig, "\n", "\r\n"), "\ufeff", "\r\n"},
	} {
		t.Run(name, func(t *testing.T) {
			out, outcome, err := Merge("m.yaml", []byte(tc.in), acme, false)
			if err != nil || outcome != Added {
				t.Fatalf("outcome %v, error %v", outcome, err)
			}
			if !strings.HasPrefix(string(out), tc.in) {
				t.Errorf("the existing part of the file changed:\n%q", out[:min(len(out), 200)])
			}
			added := strings.TrimPrefix(string(out), tc.in)
			if want := "- name: Acme" + tc.eol; !strings.HasPrefix(added, want) {
				t.Errorf("added %q, want it to start %q", added, want)
			}
			if tc.eol == "\r\n" && strings.Count(added, "\n") != strings.Count(added, "\r\n") {
				t.Errorf("mixed line ends in %q", added)
			}
			if strings.Count(string(out), "\ufeff") != strings.Count(tc.prefix, "\ufeff") {
				t.Errorf("byte order marks: %d, want %d", strings.Count(string(out), "\ufeff"), strings.Count(tc.prefix, "\ufeff"))
			}
			again, outcome, err := Merge("m.yaml", out, acme, false)
			if err != nil || outcome != Unchanged || again != nil {
				t.Errorf("second merge: outcome %v, error %v", outcome, err)
			}
		})
	}
}

// TestMergeIntoCommentsOnly: a file that holds only comments keeps them,
// and the entry follows.
func TestMergeIntoCommentsOnly(t *testing.T) {
	for _, in := range []string{"# Connectors of this platform.\n# Add entries below.\n", "# no newline at the end"} {
		out, outcome, err := Merge("m.yaml", []byte(in), acme, false)
		if err != nil || outcome != Added {
			t.Fatalf("%q: outcome %v, error %v", in, outcome, err)
		}
		if !strings.HasPrefix(string(out), strings.TrimSuffix(in, "\n")+"\n- name: Acme\n") {
			t.Errorf("%q became:\n%s", in, out)
		}
		var list []map[string]any
		if err := yaml.Unmarshal(out, &list); err != nil || len(list) != 1 || list[0]["name"] != "Acme" {
			t.Errorf("%q: merged file reads as %v, %v", in, list, err)
		}
	}
}

// FuzzMerge merges an entry into arbitrary content: it never panics, and
// whatever it writes is a list that holds the entry and every entry the
// file had, which a second merge leaves unchanged.
func FuzzMerge(f *testing.F) {
	f.Add([]byte("- name: Postgres\n  id: d454d06e-4a7d-47d2-b8af-b3c877eceed5\n  dockerImage: monoidco/monoid-postgres\n"))
	f.Add([]byte("# comment only\n"))
	f.Add([]byte("\ufeff- name: A\r\n  id: 9a0b2c1e-5d7a-4b8e-9c6f-1a2b3c4d5e6f\r\n"))
	f.Add([]byte("- a: 1\n---\n- b: 2\n"))
	f.Add([]byte("- &x {name: A}\n- *x\n"))
	f.Add([]byte("---\n"))
	f.Add([]byte("~"))
	f.Fuzz(func(t *testing.T, content []byte) {
		out, outcome, err := Merge("m.yaml", content, acme, false)
		if err != nil || outcome == Unchanged {
			return
		}
		var before, after []map[string]any
		if yaml.Unmarshal(bytes.TrimPrefix(content, utf8BOM), &before) != nil {
			return // not a list of entries the platform could read either
		}
		if err := yaml.Unmarshal(bytes.TrimPrefix(out, utf8BOM), &after); err != nil {
			t.Fatalf("merged content does not parse: %v\n%s", err, out)
		}
		want := len(before)
		if outcome == Added {
			want++
		}
		if len(after) != want {
			t.Fatalf("%d entries after a merge (%v) of %d:\n%s", len(after), outcome, len(before), out)
		}
		found := false
		for _, e := range after {
			found = found || e["id"] == acme.ID
		}
		if !found {
			t.Fatalf("the entry is not in the merged content:\n%s", out)
		}
		if again, outcome, err := Merge("m.yaml", out, acme, false); err != nil || outcome != Unchanged || again != nil {
			t.Fatalf("second merge: %v, %v", outcome, err)
		}
	})
}

// TestEntryValidateHostileValues: values that would mislead the platform
// or its users are refused, each naming the field, the value escaped, and
// the rule.
func TestEntryValidateHostileValues(t *testing.T) {
	for _, tc := range []struct {
		edit  func(*Entry)
		field string
	}{
		{func(e *Entry) { e.Logo = "../../etc/passwd" }, "logo"},
		{func(e *Entry) { e.Logo = "/etc/passwd" }, "logo"},
		{func(e *Entry) { e.Logo = ".hidden.svg" }, "logo"},
		{func(e *Entry) { e.Logo = `dir\acme.svg` }, "logo"},
		{func(e *Entry) { e.DocumentationURL = "javascript:alert(1)" }, "documentationUrl"},
		{func(e *Entry) { e.DocumentationURL = "file:///etc/passwd" }, "documentationUrl"},
		{func(e *Entry) { e.DocumentationURL = "//docs.example.com" }, "documentationUrl"},
		{func(e *Entry) { e.DocumentationURL = "https://docs.example.com/\nx" }, "documentationUrl"},
		{func(e *Entry) { e.Name = "Acme\nEvil: true" }, "name"},
		{func(e *Entry) { e.Name = "Acme\x1b[31m" }, "name"},
		{func(e *Entry) { e.Name = " Acme" }, "name"},
		{func(e *Entry) { e.Name = "Acme\xff" }, "name"},
		{func(e *Entry) { e.DockerImage = "example/" + strings.Repeat("a", 250) }, "dockerImage"},
	} {
		e := acme
		tc.edit(&e)
		err := e.Validate()
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%+v: error %v, want one about %s", e, err, tc.field)
			continue
		}
		if strings.ContainsAny(err.Error(), "\n\x1b") {
			t.Errorf("error is not escaped: %q", err)
		}
	}
	for _, ok := range []func(*Entry){
		func(e *Entry) { e.DocumentationURL = "" },
		func(e *Entry) { e.DocumentationURL = "http://localhost:8080/docs" },
		func(e *Entry) { e.Logo = "google-sheets_2.png" },
		func(e *Entry) { e.Name = "Google Sheets (beta) – EU" },
	} {
		e := acme
		ok(&e)
		if err := e.Validate(); err != nil {
			t.Errorf("%+v refused: %v", e, err)
		}
	}
}
