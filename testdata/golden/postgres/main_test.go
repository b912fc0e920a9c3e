package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"monoid-shop/internal/conformance"
)

// asConnector makes the test binary act as the connector, so that the
// conformance checks run the real program, as the platform would.
const asConnector = "SHOP_TEST_AS_CONNECTOR"

// The variables that point the tests at a real silo. Without them, go test
// touches nothing but the fixture in testdata/.
const (
	// configEnv names the config file of a real silo to run the checks
	// against: an absolute path, or one relative to this directory. The
	// file must be outside this project, so that its secrets never need
	// to be in the repository.
	configEnv = "MONOID_TEST_CONFIG"
	// queryEnv names the query file of those checks; testdata/query.json
	// when unset.
	queryEnv = "MONOID_TEST_QUERY"
	// destructiveEnv, set to 1, also runs delete against that silo: it
	// deletes what the query's identifiers match.
	destructiveEnv = "MONOID_TEST_DESTRUCTIVE"
)

func TestMain(m *testing.M) {
	if os.Getenv(asConnector) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestConformance runs the connector through the whole Monoid Protocol,
// with the protocol checks of `monoid-gen check`, so that the connector's own
// tests cover the protocol: against the fixture in testdata/, and against
// a real silo when MONOID_TEST_CONFIG names one. Every failed check fails
// the test with the offending line; every skipped one is logged as SKIP
// with the reason, every warning as WARN, and the last line counts them.
func TestConformance(t *testing.T) {
	t.Run("fixture", func(t *testing.T) {
		t.Skipf("this connector answers only with a live Shop service, which testdata/config.json does not reach: set %s to a config file outside this project to run the checks against one", configEnv)
	})
	t.Run("silo", func(t *testing.T) {
		config := os.Getenv(configEnv)
		if config == "" {
			t.Skipf("no real silo: set %s to a config file outside this project to run the checks against the silo it reaches", configEnv)
		}
		if err := outsideProject(config); err != nil {
			t.Fatal(err)
		}
		query := os.Getenv(queryEnv)
		if query == "" {
			query = "testdata/query.json"
		}
		destructive := os.Getenv(destructiveEnv) == "1"
		noDelete := fmt.Sprintf("delete would delete what %s matches in the silo %s reaches: set %s=1 as well to check it", query, configEnv, destructiveEnv)
		runChecks(t, config, query, true, destructive, noDelete)
	})
} // runChecks runs the conformance checks with the config and query files,
// delete only when destructive, and reports each check: a failure fails
// the test, a skip is logged with its reason (noDelete for delete when it
// was not to run), a warning is logged, and a last line counts them. A
// real config, unlike the fixture, must be accepted by validate.
func runChecks(t *testing.T, config, query string, real, destructive bool, noDelete string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	report, err := conformance.Run(context.Background(), conformance.Options{
		Command:     []string{exe},
		Env:         append(os.Environ(), asConnector+"=1"),
		Config:      config,
		RealConfig:  real,
		Query:       query,
		SpecFile:    "spec.json",
		Destructive: destructive,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range report.Results {
		switch r.Status {
		case conformance.Fail:
			t.Errorf("FAIL %s: %s", r.Check, r.Detail)
		case conformance.Skip:
			detail := r.Detail
			if r.Check == "delete" && !destructive {
				detail = noDelete
			}
			t.Logf("SKIP %s: %s", r.Check, detail)
		case conformance.Warn:
			t.Logf("WARN %s: %s", r.Check, r.Detail)
		}
	}
	t.Logf("%d passed, %d failed, %d skipped, %d warned", report.Passed, report.Failed, report.Skipped, report.Warned)
}

// outsideProject checks that the config file at path exists outside this
// project's directory, where the tests run: a config that reaches a real
// silo holds its secrets, which must never be committed.
func outsideProject(path string) error {
	dir, err := os.Getwd()
	if err == nil {
		dir, err = filepath.EvalSymlinks(dir)
	}
	if err != nil {
		return err
	}
	file, err := filepath.Abs(path)
	if err == nil {
		file, err = filepath.EvalSymlinks(file)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s=%s: no such file", configEnv, path)
	}
	if err != nil {
		return fmt.Errorf("%s=%s: %w", configEnv, path, err)
	}
	rel, err := filepath.Rel(dir, file)
	if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("%s=%s is inside this project (%s): keep a config that reaches a real silo outside the repository, for example in ~/.config/shop/config.json, so that its secrets are never committed", configEnv, path, dir)
	}
	return nil
}
