package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/monoid-gen/monoid-gen/internal/manifest"
	"github.com/monoid-gen/monoid-gen/internal/project"
	"github.com/monoid-gen/monoid-gen/internal/scaffold"
)

func newManifestCmd() *cobra.Command {
	var dir, merge string
	var withSpec, save bool
	var override manifest.Entry
	cmd := &cobra.Command{
		Use:   "manifest",
		Short: "Print or merge the entry that registers the connector with Monoid",
		Long: `Print the connector's entry in the platform's integration-manifest.yaml,
from the project file of a generated project: name, id, documentationUrl,
dockerImage, dockerTag and logo.

With --spec, print its integration-spec.yaml entry instead: the same fields
and the connector's config schema (the value of "spec" in spec.json), laid
out as the platform's file lays it out. The platform's discovery tool
writes that file by running every image through Docker; a monoid-gen
project already holds its spec, so no Docker is needed.

With --merge FILE, upsert the entry into that platform file: the entry
with the same id is updated in place, or the entry is appended. Another
entry that already uses the same name or image is refused, and so are a
file of several YAML documents, two entries with one id, and a manifest
entry for integration-spec.yaml or the reverse. Every other entry, their
order and the file's comments, byte order mark and CRLF line ends are
kept; running it twice changes nothing the second time. The file is
replaced atomically, under a lock that concurrent merges wait for; a
symbolic link is followed to the file it leads to, and a read-only file
is refused.

Flags override the project file's values.`,
		Example: `  monoid-gen manifest
  monoid-gen manifest --merge ../monoid/monoid-config/integration-manifest.yaml
  monoid-gen manifest --spec --merge ../monoid/monoid-config/integration-spec.yaml
  monoid-gen manifest --image monoidco/monoid-acme --tag 0.2.0

  # Move the project to a new tag: project file, manifest entry, Makefile:
  monoid-gen manifest --tag 0.2.0 --save`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := project.Load(dir)
			if err != nil {
				return err
			}
			var spec json.RawMessage
			if withSpec {
				if spec, err = readSpec(dir); err != nil {
					return err
				}
			}
			e := manifest.FromProject(p, spec)
			for _, o := range overrides(&e, &override) {
				if cmd.Flags().Changed(o.flag) {
					*o.dst = *o.src
				}
			}
			if err := e.Validate(); err != nil {
				return entryError(cmd, err, overrides(&e, &override), filepath.Join(dir, project.File))
			}
			out := cmd.OutOrStdout()
			if save {
				p.DisplayName, p.DockerImage, p.DockerTag, p.DocumentationURL, p.Logo = e.Name, e.DockerImage, e.DockerTag, e.DocumentationURL, e.Logo
				if err := scaffold.SaveProject(dir, p); err != nil {
					return err
				}
				fmt.Fprintf(out, "saved %s and integration-manifest.yaml: %s, image %s:%s\n", filepath.Join(dir, project.File), e.Name, e.DockerImage, e.DockerTag)
			}
			if merge == "" {
				if save {
					return nil
				}
				b, err := e.Marshal(withSpec)
				if err != nil {
					return err
				}
				_, err = out.Write(b)
				return err
			}
			outcome, err := manifest.MergeFile(merge, e, withSpec)
			if err != nil {
				return err
			}
			if outcome == manifest.Unchanged {
				fmt.Fprintf(out, "%s already holds the entry of %s (id %s): nothing to change\n", merge, e.Name, e.ID)
				return nil
			}
			fmt.Fprintf(out, "%s %s (id %s) in %s\n", outcome, e.Name, e.ID, merge)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "dir", ".", "the generated project")
	f.BoolVar(&withSpec, "spec", false, "the integration-spec.yaml entry, with the config schema")
	f.StringVar(&merge, "merge", "", "upsert the entry into this platform file instead of printing it")
	f.BoolVar(&save, "save", false, "keep the overrides in the project: its project file (which the Makefile reads) and its integration-manifest.yaml")
	f.StringVar(&override.Name, "name", "", "name shown in the platform (default the project's)")
	f.StringVar(&override.DockerImage, "image", "", "Docker image repository (default the project's)")
	f.StringVar(&override.DockerTag, "tag", "", "Docker image tag (default the project's)")
	f.StringVar(&override.DocumentationURL, "documentation-url", "", "documentation URL (default the project's)")
	f.StringVar(&override.Logo, "logo", "", "logo file name under the platform's images (default NAME.svg)")
	cmd.MarkFlagDirname("dir")
	cmd.MarkFlagFilename("merge", "yaml", "yml")
	return cmd
}

// override is a flag of manifest that replaces a field of the entry: the
// flag, the field as the entry and as the project file name it, and where
// the values are.
type override struct {
	flag, field, projectField string
	dst, src                  *string
}

func overrides(e, o *manifest.Entry) []override {
	return []override{
		{"name", "name", "display_name", &e.Name, &o.Name},
		{"image", "dockerImage", "docker_image", &e.DockerImage, &o.DockerImage},
		{"tag", "dockerTag", "docker_tag", &e.DockerTag, &o.DockerTag},
		{"documentation-url", "documentationUrl", "documentation_url", &e.DocumentationURL, &o.DocumentationURL},
		{"logo", "logo", "logo", &e.Logo, &o.Logo},
	}
}

// entryError says where an invalid entry value came from: the flag that
// gave it, or the project file.
func entryError(cmd *cobra.Command, err error, overrides []override, projectFile string) error {
	var fe *manifest.FieldError
	if errors.As(err, &fe) {
		for _, o := range overrides {
			if o.field != fe.Field {
				continue
			}
			if cmd.Flags().Changed(o.flag) {
				return fmt.Errorf("invalid --%s %q: %s", o.flag, fe.Value, fe.Rule)
			}
			return fmt.Errorf("%s: invalid %s %q: %s (change it there, or pass --%s)", projectFile, o.projectField, fe.Value, fe.Rule, o.flag)
		}
	}
	return fmt.Errorf("%s: %w", projectFile, err)
}

// readSpec returns the value of "spec" in the project's spec.json.
func readSpec(dir string) (json.RawMessage, error) {
	name := filepath.Join(dir, "spec.json")
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Spec json.RawMessage `json:"spec"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(doc.Spec) == 0 {
		return nil, fmt.Errorf("%s has no \"spec\"", name)
	}
	return doc.Spec, nil
}
