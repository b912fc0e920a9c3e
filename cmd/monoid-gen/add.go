package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/monoid-gen/monoid-gen/internal/scaffold"
)

func newAddCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "add",
		Short: "Add a part to a project",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newAddStoreCmd())
	return cmd
}

func newAddStoreCmd() *cobra.Command {
	var dir string
	var async bool
	cmd := &cobra.Command{
		Use:   "store NAME",
		Short: "Add a data store to a project",
		Long: `Add a data store to the project: its file in the connector package, from
the synchronous skeleton (a store that reads and deletes at once, as a
database does) or, with --async, the asynchronous one (a service whose
jobs answer later: PROGRESS, then COMPLETE, then records or a FILE; in a
project made from the export template, its own store, renamed); its
line in silo.go's DataStores, above the +monoid-gen:scaffold:stores
marker; and its name in the project file. Where the marker was removed,
the file is written and the line to add is printed.

NAME is checked as new checks --store, and must be new to the project.
Everything is written at once or not at all.`,
		Example: `  monoid-gen add store orders
  monoid-gen add store exports --async --dir monoid-acme`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return &usageError{fmt.Errorf("add store takes exactly one NAME, got %d arguments", len(args))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			added, err := scaffold.AddStore(dir, args[0], async)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "created %s\n", added.File)
			if added.Registered {
				fmt.Fprintf(out, "registered %s in DataStores\n", args[0])
			} else {
				fmt.Fprintf(out, "silo.go has no +monoid-gen:scaffold:stores marker: add this line to the list DataStores returns:\n\t%s\n", added.Line)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "the project's directory")
	cmd.Flags().BoolVar(&async, "async", false, "the asynchronous skeleton: jobs that answer later")
	cmd.MarkFlagDirname("dir")
	return cmd
}
