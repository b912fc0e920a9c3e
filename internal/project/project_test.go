package project

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	p := &Project{Name: "acme", DisplayName: "Acme", Module: "monoid-acme", Package: "acme", Template: "stub",
		Stores: []string{"users"}, ManifestID: "00000000-0000-4000-8000-000000000001", DockerImage: "monoid-acme", DockerTag: "0.0.1"}
	b, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, File), b, 0o644)
	got, err := Load(dir)
	if err != nil || !reflect.DeepEqual(got, p) {
		t.Errorf("Load gave %+v, %v", got, err)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "is not a monoid-gen project: monoid-gen.json not found") {
		t.Errorf("missing file: %v", err)
	}
	os.WriteFile(filepath.Join(dir, File), []byte("{not json"), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), File) {
		t.Errorf("malformed file: %v", err)
	}
}
