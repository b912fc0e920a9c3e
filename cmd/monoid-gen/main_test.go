package main

import (
	"flag"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/gotooltest"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/monoid-gen/monoid-gen/internal/transcript"
)

var updateScripts = flag.Bool("update", false, "rewrite the expected output in testdata/script")

// TestMain makes the test binary act as monoid-gen when a script runs it.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"monoid-gen": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the command-line scripts in testdata/script, one
// behaviour each, in parallel and in sealed work directories.
func TestScripts(t *testing.T) {
	p := testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *updateScripts,
		RequireExplicitExec: true,
	}
	if err := gotooltest.Setup(&p); err != nil {
		t.Fatal(err)
	}
	// gotooltest gives each script its own GOPATH, and so an empty module
	// cache: share this machine's instead, so that scripts that build a
	// project need no network once the modules are downloaded.
	modCache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	// Scripts copy the platform's files from testdata/monoid as $MONOID_DATA.
	monoidData, err := transcript.DataDir()
	if err != nil {
		t.Fatal(err)
	}
	setup := p.Setup
	p.Setup = func(env *testscript.Env) error {
		if err := setup(env); err != nil {
			return err
		}
		env.Setenv("GOMODCACHE", strings.TrimSpace(string(modCache)))
		env.Setenv("MONOID_DATA", monoidData)
		return nil
	}
	testscript.Run(t, p)
}
