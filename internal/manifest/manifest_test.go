package manifest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/transcript"
)

func shared(t *testing.T, name string) []byte {
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
	orig := shared(t, "integration-manifest.yaml")
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
	orig := shared(t, "integration-manifest.yaml")
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
	orig := "# Connectors the platform knows.\n" + strings.Replace(string(shared(t, "integration-manifest.yaml")),
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
	orig := shared(t, "integration-manifest.yaml")
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
	if err := json.Unmarshal(shared(t, "specs/postgres.spec.json"), &specFile); err != nil {
		t.Fatal(err)
	}
	pg := Entry{Name: "Postgres", ID: "d454d06e-4a7d-47d2-b8af-b3c877eceed5", DocumentationURL: DefaultDocumentationURL,
		DockerImage: "monoidco/monoid-postgres", DockerTag: "0.0.1", Logo: "postgres.svg", Spec: specFile.Spec}
	out, err := pg.Marshal(true)
	if err != nil {
		t.Fatal(err)
	}
	sample := shared(t, "integration-spec.sample.yaml")
	if !bytes.HasPrefix(sample, out) {
		t.Errorf("entry:\n%s\nis not how the sample lays it out:\n%s", out, sample[:min(len(sample), len(out))])
	}
	_, outcome, err := Merge("spec.yaml", sample, pg, true)
	if err != nil || outcome != Unchanged {
		t.Errorf("merging an entry the sample holds: outcome %v, error %v", outcome, err)
	}
}
