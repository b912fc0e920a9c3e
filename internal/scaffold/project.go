package scaffold

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// ProjectFile records, in a generated project, what monoid-gen generated,
// for later commands (spec, check, manifest).
const ProjectFile = "monoid-gen.json"

// Project is the content of ProjectFile.
type Project struct {
	GeneratorVersion string   `json:"generator_version"`
	Name             string   `json:"name"`
	Module           string   `json:"module"`
	Package          string   `json:"package"`
	Template         string   `json:"template"`
	Stores           []string `json:"stores"`
	ManifestID       string   `json:"manifest_id"`
	DockerImage      string   `json:"docker_image"`
	DockerTag        string   `json:"docker_tag"`
}

func renderProjectFile(d *data) ([]byte, error) {
	p := Project{
		GeneratorVersion: d.Version, Name: d.Name, Module: d.Module, Package: d.Package,
		Template: d.Template, ManifestID: d.ManifestID, DockerImage: d.Image, DockerTag: d.Tag,
	}
	for _, s := range d.Stores {
		p.Stores = append(p.Stores, s.Name)
	}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// LoadProject reads the project file of the project in dir.
func LoadProject(dir string) (*Project, error) {
	name := filepath.Join(dir, ProjectFile)
	b, err := os.ReadFile(name)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("%s is not a monoid-gen project: %s not found (run monoid-gen new, or pass --dir)", dir, ProjectFile)
		}
		return nil, err
	}
	var p Project
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &p, nil
}

// renderSpec writes spec.json from the template's Config fields, through
// the same writer `monoid-gen spec` uses.
func renderSpec(d *data) ([]byte, error) {
	return specSchema(d.Config).Marshal(), nil
}
