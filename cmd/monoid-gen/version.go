package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version returns monoid-gen's version as the go command recorded it in the
// binary: a module version for "go install ...@v1.2.3", "(devel)" for a
// local build. It is what a generated project records.
func version() string {
	info, _ := debug.ReadBuildInfo()
	return moduleVersion(info)
}

// moduleVersion is the main module's version in info, or "(devel)" when
// there is none.
func moduleVersion(info *debug.BuildInfo) string {
	if info == nil || info.Main.Version == "" {
		return "(devel)"
	}
	return info.Main.Version
}

// buildVersion is what `monoid-gen version` and `monoid-gen --version`
// print after the program's name: the module version and, when the binary
// was built from a checkout, the VCS revision and whether the tree had
// uncommitted changes, so that a bug report names the exact source.
func buildVersion() string {
	info, _ := debug.ReadBuildInfo()
	return describeBuild(info)
}

// describeBuild formats info as buildVersion does:
// "v1.2.3", or "(devel) revision 0123abcd..." with ", modified" when the
// tree was dirty.
func describeBuild(info *debug.BuildInfo) string {
	v := moduleVersion(info)
	if info == nil {
		return v
	}
	var revision, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if revision == "" {
		return v
	}
	v += " revision " + revision
	if modified == "true" {
		v += ", modified"
	}
	return v
}

// versionTemplate is the output of --version, the same as the version
// command's.
const versionTemplate = "monoid-gen {{.Version}}\n"

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print monoid-gen's version",
		Long: `Print monoid-gen's version, as recorded in the binary by the go command:
the module version and, for a binary built from a checkout, the VCS
revision, with ", modified" if the tree had uncommitted changes.
monoid-gen --version prints the same.`,
		Example: `  monoid-gen version
  monoid-gen --version`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "monoid-gen %s\n", buildVersion())
			return err
		},
	}
}
