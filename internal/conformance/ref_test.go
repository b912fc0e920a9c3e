package conformance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSchemaRefsStayInside checks that a schema from the connector is
// never completed from a file or a URL: a $ref to anything but a place
// inside the schema is refused, even to a schema that exists.
func TestSchemaRefsStayInside(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other.json")
	if err := os.WriteFile(other, []byte(`{"type":"string"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, schema := range []string{
		`{"$ref":"file://` + filepath.ToSlash(other) + `"}`,
		`{"properties":{"a":{"$ref":"` + filepath.ToSlash(other) + `"}}}`,
		`{"items":[{"$ref":"https://example.com/schema.json#/x"}]}`,
	} {
		if _, err := compileSchema([]byte(schema)); err == nil || !strings.Contains(err.Error(), "check follows no reference outside the schema") {
			t.Errorf("%s: %v, want it refused", schema, err)
		}
	}
	// Nor is a $schema followed: the validator knows draft-07 and 2020-12
	// and refuses any other.
	if _, err := compileSchema([]byte(`{"$schema":"file://` + filepath.ToSlash(other) + `"}`)); err == nil {
		t.Errorf("a $schema naming a file is taken")
	}
	sch, err := compileSchema([]byte(`{"definitions":{"n":{"type":"integer"}},"properties":{"a":{"$ref":"#/definitions/n"}}}`))
	if err != nil {
		t.Fatalf("a $ref inside the schema: %v", err)
	}
	if validateData(sch, []byte(`{"a":"one"}`)) == nil {
		t.Error("a $ref inside the schema is not followed")
	}
}

// TestConnectorSchemaRefs checks the refusal through the connector's
// spec and schema commands: each fails its check, and nothing is read.
func TestConnectorSchemaRefs(t *testing.T) {
	for defect, check := range map[string]string{"ref-stdin": "spec: valid JSON Schema", "ref-file": "schema: json_schema"} {
		if d := failed(runAgainst(t, defect, false))[check]; !strings.Contains(d, "check follows no reference outside the schema") {
			t.Errorf("%s: %s: %q, want the reference refused", defect, check, d)
		}
	}
}
