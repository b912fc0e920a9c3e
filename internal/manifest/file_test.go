package manifest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"
)

// mergerEnv makes the test binary merge entries into a file, so that a
// test can run merges in concurrent processes: FILE:FIRST:COUNT merges
// entries FIRST to FIRST+COUNT-1 of numbered.
const mergerEnv = "MANIFEST_TEST_MERGE"

func TestMain(m *testing.M) {
	if v := os.Getenv(mergerEnv); v != "" {
		parts := strings.Split(v, ":")
		first, _ := strconv.Atoi(parts[1])
		count, _ := strconv.Atoi(parts[2])
		for i := first; i < first+count; i++ {
			if _, err := MergeFile(parts[0], numbered(i), false); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// numbered is a distinct valid entry for each i.
func numbered(i int) Entry {
	return Entry{Name: fmt.Sprintf("Acme %d", i), ID: fmt.Sprintf("3f0b2c1e-5d7a-4b8e-9c6f-%012d", i),
		DocumentationURL: DefaultDocumentationURL, DockerImage: fmt.Sprintf("example/acme-%d", i), DockerTag: "0.1.0", Logo: "acme.svg"}
}

// TestMergeFileConcurrent runs merges of distinct entries into one file
// from concurrent processes: every entry must be in the file at the end.
func TestMergeFileConcurrent(t *testing.T) {
	name := filepath.Join(t.TempDir(), "integration-manifest.yaml")
	if err := os.WriteFile(name, monoidData(t, "integration-manifest.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	const procs, each = 6, 5
	var wg sync.WaitGroup
	errs := make([]error, procs)
	for p := range procs {
		wg.Go(func() {
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s:%d:%d", mergerEnv, name, p*each, each))
			if out, err := cmd.CombinedOutput(); err != nil {
				errs[p] = fmt.Errorf("merger %d: %v: %s", p, err, out)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var list []map[string]any
	if err := yaml.Unmarshal(b, &list); err != nil {
		t.Fatal(err)
	}
	ids := map[any]bool{}
	for _, e := range list {
		ids[e["id"]] = true
	}
	var lost []string
	for i := range procs * each {
		if !ids[numbered(i).ID] {
			lost = append(lost, numbered(i).Name)
		}
	}
	if len(lost) > 0 {
		t.Errorf("%d of %d merged entries lost: %v", len(lost), procs*each, lost)
	}
}
