// Package project reads and writes the project file that records, in a
// generated connector project, what monoid-gen generated: later commands
// (spec, check, manifest) start from it.
package project

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// File records, in a generated project, what monoid-gen generated,
// for later commands (spec, check, manifest).
const File = "monoid-gen.json"

// Project is the content of File.
type Project struct {
	GeneratorVersion string   `json:"generator_version"`
	Name             string   `json:"name"`
	DisplayName      string   `json:"display_name"`
	Module           string   `json:"module"`
	Package          string   `json:"package"`
	Template         string   `json:"template"`
	Stores           []string `json:"stores"`
	ManifestID       string   `json:"manifest_id"`
	DockerImage      string   `json:"docker_image"`
	DockerTag        string   `json:"docker_tag"`
	DocumentationURL string   `json:"documentation_url"`
	Logo             string   `json:"logo"`
	// Files holds the checksum (Checksum) of each file monoid-gen
	// generated, as it wrote it, by path: a generated file whose content
	// no longer matches was changed by the author, and upgrade leaves it
	// alone. A project of a release before this field has none.
	Files map[string]string `json:"files,omitempty"`
}

// Checksum is how the project file records a file's content.
func Checksum(content []byte) string {
	sum := sha256.Sum256(content)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Load reads the project file of the project in dir.
func Load(dir string) (*Project, error) {
	name := filepath.Join(dir, File)
	b, err := os.ReadFile(name)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("%s is not a monoid-gen project: %s not found (run monoid-gen new, or pass --dir)", dir, File)
		}
		return nil, err
	}
	var p Project
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &p, nil
}

// Marshal encodes p as the project file's content.
func (p *Project) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
