package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/monoid-gen/monoid-gen/internal/conformance"
	"github.com/monoid-gen/monoid-gen/internal/devserver"
)

func newDevCmd() *cobra.Command {
	var dir, addr string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "dev [--dir DIR] [--addr 127.0.0.1:0] [-- CMD [ARGS...]]",
		Short: "Serve a local page showing the config form as Monoid users see it, and run the connector from it",
		Long: `Serve a page on this machine that draws the connector's config form as the
Monoid platform draws it (field order, labels, secrets behind an Edit
button, initial values), shows beside it the config JSON the platform
would send, and runs every protocol command with that config: validate,
schema, scan, and query or delete for an identifier you pick, followed
through request-status and request-results. Each run shows its exact
command line, exit status, duration, LOG lines and any line that is no
valid protocol message.

In a generated project (the current directory or --dir) the connector is
built from the project, as check builds it, and the form is drawn from
spec.json. Any other connector, in any language, is run as CMD ARGS after
"--", and the form is drawn from its spec command's output.

The page serves on loopback only, at a random port unless --addr gives
one; the URL printed carries a random token that every request must
carry. The config you enter is kept in your user config directory
(monoid-gen/dev/, readable by you only), never in the project; secret
values are not sent back to the page once entered. Delete asks for
confirmation. Each command is stopped after --timeout. Stop the server
with Ctrl-C.`,
		Example: `  monoid-gen dev
  monoid-gen dev --dir monoid-acme --addr 127.0.0.1:8765
  monoid-gen dev -- python main.py`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := devserver.CheckAddr(addr); err != nil {
				return &usageError{err}
			}
			abs, err := filepath.Abs(dir)
			if err != nil {
				return err
			}
			o := devserver.Options{Command: args, Timeout: timeout}
			if len(args) == 0 {
				var co conformance.Options
				cleanup, err := projectOptions(cmd, dir, &co)
				if err != nil {
					return err
				}
				defer cleanup()
				o.Command, o.Dir, o.SpecFile = co.Command, abs, co.SpecFile
			}
			if o.StateFile, err = devserver.StateFile(abs); err != nil {
				return err
			}
			return serveDev(cmd, o, addr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "dir", ".", "the generated project, when no command is given")
	f.StringVar(&addr, "addr", "127.0.0.1:0", "loopback address to serve on (port 0: a random one)")
	f.DurationVar(&timeout, "timeout", 60*time.Second, "time limit of each command")
	cmd.MarkFlagDirname("dir")
	return cmd
}

// serveDev serves the page on addr until interrupted.
func serveDev(cmd *cobra.Command, o devserver.Options, addr string) error {
	s, err := devserver.New(o)
	if err != nil {
		return err
	}
	defer s.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %v", addr, err)
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	fmt.Fprintf(cmd.OutOrStdout(), "monoid-gen dev: open http://%s/?token=%s\n(config kept in %s; Ctrl-C to stop)\n", ln.Addr(), s.Token(), o.StateFile)
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
