package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version returns monoid-gen's version as the go command recorded it in the
// binary: a module version for "go install ...@v1.2.3", "(devel)" for a
// local build.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" {
		return "(devel)"
	}
	return info.Main.Version
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print monoid-gen's version",
		Long:    "Print monoid-gen's version, as recorded in the binary by the go command.",
		Example: `  monoid-gen version`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "monoid-gen %s\n", version())
			return err
		},
	}
}
