package export

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/monoid-gen/monoid-gen/templates/examples/export/fake"
)

// TestLargeDownloadStreams downloads a 256 MiB export, generated on the
// fly by the fake, and checks that the memory allocated meanwhile (by the
// connector and the in-process fake together) is a small fraction of the
// file: the file is streamed to disk, never held. Peak memory of a real
// run is measured by scripts/exportspeed.
func TestLargeDownloadStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP in -short: downloads 256 MiB")
	}
	const size = 256 << 20
	srv, e, _ := setup(t, fake.Options{Size: size})
	p := persist(t)
	h := completedJob(t, e, p)

	out := &collector{root: p.TempStore}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if err := e.Results(context.Background(), p, h, out); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size/16 {
		t.Errorf("%d MiB allocated during a %d MiB download: the file is being held in memory", alloc>>20, size>>20)
	} else {
		t.Logf("%.1f MiB allocated during a %d MiB download", float64(alloc)/(1<<20), size>>20)
	}

	if len(out.files) != 1 {
		t.Fatalf("files %v, want one", out.files)
	}
	f, err := os.Open(out.files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := sha256.New()
	n, _ := io.Copy(got, f)
	want := sha256.New()
	content, wantSize := srv.Content(srv.Jobs()[0].User)
	content.WriteTo(want)
	if n != wantSize || n < size-1024 || hex.EncodeToString(got.Sum(nil)) != hex.EncodeToString(want.Sum(nil)) {
		t.Errorf("the file has %d bytes and another content than the %d bytes served", n, wantSize)
	}
}

// TestCancelledDownloadLeavesNothing: a command cancelled mid-download
// (SIGTERM) stops at once and removes the partial file.
func TestCancelledDownloadLeavesNothing(t *testing.T) {
	_, e, _ := setup(t, fake.Options{Size: 1 << 30, NoChecksum: true})
	p := persist(t)
	h := completedJob(t, e, p)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	err := e.Results(ctx, p, h, &collector{root: p.TempStore})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want the cancellation", err)
	}
	if left := entries(t, p.TempStore); len(left) != 0 {
		t.Errorf("temp_store still holds %v", left)
	}
}
