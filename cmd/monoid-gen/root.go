package main

// Each command is built by a small constructor and returns its errors; run
// alone prints them and picks the exit status.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/monoid-gen/monoid-gen/internal/scaffold"
)

// Exit statuses of monoid-gen.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// run runs monoid-gen with args and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	// Ctrl-C stops the go commands and connectors that check runs,
	// and their temporary directories are still removed.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "monoid-gen: %v\n", err)
	var ue *usageError
	var oe *scaffold.OptionError
	if errors.As(err, &ue) || errors.As(err, &oe) {
		return exitUsage
	}
	return exitFailure
}

// usageError marks an error in the command line itself.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "monoid-gen",
		Short: "Build Monoid connectors in Go",
		Long: `monoid-gen builds Monoid connectors in Go.

new renders a complete connector project over a runtime that speaks the
Monoid Protocol, wire-compatible with the Python development kit; spec
keeps the project's spec.json in step with its Config struct; check runs
any connector through the whole protocol; manifest registers a connector
with the platform.`,
		Example: `  monoid-gen new acme
  cd monoid-acme && go test ./...
  monoid-gen spec --check
  monoid-gen check
  monoid-gen manifest --merge ../monoid/monoid-config/integration-manifest.yaml`,
		Version:       buildVersion(),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetVersionTemplate(versionTemplate)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &usageError{err}
	})
	root.AddCommand(newNewCmd(), newAddCmd(), newUpgradeCmd(), newSpecCmd(), newCheckCmd(), newDevCmd(), newManifestCmd(), newVersionCmd())
	return root
}
