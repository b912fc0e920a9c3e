package scaffold

import (
	"github.com/monoid-gen/monoid-gen/internal/configspec"
	"github.com/monoid-gen/monoid-gen/internal/manifest"
	"github.com/monoid-gen/monoid-gen/internal/project"
)

// renderProjectFile records what was generated, for later commands.
func renderProjectFile(d *data) ([]byte, error) {
	return newProject(d).Marshal()
}

func newProject(d *data) *project.Project {
	p := &project.Project{
		GeneratorVersion: d.Version, Name: d.Name, DisplayName: d.DisplayName, Module: d.Module, Package: d.Package,
		Template: d.Template, ManifestID: d.ManifestID, DockerImage: d.Image, DockerTag: d.Tag,
		DocumentationURL: manifest.DefaultDocumentationURL, Logo: d.Name + ".svg",
	}
	for _, s := range d.Stores {
		p.Stores = append(p.Stores, s.Name)
	}
	p.Files = d.checksums
	return p
}

// checksums returns the checksum of each generated file, by path.
func checksums(files []File) map[string]string {
	sums := map[string]string{}
	for _, f := range files {
		if f.Generated {
			sums[f.Path] = project.Checksum(f.Content)
		}
	}
	return sums
}

// manifestHeader introduces the project's manifest entry.
const manifestHeader = `# The entry that registers this connector with Monoid. Add it to the
# platform's integration-manifest.yaml with
#   monoid-gen manifest --merge path/to/integration-manifest.yaml
`

// renderManifest writes the project's integration-manifest.yaml entry
// through the same code as monoid-gen manifest.
func renderManifest(d *data) ([]byte, error) { return manifestFile(newProject(d)) }

// renderSpec derives spec.json from the rendered config.go, before
// anything is written, by the same code as `monoid-gen spec`.
func renderSpec(d *data) ([]byte, error) {
	derived, err := configspec.FromSource(d.Package+"/config.go", d.configSource)
	if err != nil {
		return nil, err
	}
	return derived.JSON, nil
}
