package atomicfile

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "spec.json")
	if err := Write(name, []byte("one\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(name, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := Write(name, []byte("two\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(name)
	info, _ := os.Stat(name)
	if string(b) != "two\n" || info.Mode().Perm() != 0o640 {
		t.Errorf("content %q mode %v", b, info.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary file left behind: %v", entries)
	}
	if err := Write(filepath.Join(dir, "missing", "x"), nil, 0o644); err == nil {
		t.Error("write into a missing directory succeeded")
	}
}

// TestWriteThroughSymlink: a file reached through a symbolic link is
// updated where it lives; the link stays a link.
func TestWriteThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real", "integration-manifest.yaml")
	if err := os.MkdirAll(filepath.Dir(real), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(filepath.Join("real", "integration-manifest.yaml"), link); err != nil {
		t.Fatal(err)
	}
	// A link to a link is followed to the end.
	link2 := filepath.Join(dir, "link2.yaml")
	if err := os.Symlink("link.yaml", link2); err != nil {
		t.Fatal(err)
	}
	if err := Write(link2, []byte("new\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(real); string(b) != "new\n" {
		t.Errorf("the link's target holds %q, want the new content", b)
	}
	for _, l := range []string{link, link2} {
		if info, err := os.Lstat(l); err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symbolic link (%v)", l, err)
		}
	}
	if entries, _ := os.ReadDir(filepath.Dir(real)); len(entries) != 1 {
		t.Errorf("temporary file left beside the target: %v", entries)
	}
}

// TestWriteRefusesReadOnly: a file without write permission is not
// replaced, even by a user (root) whom permissions do not stop.
func TestWriteRefusesReadOnly(t *testing.T) {
	name := filepath.Join(t.TempDir(), "m.yaml")
	if err := os.WriteFile(name, []byte("old\n"), 0o444); err != nil {
		t.Fatal(err)
	}
	err := Write(name, []byte("new\n"), 0o644)
	if err == nil || !strings.Contains(err.Error(), "m.yaml is read-only") {
		t.Errorf("error %v, want it to say the file is read-only", err)
	}
	if b, _ := os.ReadFile(name); string(b) != "old\n" {
		t.Errorf("the file now holds %q", b)
	}
}

// TestWriteCleansLeftovers: a temporary file an interrupted write left
// behind is removed by the next write of the same file, and only that
// file's.
func TestWriteCleansLeftovers(t *testing.T) {
	if !Locking {
		t.Skip("SKIP: without flock, a leftover is told by its age, not by a lock")
	}
	dir := t.TempDir()
	name := filepath.Join(dir, "spec.json")
	leftover := filepath.Join(dir, ".spec.json.tmp-123456")
	other := filepath.Join(dir, ".other.json.tmp-123456")
	for _, f := range []string{leftover, other} {
		if err := os.WriteFile(f, []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := Write(name, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(leftover); !os.IsNotExist(err) {
		t.Errorf("leftover still there (%v)", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another file's temporary file was removed: %v", err)
	}
}

// TestUpdateConcurrent: concurrent read-modify-write cycles on one file
// lose none of one another's changes.
func TestUpdateConcurrent(t *testing.T) {
	if !Locking {
		t.Skip("SKIP: without flock, concurrent updates are not serialized")
	}
	name := filepath.Join(t.TempDir(), "count")
	if err := os.WriteFile(name, []byte("0"), 0o644); err != nil {
		t.Fatal(err)
	}
	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			errs <- Update(name, 0o644, func(old []byte, _ bool) ([]byte, error) {
				i, err := strconv.Atoi(string(old))
				if err != nil {
					return nil, err
				}
				return []byte(strconv.Itoa(i + 1)), nil
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if b, _ := os.ReadFile(name); string(b) != strconv.Itoa(n) {
		t.Errorf("count is %s after %d increments", b, n)
	}
}

// TestTempDirKeepsLiveStaging: a staging directory that a live run holds
// is not taken for a leftover; once released without being removed (as
// an interrupted run leaves it), it is.
func TestTempDirKeepsLiveStaging(t *testing.T) {
	if !Locking {
		t.Skip("SKIP: without flock, a leftover is told by its age, not by a lock")
	}
	parent := t.TempDir()
	live, release, err := TempDir(parent, ".stage-")
	if err != nil {
		t.Fatal(err)
	}
	if Leftover(live, ".stage-") {
		t.Error("a live staging directory counts as a leftover")
	}
	other, release2, err := TempDir(parent, ".stage-")
	if err != nil {
		t.Fatal(err)
	}
	defer release2()
	if _, err := os.Stat(live); err != nil {
		t.Fatalf("another TempDir removed a live staging directory: %v", err)
	}
	release()
	if !Leftover(live, ".stage-") {
		t.Error("a released staging directory is not a leftover")
	}
	if _, _, err := TempDir(parent, ".stage-"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(live); !os.IsNotExist(err) {
		t.Errorf("the leftover is still there (%v)", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("the live staging directory was removed: %v", err)
	}
}
