package main

import (
	"bytes"
	"fmt"
	"path/filepath"

	"github.com/rogpeppe/go-internal/diff"
	"github.com/spf13/cobra"

	"github.com/monoid-gen/monoid-gen/internal/atomicfile"
	"github.com/monoid-gen/monoid-gen/internal/configspec"
	"github.com/monoid-gen/monoid-gen/internal/form"
)

func newSpecCmd() *cobra.Command {
	var dir string
	var check bool
	cmd := &cobra.Command{
		Use:   "spec",
		Short: "Derive spec.json from the project's Config struct",
		Long: `Derive spec.json from the Config struct of a generated project, so that
the config schema the platform's form renders can never drift from the code.

Config is read from the connector package's source: nothing is built or
run (an init function of the connector or of its dependencies never runs),
no module is downloaded, and the go command is not needed. The struct is
reflected with github.com/invopop/jsonschema; the project's go.mod is not
changed and the connector does not link the reflector.

Per field: the JSON name from the json tag; the title from
jsonschema:"title=..." or derived from the JSON name (api_key: "API Key");
the description from the field's doc comment; default, enum, minimum and
the other keywords from the jsonschema tag; secret from
jsonschema_extras:"secret=true"; order from the field's position unless
jsonschema_extras:"order=N" says otherwise. Fields without omitempty are
required. Nested structs are inlined; an embedded struct's fields are
promoted, as encoding/json reads them.

Config may use string, bool, int, int64, float64 (and float32), []string,
and structs declared in the package, also behind pointers. Smaller and
unsigned integers need minimum and maximum tags. Everything else is an
error naming the file, the Go field, its type and what to use instead:
types of other packages (time.Time), maps, interfaces, channels, funcs,
arrays of anything but strings, two fields with one JSON name, types that
decode themselves, and what the platform's form cannot render. A field
whose name looks like a credential but is not marked secret is a warning.
spec.json is replaced atomically, and left as it was on any error.

With --check nothing is written: the exit status is 0 when spec.json is up
to date, 1 with a diff when it is not. Use it in CI.`,
		Example: `  monoid-gen spec
  monoid-gen spec --dir monoid-acme --check
  go generate ./...   # through the //go:generate line in config.go`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			have, derived, err := configspec.Check(dir)
			if err != nil {
				return err
			}
			for _, w := range derived.Warnings {
				fmt.Fprintf(cmd.ErrOrStderr(), "monoid-gen: warning: %s\n", w)
			}
			want := derived.JSON
			name := filepath.Join(dir, "spec.json")
			out := cmd.OutOrStdout()
			if check {
				if bytes.Equal(have, want) {
					fmt.Fprintf(out, "%s is up to date\n", name)
					return nil
				}
				out.Write(diff.Diff(name, have, "derived from Config", want))
				// The diff above is the detail; the error sums it up.
				return fmt.Errorf("%s is out of date: run monoid-gen spec", name)
			}
			if err := atomicfile.Write(name, want, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(out, "wrote %s\n", name)
			// What the platform's form will not show as the code means it.
			if fs, err := form.Parse(want); err == nil {
				for _, w := range form.Warnings(fs) {
					fmt.Fprintf(cmd.ErrOrStderr(), "monoid-gen: warning: %s: %s\n", name, w)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "the project's directory")
	cmd.Flags().BoolVar(&check, "check", false, "write nothing; exit 1 with a diff if spec.json is out of date")
	cmd.MarkFlagDirname("dir")
	return cmd
}
