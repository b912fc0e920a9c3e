// Command exportspeed measures the export example connector's
// request-results on a large export and prints the figures: the
// connector, run through the real runtime in a child process, downloads
// a 1 GiB export from the example's fake service (on loopback, generated
// on the fly) into its persistence directory, checking its size and
// SHA-256; curl fetches the same file from the same fake in the same run.
//
// The goals: the connector's peak RSS stays under 50 MiB, and its time is
// within 2x of curl's.
//
// Usage (from the repository root):
//
//	go run ./scripts/exportspeed [-size BYTES] [-runs N] [-dir DIR]
//
// It exits 1 if a goal is missed.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
	"github.com/monoid-gen/monoid-gen/templates/examples/export"
	"github.com/monoid-gen/monoid-gen/templates/examples/export/fake"
)

// asConnector makes this program the connector, for the child process.
const asConnector = "EXPORTSPEED_AS_CONNECTOR"

// spec is a spec.json for the example's Config, written by hand for this
// script: the runtime validates the config file against it.
const spec = `{"spec":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
"properties":{"base_url":{"type":"string"},"api_token":{"type":"string","secret":true},"timeout_seconds":{"type":"integer","default":30}},
"required":["api_token"]}}`

const (
	maxRSS   = 50 << 20 // bytes
	maxRatio = 2.0
)

var (
	size = flag.Int64("size", 1<<30, "size of the export in bytes")
	runs = flag.Int("runs", 3, "downloads by each of curl and the connector, alternating")
	dir  = flag.String("dir", "", "directory both write the export into (default the system's temporary directory; /dev/shm takes the disk out of the figures)")
)

func main() {
	if os.Getenv(asConnector) == "1" {
		protocol.Run(export.Silo{}, []byte(spec))
	}
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("exportspeed: ")

	tmp, err := os.MkdirTemp(*dir, "exportspeed-")
	check(err)
	defer os.RemoveAll(tmp)
	persistDir := filepath.Join(tmp, "persist")
	check(os.Mkdir(persistDir, 0o755))

	srv := fake.NewServer(fake.Options{Size: *size, Polls: 1})
	defer srv.Close()
	files := map[string]any{
		"config.json":  map[string]any{"base_url": srv.URL, "api_token": fake.DefaultToken},
		"persist.json": protocol.PersistenceConfig{TempStore: persistDir},
		"query.json": map[string]any{"identifiers": []map[string]any{{
			"schema_name": "exports", "schema_group": "account", "identifier": "email",
			"identifier_query": "user1@example.com", "json_schema": map[string]any{},
		}}},
	}
	for name, v := range files {
		b, _ := json.Marshal(v)
		check(os.WriteFile(filepath.Join(tmp, name), b, 0o644))
	}
	self, err := os.Executable()
	check(err)
	connector := func(args ...string) ([]byte, time.Duration, int64) {
		cmd := exec.Command(self, args...)
		cmd.Dir = tmp
		cmd.Env = append(os.Environ(), asConnector+"=1")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		start := time.Now()
		err := cmd.Run()
		d := time.Since(start)
		if err != nil {
			log.Fatalf("connector %s: %v\n%s", args[0], err, stderr.Bytes())
		}
		return stdout.Bytes(), d, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10
	}
	common := []string{"-c", "config.json", "-p", "persist.json"}

	// query, then request-status until COMPLETE: the fake hashes the
	// export when the job is done, before any timing.
	out, _, _ := connector(append([]string{"query", "-q", "query.json"}, common...)...)
	var res protocol.Message
	check(json.Unmarshal(out, &res))
	b, _ := json.Marshal(protocol.RequestsMessage{Handles: []protocol.RequestHandle{res.Request.Handle}})
	check(os.WriteFile(filepath.Join(tmp, "requests.json"), b, 0o644))
	out, _, _ = connector(append([]string{"request-status", "-r", "requests.json"}, common...)...)
	var st protocol.Message
	check(json.Unmarshal(out, &st))
	if st.RequestStatus.RequestStatus != protocol.StateComplete {
		log.Fatalf("the job is %s after one poll, want COMPLETE", st.RequestStatus.RequestStatus)
	}
	var job struct {
		File struct{ URL string }
	}
	jobID := srv.Jobs()[0].ID
	getJSON(srv.URL+"/v1/exports/"+jobID, &job)

	curl, curlErr := exec.LookPath("curl")
	var curlTimes, connTimes []time.Duration
	var peak int64
	for range *runs {
		if curlErr == nil {
			dst := filepath.Join(tmp, "curl.out")
			cmd := exec.Command(curl, "-sS", "-f", "-o", dst, "-H", "Authorization: Bearer "+fake.DefaultToken, job.File.URL)
			start := time.Now()
			if out, err := cmd.CombinedOutput(); err != nil {
				log.Fatalf("curl: %v\n%s", err, out)
			}
			curlTimes = append(curlTimes, time.Since(start))
			expectSize(dst)
			os.Remove(dst)
		}

		out, d, rss := connector(append([]string{"request-results", "-r", "requests.json"}, common...)...)
		var rec protocol.Message
		check(json.Unmarshal(out, &rec))
		if rec.Record == nil || rec.Record.RecordType != protocol.RecordTypeFile {
			log.Fatalf("request-results wrote %s, want a FILE record", out)
		}
		expectSize(rec.Record.File)
		os.Remove(rec.Record.File)
		connTimes = append(connTimes, d)
		peak = max(peak, rss)
	}

	mib := float64(*size) / (1 << 20)
	fmt.Printf("export of %.0f MiB from the fake on loopback, written under %s, %d runs each\n", mib, filepath.Dir(tmp), *runs)
	fmt.Printf("connector request-results (child process, size and SHA-256 checked): median %v (%.0f MiB/s), runs %v, peak RSS %.1f MiB\n",
		median(connTimes), mib/median(connTimes).Seconds(), rounded(connTimes), float64(peak)/(1<<20))
	ok := peak < maxRSS
	if curlErr != nil {
		fmt.Println("curl: SKIP, not installed: the time goal is not checked")
	} else {
		ratio := median(connTimes).Seconds() / median(curlTimes).Seconds()
		fmt.Printf("curl -o: median %v (%.0f MiB/s), runs %v\n", median(curlTimes), mib/median(curlTimes).Seconds(), rounded(curlTimes))
		fmt.Printf("connector / curl: %.2fx (goal: within %.0fx)\n", ratio, maxRatio)
		ok = ok && ratio <= maxRatio
	}
	fmt.Printf("peak RSS goal: under %d MiB: %s\n", maxRSS>>20, map[bool]string{true: "met", false: "MISSED"}[peak < maxRSS])
	if !ok {
		os.Exit(1)
	}
}

// expectSize checks that the downloaded file has the export's size.
func expectSize(path string) {
	fi, err := os.Stat(path)
	check(err)
	if fi.Size() < *size-4096 || fi.Size() > *size {
		log.Fatalf("%s has %d bytes, want about %d", path, fi.Size(), *size)
	}
}

// getJSON reads an API answer of the fake.
func getJSON(url string, v any) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	check(err)
	req.Header.Set("Authorization", "Bearer "+fake.DefaultToken)
	resp, err := http.DefaultClient.Do(req)
	check(err)
	defer resp.Body.Close()
	check(json.NewDecoder(resp.Body).Decode(v))
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func rounded(ds []time.Duration) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, d := range ds {
		out[i] = d.Round(time.Millisecond)
	}
	return out
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
