package manifest

import (
	"encoding/json"

	"github.com/monoid-gen/monoid-gen/internal/project"
)

// FromProject is the entry of a generated project, from its project file;
// spec is the value of "spec" in its spec.json (nil for a manifest entry).
func FromProject(p *project.Project, spec json.RawMessage) Entry {
	return Entry{
		Name:             p.DisplayName,
		ID:               p.ManifestID,
		DocumentationURL: p.DocumentationURL,
		DockerImage:      p.DockerImage,
		DockerTag:        p.DockerTag,
		Logo:             p.Logo,
		Spec:             spec,
	}
}
