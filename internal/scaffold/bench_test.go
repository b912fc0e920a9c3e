package scaffold

import (
	"path/filepath"
	"strconv"
	"testing"
)

var fiveStores = []string{"users", "orders", "events", "profiles", "invoices"}

// BenchmarkRenderFiveStores is the in-memory part of `monoid-gen new` with
// five stores.
func BenchmarkRenderFiveStores(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(&Options{Name: "speed", Stores: fiveStores, NewID: func() string { return "id" }}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewFiveStores is Render and Write into a fresh directory.
func BenchmarkNewFiveStores(b *testing.B) {
	b.ReportAllocs()
	dir := b.TempDir()
	i := 0
	for b.Loop() {
		files, err := Render(&Options{Name: "speed", Stores: fiveStores, NewID: func() string { return "id" }})
		if err != nil {
			b.Fatal(err)
		}
		i++
		if err := Write(filepath.Join(dir, strconv.Itoa(i)), files, false); err != nil {
			b.Fatal(err)
		}
	}
}
