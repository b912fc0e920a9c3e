package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/rogpeppe/go-internal/diff"
	"github.com/spf13/cobra"

	"github.com/monoid-gen/monoid-gen/internal/scaffold"
)

func newUpgradeCmd() *cobra.Command {
	var dir string
	var dryRun, force bool
	cmd := &cobra.Command{
		Use:   "upgrade",
		Short: "Bring a project's generated files up to this monoid-gen",
		Long: `Render the files monoid-gen owns in a project anew with this monoid-gen,
from the project file (monoid-gen.json): main.go, the runtime under
internal/protocol, the conformance checks under internal/conformance, the
manifest entry, and the project file itself. Files this release no longer
generates are removed. go.mod and go.sum gain the requirements the new
runtime needs; every other requirement, and every file of the author's,
is kept as it is. spec.json is left to monoid-gen spec.

A generated file the author changed (its checksum no longer matches the
one the project file recorded) is never overwritten: upgrade lists it with
a diff and stops, writing nothing. --force replaces it anyway and keeps
the author's version beside it as FILE.orig.

The upgrade is written all or nothing; a second upgrade changes nothing.`,
		Example: `  # See what would change, as a diff:
  monoid-gen upgrade --dry-run

  # Upgrade the project in ./monoid-acme:
  monoid-gen upgrade --dir monoid-acme`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			u, err := scaffold.PlanUpgrade(dir, version())
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if len(u.Edited) > 0 && !force {
				printDiffs(out, u, u.Edited)
				return fmt.Errorf("%d generated files were changed by hand: %s; move your changes out of them (or run upgrade --force, which keeps each as FILE.orig)", len(u.Edited), strings.Join(u.EditedPaths(), ", "))
			}
			if dryRun {
				printDiffs(out, u, u.Changes)
				printDiffs(out, u, u.Edited)
				fmt.Fprintf(out, "would change %d files in %s\n", len(u.Changes)+len(u.Edited), dir)
				return nil
			}
			if len(u.Changes)+len(u.Edited) == 0 {
				fmt.Fprintf(out, "%s is up to date with monoid-gen %s\n", dir, version())
				return nil
			}
			if err := u.Apply(force); err != nil {
				return err
			}
			for _, c := range append(u.Changes, u.Edited...) {
				verb := "updated"
				switch {
				case c.Remove:
					verb = "removed"
				case u.Current[c.Path] == nil:
					verb = "created"
				}
				fmt.Fprintf(out, "%s %s\n", verb, c.Path)
			}
			fmt.Fprintf(out, "Upgraded %s to monoid-gen %s. Next: go build ./... && go test ./...\n", dir, version())
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "dir", ".", "the project's directory")
	f.BoolVar(&dryRun, "dry-run", false, "print what would change, as a unified diff per file, and write nothing")
	f.BoolVar(&force, "force", false, "replace generated files changed by hand too, keeping each as FILE.orig")
	cmd.MarkFlagDirname("dir")
	return cmd
}

// printDiffs prints a unified diff for each change of u.
func printDiffs(w io.Writer, u *scaffold.Upgrade, changes []scaffold.Change) {
	for _, c := range changes {
		var next []byte
		if !c.Remove {
			next = c.Content
		}
		w.Write(diff.Diff(c.Path+" (now)", u.Current[c.Path], c.Path+" (upgraded)", next))
	}
}
