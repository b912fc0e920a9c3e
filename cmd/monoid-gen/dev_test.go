package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDevServesTheProject runs monoid-gen dev on the memory example's
// project: it builds the connector, prints a URL whose token opens the
// page, runs a command, keeps the config outside the project and stops
// cleanly when its context ends.
func TestDevServesTheProject(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: builds a project (-short)")
	}
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	root := newRootCmd()
	root.SetArgs([]string{"dev", "--dir", filepath.Join("..", "..", "testdata", "golden", "memory")})
	root.SetOut(pw)
	root.SetErr(&stderr)
	done := make(chan error, 1)
	go func() {
		done <- root.ExecuteContext(ctx)
		pw.Close()
	}()
	first, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("dev printed no URL: %v; stderr: %s; exit: %v", err, stderr.String(), <-done)
	}
	go io.Copy(io.Discard, pr)
	m := regexp.MustCompile(`open (http://127\.0\.0\.1:\d+)/\?token=([0-9a-f]{64})\n`).FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("dev printed %q, want its URL with a token", first)
	}
	base, token := m[1], m[2]

	get := func(url string) (int, string) {
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, _ := get(base + "/"); code != http.StatusForbidden {
		t.Errorf("without the token: status %d, want 403", code)
	}
	if code, body := get(base + "/?token=" + token); code != 200 || !strings.Contains(body, "monoid-gen dev") {
		t.Errorf("with the token: status %d", code)
	}
	res, err := http.Post(base+"/api/run?token="+token, "application/json",
		strings.NewReader(`{"command":"validate","config":{"hostname":"h","api_key":"bad","num_records":1}}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(b), `"status":"FAILURE","message":"invalid api key"`) {
		t.Errorf("validate with a bad key: %s", b)
	}

	kept, _ := filepath.Glob(filepath.Join(cfg, "monoid-gen", "dev", "*.json"))
	if len(kept) != 1 {
		t.Fatalf("kept configs: %q, want one under the user config directory", kept)
	}
	if fi, err := os.Stat(kept[0]); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the kept config's mode: %v %v, want 0600", fi.Mode(), err)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("dev stopped with %v", err)
	}
}
