// Command speed measures monoid-gen's speed goals on this machine and
// prints the figures:
//
//   - monoid-gen new with five stores, wall time per run;
//   - monoid-gen spec --check on a fresh project, cold (empty build and
//     module caches, GOPROXY=off: it needs neither) and warm;
//   - a memory-template connector's spec start-up, the program its image
//     starts, against a bare Go program that prints the same line: the
//     two run in turn, and the ratio is the median of each pair's ratio;
//     and the connector's package init before main;
//   - its scan of 1M records (one store), against a naive Go writer (a map
//     per row, encoding/json, buffered stdout), with peak memory at 100k
//     and 1M records.
//
// Usage (from the repository root):
//
//	go run ./scripts/speed [-runs N] [-dir DIR]
//
// Everything is built and run in a temporary directory, removed afterwards.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

var (
	runs = flag.Int("runs", 200, "runs of each start-up measurement")
	dir  = flag.String("dir", "", "directory to work in (default the system's temporary directory); new's time is mostly file creation there")
)

func main() {
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("speed: ")
	tmp, err := os.MkdirTemp(*dir, "monoid-speed-")
	check(err)
	defer os.RemoveAll(tmp)

	gen := filepath.Join(tmp, "monoid-gen")
	must(exec.Command("go", "build", "-o", gen, "./cmd/monoid-gen"))

	// monoid-gen new, five stores.
	var newTimes []time.Duration
	for i := range 30 {
		args := []string{"new", "speed", "--dir", filepath.Join(tmp, fmt.Sprintf("new-%d", i))}
		for _, s := range []string{"users", "orders", "events", "profiles", "invoices"} {
			args = append(args, "--store", s)
		}
		d, _ := timed(exec.Command(gen, args...), nil)
		newTimes = append(newTimes, d)
	}
	fmt.Printf("monoid-gen new, 5 stores (30 runs in %s): median %v, max %v\n", filepath.Dir(tmp), median(newTimes), slices.Max(newTimes))

	// monoid-gen spec --check: cold, with empty caches and no module
	// proxy, then warm; and monoid-gen version, the process start alone.
	specDir := filepath.Join(tmp, "new-0")
	cold := exec.Command(gen, "spec", "--check", "--dir", specDir)
	cold.Env = append(os.Environ(), "GOCACHE="+filepath.Join(tmp, "cold-cache"),
		"GOMODCACHE="+filepath.Join(tmp, "cold-mod"), "GOPROXY=off")
	coldTime, _ := timed(cold, nil)
	var warm, start []time.Duration
	for range 30 {
		d, _ := timed(exec.Command(gen, "spec", "--check", "--dir", specDir), nil)
		warm = append(warm, d)
		d, _ = timed(exec.Command(gen, "version"), nil)
		start = append(start, d)
	}
	fmt.Printf("monoid-gen spec --check:                cold %v (empty caches, GOPROXY=off), warm median %v, max %v (30 runs); monoid-gen version median %v\n",
		coldTime.Round(time.Millisecond), median(warm), slices.Max(warm), median(start))

	// The memory connector, built as its Dockerfile builds it.
	proj := filepath.Join(tmp, "mem")
	must(exec.Command(gen, "new", "speedmem", "--template", "memory", "--dir", proj))
	conn := buildIn(proj, "connector")
	var specLine bytes.Buffer
	timed(exec.Command(conn, "spec"), &specLine)
	bare := buildProgram(tmp, "bare", fmt.Sprintf(bareSource, strconv.Quote(specLine.String())))
	naive := buildProgram(tmp, "naive", naiveSource)

	// Start-up: spec, the two programs in turn so that each pair sees the
	// same machine state.
	var connT, bareT []time.Duration
	var ratios []float64
	for range *runs {
		c, _ := timed(exec.Command(conn, "spec"), nil)
		b, _ := timed(exec.Command(bare), nil)
		connT, bareT = append(connT, c), append(bareT, b)
		ratios = append(ratios, float64(c)/float64(b))
	}
	slices.Sort(ratios)
	fmt.Printf("spec start-up (%d paired runs):         connector %v, bare Go program %v (medians), ratio %.2f (median of the pairs' ratios)\n",
		*runs, median(connT), median(bareT), ratios[len(ratios)/2])
	pkg, ms, total := initCost(conn)
	fmt.Printf("  connector package init before main (GODEBUG=inittrace=1): %.2f ms in all, %.2f ms of it %s\n", total, ms, pkg)

	// Scan.
	files := map[string]string{
		"persist.json": `{"temp_store":"` + tmp + `"}`,
		"schemas.json": `{"schemas":[{"name":"users","group":"app","json_schema":{}}]}`,
	}
	for name, content := range files {
		check(os.WriteFile(filepath.Join(tmp, name), []byte(content), 0o644))
	}
	for _, n := range []int{100_000, 1_000_000} {
		cfg := filepath.Join(tmp, fmt.Sprintf("config-%d.json", n))
		check(os.WriteFile(cfg, []byte(fmt.Sprintf(`{"hostname":"h","api_key":"k","num_records":%d}`, n)), 0o644))
		var ct, nt []time.Duration
		var crss, nrss int64
		for range 3 {
			d, rss := timed(exec.Command(conn, "scan", "-c", cfg, "-p", filepath.Join(tmp, "persist.json"), "-s", filepath.Join(tmp, "schemas.json")), io.Discard)
			ct, crss = append(ct, d), max(crss, rss)
			d, rss = timed(exec.Command(naive, fmt.Sprint(n)), io.Discard)
			nt, nrss = append(nt, d), max(nrss, rss)
		}
		fmt.Printf("scan %7d records (3 runs, median):   connector %v (peak RSS %.1f MiB), naive writer %v (peak RSS %.1f MiB), speed-up %.2fx\n",
			n, median(ct), float64(crss)/1024, median(nt), float64(nrss)/1024, float64(median(nt))/float64(median(ct)))
	}
}

// timed runs cmd with stdout copied to out (discarded when nil is given
// and the output is small) and returns its wall time and peak RSS in KiB.
func timed(cmd *exec.Cmd, out io.Writer) (time.Duration, int64) {
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if out == nil {
		out = io.Discard
	}
	pipe, err := cmd.StdoutPipe()
	check(err)
	start := time.Now()
	check(cmd.Start())
	io.Copy(out, pipe)
	if err := cmd.Wait(); err != nil {
		log.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, stderr.String())
	}
	d := time.Since(start)
	return d, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
}

// buildIn builds the main package of the module in dir into bin/name with
// the Dockerfile's flags, and extra ones, and returns the binary.
func buildIn(dir, name string, extra ...string) string {
	bin := filepath.Join(dir, "bin", name)
	args := append([]string{"build", "-trimpath", "-ldflags=-s -w", "-o", bin}, extra...)
	cmd := exec.Command("go", append(args, ".")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	must(cmd)
	return bin
}

// buildProgram writes src as a one-file module and builds it.
func buildProgram(tmp, name, src string) string {
	dir := filepath.Join(tmp, name)
	check(os.MkdirAll(dir, 0o755))
	check(os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module "+name+"\n\ngo 1.26\n"), 0o644))
	check(os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644))
	return buildIn(dir, name)
}

func must(cmd *exec.Cmd) {
	if out, err := cmd.CombinedOutput(); err != nil {
		log.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
	}
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// initCost runs bin spec with GODEBUG=inittrace=1 and returns the package
// whose init took longest, its time and the total, in milliseconds.
func initCost(bin string) (string, float64, float64) {
	cmd := exec.Command(bin, "spec")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	check(cmd.Run())
	var worst string
	var worstMS, total float64
	for _, l := range strings.Split(stderr.String(), "\n") {
		// init PKG @0.5 ms, 2.6 ms clock, 1701112 bytes, 21285 allocs
		f := strings.Fields(l)
		if len(f) < 6 || f[0] != "init" {
			continue
		}
		var ms float64
		fmt.Sscanf(f[4], "%g", &ms)
		total += ms
		if ms > worstMS {
			worst, worstMS = f[1], ms
		}
	}
	return worst, worstMS, total
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// bareSource is the smallest Go program that prints a given line (%s, a
// Go string literal): the connector's SPEC line.
const bareSource = `package main

import "os"

func main() {
	os.Stdout.WriteString(%s)
}
`

// naiveSource is the naive writer: a map per row, the message as maps,
// encoding/json onto a buffered stdout.
const naiveSource = `package main

import (
	"bufio"
	"encoding/json"
	"os"
	"strconv"
)

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	for i := 0; i < n; i++ {
		s := strconv.Itoa(i)
		row := map[string]any{"id": i, "email": "user" + s + "@example.com", "name": "User " + s}
		msg := map[string]any{"type": "RECORD", "record": map[string]any{
			"record_type": "RECORD", "schema_name": "users", "schema_group": "app", "data": row}}
		if err := enc.Encode(msg); err != nil {
			os.Exit(1)
		}
	}
}
`
