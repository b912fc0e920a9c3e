package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/monoid-gen/monoid-gen/internal/scaffold"
)

func newNewCmd() *cobra.Command {
	var o scaffold.Options
	var dryRun, force bool
	cmd := &cobra.Command{
		Use:   "new NAME",
		Short: "Generate a connector project",
		Long: `Generate a complete connector project: a Go module with the connector's
config, silo and data stores, spec.json derived from the config, tests that
drive the whole protocol, a Dockerfile, a Makefile and the entry that
registers the connector with Monoid.

NAME is the connector's name: lowercase letters, digits and hyphens,
starting with a letter. The project goes into ./monoid-NAME unless --dir
says otherwise; an existing non-empty directory is refused unless --force.
Every input is checked, and the whole project rendered, before anything is
written; a failure writes nothing.

Templates (--template; the first is the default):
` + scaffold.TemplateHelp(),
		Example: `  # A connector named acme in ./monoid-acme, one store named users:
  monoid-gen new acme

  # Two stores, a module path, and the image it will be pushed as:
  monoid-gen new mixpanel --module github.com/example/monoid-mixpanel \
      --store events --store profiles --image example/monoid-mixpanel --tag 0.1.0

  # The working in-memory example, listed but not written:
  monoid-gen new demo --template memory --dry-run`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return &usageError{fmt.Errorf("new takes exactly one NAME, got %d arguments", len(args))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Name = args[0]
			o.Version = version()
			files, err := scaffold.Render(&o) // fills in o's defaults
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if dryRun {
				if err := scaffold.CheckTarget(o.Dir, files, force); err != nil {
					return err
				}
				fmt.Fprintf(out, "would write %d files into %s:\n", len(files), o.Dir)
				for _, f := range files {
					fmt.Fprintf(out, "  %s\n", filepath.Join(o.Dir, filepath.FromSlash(f.Path)))
				}
				return nil
			}
			if err := scaffold.Write(o.Dir, files, force); err != nil {
				return err
			}
			printNextSteps(out, o, len(files))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Dir, "dir", "", "directory to create (default ./monoid-NAME)")
	f.StringVar(&o.Module, "module", "", "Go module path (default the directory's base name)")
	f.StringArrayVar(&o.Stores, "store", nil, "data store name; repeat for several (default: what the template needs)")
	f.StringVar(&o.Template, "template", scaffold.DefaultTemplate, "project template: "+strings.Join(scaffold.TemplateNames(), ", "))
	f.StringVar(&o.Image, "image", "", "Docker image repository (default monoid-NAME)")
	f.StringVar(&o.Tag, "tag", "", "Docker image tag (default 0.0.1)")
	f.BoolVar(&dryRun, "dry-run", false, "list the files that would be written, and write none")
	f.BoolVar(&force, "force", false, "write into an existing non-empty directory that is not a project; no existing file is replaced")
	cmd.RegisterFlagCompletionFunc("template", cobra.FixedCompletions(scaffold.TemplateNames(), cobra.ShellCompDirectiveNoFileComp))
	cmd.MarkFlagDirname("dir")
	return cmd
}

// printNextSteps tells the author what to run next, exactly.
func printNextSteps(w io.Writer, o scaffold.Options, n int) {
	service := scaffold.NeedsService(o.Template)
	stores := "stores " + strings.Join(o.Stores, ", ")
	if service {
		stores = "stores found at run time"
	}
	fmt.Fprintf(w, "Created %s: connector %s, template %s, %s (%d files).\n\n", o.Dir, o.Name, o.Template, stores, n)
	fmt.Fprintf(w, "Next steps:\n")
	fmt.Fprintf(w, "  cd %s\n", shellQuote(o.Dir))
	if service {
		config := "~/.config/" + o.Name + "/config.json"
		fmt.Fprintf(w, "  go test ./...                  # unit tests; the protocol checks need a live service:\n")
		fmt.Fprintf(w, "  MONOID_TEST_CONFIG=%s go test ./...   # the whole protocol against it (a config outside the project)\n", config)
		fmt.Fprintf(w, "  monoid-gen check --config %s   # the same checks, reported one by one\n", config)
	} else {
		fmt.Fprintf(w, "  go test ./...                  # the whole protocol, through the conformance checks\n")
		fmt.Fprintf(w, "  monoid-gen check               # the same checks, reported one by one\n")
	}
	fmt.Fprintf(w, "  monoid-gen spec                # after changing Config: derive spec.json again\n")
	fmt.Fprintf(w, "  make bin && ./bin/connector spec   # the program of the image, as it answers spec\n")
	fmt.Fprintf(w, "  make build                     # the Docker image %s:%s\n", o.Image, o.Tag)
	fmt.Fprintf(w, "  monoid-gen manifest --merge PATH/TO/integration-manifest.yaml   # register it with Monoid\n")
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
