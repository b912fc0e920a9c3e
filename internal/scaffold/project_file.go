package scaffold

import "github.com/monoid-gen/monoid-gen/internal/project"

// renderProjectFile records what was generated, for later commands.
func renderProjectFile(d *data) ([]byte, error) {
	p := project.Project{
		GeneratorVersion: d.Version, Name: d.Name, Module: d.Module, Package: d.Package,
		Template: d.Template, ManifestID: d.ManifestID, DockerImage: d.Image, DockerTag: d.Tag,
	}
	for _, s := range d.Stores {
		p.Stores = append(p.Stores, s.Name)
	}
	return p.Marshal()
}

// renderSpec writes spec.json from the template's Config fields, through
// the same writer `monoid-gen spec` uses.
func renderSpec(d *data) ([]byte, error) {
	return specSchema(d.Config).Marshal(), nil
}
