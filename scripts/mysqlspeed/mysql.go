package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
	mysqlexample "github.com/monoid-gen/monoid-gen/templates/examples/mysql"
)

// The MySQL/MariaDB measurement:
//
//	go run ./scripts/mysqlspeed mysql [-dsn DSN] [-spec FILE] [-rows N] [-small N] [-runs N] [-reset]
//
// It fills monoid_sqlspeed.people on the server (once; -reset refills)
// with rows of (bigint, text, text, text, decimal, datetime): N rows whose
// email is bulk@example.com and -small rows whose email is
// small@example.com. Then, for each email, it runs the connector's query
// and request-results through the runtime in a child process, timing
// request-results and reading the child's peak RSS, and times the
// server's own client (mariadb or mysql --batch --quick) fetching the same
// rows into /dev/null: the floor.
func init() {
	measurements["mysql"] = measurement{run: runMySQL, connector: mysqlConnector}
}

// mysqlSpecEnv carries the spec.json path to the child.
const mysqlSpecEnv = "SQLSPEED_MYSQL_SPEC"

// mysqlConnector is the child: the example connector behind the runtime.
func mysqlConnector() {
	spec, err := os.ReadFile(os.Getenv(mysqlSpecEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	protocol.Run(new(mysqlexample.Silo), spec)
}

// mysqlBench is one run of the MySQL measurement.
type mysqlBench struct {
	dsn     *mysqldriver.Config
	spec    string
	rows    int
	small   int
	runs    int
	reset   bool
	engine  string
	tmp     string
	version string
}

const mysqlBenchDB = "monoid_sqlspeed"

func runMySQL(args []string) error {
	fs := flag.NewFlagSet("sqlspeed mysql", flag.ContinueOnError)
	dsn := fs.String("dsn", envOr("MONOID_TEST_MYSQL_DSN", "root@tcp(127.0.0.1:3306)/"), "admin account of the server, as a Go driver DSN (default $MONOID_TEST_MYSQL_DSN)")
	spec := fs.String("spec", mysqlDefaultSpec(), "the connector's spec.json")
	b := &mysqlBench{}
	fs.IntVar(&b.rows, "rows", 1_000_000, "rows the big identifier matches")
	fs.IntVar(&b.small, "small", 100_000, "rows the small identifier matches")
	fs.IntVar(&b.runs, "runs", 3, "timed runs of each fetch")
	fs.BoolVar(&b.reset, "reset", false, "refill the table even if it has the right rows")
	fs.StringVar(&b.engine, "engine", "MyISAM", "the table's storage engine: MyISAM reads rows through the OS page cache, so a warm run measures the connector and the client, not the disk; InnoDB reads them through its buffer pool, which a table larger than it defeats")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := mysqldriver.ParseDSN(*dsn)
	if err != nil {
		return fmt.Errorf("-dsn: %w", err)
	}
	b.dsn, b.spec = cfg, *spec
	if _, err := os.Stat(b.spec); err != nil {
		return fmt.Errorf("-spec: %w (run from the repository root, or give the official mysql.spec.json with -spec)", err)
	}
	if b.tmp, err = os.MkdirTemp("", "sqlspeed-mysql-"); err != nil {
		return err
	}
	defer os.RemoveAll(b.tmp)
	return b.measure()
}

// mysqlDefaultSpec is the official MySQL spec.json in the repository's
// protocol data; the script runs from the repository root.
func mysqlDefaultSpec() string {
	return filepath.Join("testdata", "monoid", "specs", "mysql.spec.json")
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func (b *mysqlBench) measure() error {
	if err := b.fill(); err != nil {
		return err
	}
	fmt.Printf("server %s, table %s.people (%s): %d rows for bulk@example.com, %d for small@example.com\n", b.version, mysqlBenchDB, b.engine, b.rows, b.small)
	client, err := mysqlClient()
	if err != nil {
		return err
	}
	type result struct {
		rows  int
		best  time.Duration
		rss   int64 // KiB
		bytes int64
		floor time.Duration
		// CPU time of the best runs: the connector's and the client's.
		cpu, floorCPU time.Duration
	}
	var results []result
	for _, c := range []struct {
		email string
		rows  int
	}{{"small@example.com", b.small}, {"bulk@example.com", b.rows}} {
		requests, err := b.queryHandle(c.email)
		if err != nil {
			return err
		}
		r := result{rows: c.rows}
		// Alternate the two, so that both see the same machine.
		for range b.runs {
			var cpu time.Duration
			d, rss, n, size, err := b.requestResults(requests, &cpu)
			if err != nil {
				return err
			}
			if n != c.rows {
				return fmt.Errorf("request-results for %s wrote %d records, want %d", c.email, n, c.rows)
			}
			if r.best == 0 || d < r.best {
				r.best, r.cpu = d, cpu
			}
			r.rss, r.bytes = max(r.rss, rss), size
			if d, err = b.clientFetch(client, c.email, &cpu); err != nil {
				return err
			}
			if r.floor == 0 || d < r.floor {
				r.floor, r.floorCPU = d, cpu
			}
		}
		fmt.Printf("request-results, %7d rows (best of %d): %7.3fs, %9.0f rows/s, CPU %.2fs, peak RSS %5.1f MiB, %.0f MB of output\n",
			r.rows, b.runs, r.best.Seconds(), float64(r.rows)/r.best.Seconds(), r.cpu.Seconds(), float64(r.rss)/1024, float64(r.bytes)/1e6)
		fmt.Printf("  floor, %s --batch --quick > /dev/null (best of %d): %7.3fs, %9.0f rows/s, CPU %.2fs; the connector takes %.2fx the time\n",
			filepath.Base(client), b.runs, r.floor.Seconds(), float64(r.rows)/r.floor.Seconds(), r.floorCPU.Seconds(), r.best.Seconds()/r.floor.Seconds())
		results = append(results, r)
	}
	small, big := results[0], results[1]
	rate := float64(big.rows) / big.best.Seconds()
	ratio := big.best.Seconds() / big.floor.Seconds()
	growth := float64(big.rss-small.rss) / 1024
	if load, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Printf("load average: %s", load)
	}
	fmt.Println("goals:")
	fmt.Printf("  >= 500,000 rows/s:          %s (%.0f)\n", passFail(rate >= 500_000), rate)
	fmt.Printf("  within 3x of the floor:     %s (%.2fx)\n", passFail(ratio <= 3), ratio)
	fmt.Printf("  peak RSS <= 50 MiB:         %s (%.1f MiB)\n", passFail(big.rss <= 50*1024), float64(big.rss)/1024)
	fmt.Printf("  RSS flat from 100k to 1M:   %s (%+.1f MiB)\n", passFail(growth <= 5), growth)
	return nil
}

func passFail(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}

// fill creates and fills the table unless it already holds the rows.
func (b *mysqlBench) fill() error {
	cfg := b.dsn.Clone()
	cfg.DBName = ""
	cfg.MultiStatements = false
	connector, err := mysqldriver.NewConnector(cfg)
	if err != nil {
		return err
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	ctx := context.Background()
	if err := db.QueryRowContext(ctx, "SELECT VERSION()").Scan(&b.version); err != nil {
		return fmt.Errorf("connect with -dsn: %w", err)
	}
	var bulk, small int
	var engine string
	err = db.QueryRowContext(ctx, "SELECT COALESCE(SUM(email = 'bulk@example.com'), 0), COALESCE(SUM(email = 'small@example.com'), 0) FROM "+mysqlBenchDB+".people").Scan(&bulk, &small)
	if err == nil {
		err = db.QueryRowContext(ctx, "SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'people'", mysqlBenchDB).Scan(&engine)
	}
	if err == nil && !b.reset && bulk == b.rows && small == b.small && strings.EqualFold(engine, b.engine) {
		return nil
	}
	if !slices.Contains([]string{"myisam", "innodb", "aria"}, strings.ToLower(b.engine)) {
		return fmt.Errorf("-engine %s: want MyISAM, InnoDB or Aria", b.engine)
	}
	fmt.Printf("filling %s.people with %d rows...\n", mysqlBenchDB, b.rows+b.small)
	start := time.Now()
	digits := len(strconv.Itoa(max(b.rows, b.small) - 1))
	var from, n []string
	for i := range digits {
		from = append(from, fmt.Sprintf("%s.digits d%d", mysqlBenchDB, i))
		n = append(n, fmt.Sprintf("d%d.d * %d", i, pow10(i)))
	}
	seq := "SELECT " + strings.Join(n, " + ") + " AS n FROM " + strings.Join(from, ", ")
	insert := func(email string, offset, count int) string {
		return fmt.Sprintf(`INSERT INTO %s.people
			SELECT n + %d, '%s', CONCAT('Person ', n), CONCAT('note "', n, '" ✓ some words about this person, long enough to matter'),
				(n %% 1000000) / 100 + 0.01, TIMESTAMP('2024-01-01 00:00:00') + INTERVAL n SECOND + INTERVAL (n %% 1000000) MICROSECOND
			FROM (%s) s WHERE n < %d`, mysqlBenchDB, offset, email, seq, count)
	}
	for _, q := range []string{
		"CREATE DATABASE IF NOT EXISTS " + mysqlBenchDB,
		"DROP TABLE IF EXISTS " + mysqlBenchDB + ".people",
		"DROP TABLE IF EXISTS " + mysqlBenchDB + ".digits",
		"CREATE TABLE " + mysqlBenchDB + ".digits (d INT NOT NULL)",
		"INSERT INTO " + mysqlBenchDB + ".digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)",
		"CREATE TABLE " + mysqlBenchDB + ".people (id BIGINT NOT NULL PRIMARY KEY, email VARCHAR(255) NOT NULL, name TEXT, note TEXT, amount DECIMAL(12,2), created DATETIME(6), KEY (email)) ENGINE=" + b.engine,
		insert("bulk@example.com", 0, b.rows),
		insert("small@example.com", b.rows, b.small),
		"DROP TABLE " + mysqlBenchDB + ".digits",
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("fill the table: %w", err)
		}
	}
	fmt.Printf("filled in %.1fs\n", time.Since(start).Seconds())
	return nil
}

func pow10(i int) int {
	n := 1
	for range i {
		n *= 10
	}
	return n
}

// config writes the connector's config and persistence files once.
func (b *mysqlBench) config() (conf, persist string, err error) {
	host, port, err := net.SplitHostPort(b.dsn.Addr)
	if err != nil {
		return "", "", err
	}
	p, _ := strconv.Atoi(port)
	c, _ := json.Marshal(mysqlexample.Config{Hostname: host, Port: float64(p), Database: mysqlBenchDB, Username: b.dsn.User, Password: b.dsn.Passwd})
	conf, persist = filepath.Join(b.tmp, "config.json"), filepath.Join(b.tmp, "persist.json")
	if err := os.WriteFile(conf, c, 0o600); err != nil {
		return "", "", err
	}
	pc, _ := json.Marshal(protocol.PersistenceConfig{TempStore: b.tmp})
	return conf, persist, os.WriteFile(persist, pc, 0o644)
}

// child returns the command that runs this program as the connector.
func (b *mysqlBench) child(args ...string) (*exec.Cmd, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, args...)
	cmd.Env = append(os.Environ(), childEnv+"=mysql", mysqlSpecEnv+"="+b.spec)
	return cmd, nil
}

// queryHandle runs query for email and writes the requests file that
// request-results reads: the handle the query answered.
func (b *mysqlBench) queryHandle(email string) (string, error) {
	conf, persist, err := b.config()
	if err != nil {
		return "", err
	}
	q, _ := json.Marshal(protocol.Query{Identifiers: []protocol.QueryIdentifier{{
		SchemaName: "people", SchemaGroup: mysqlBenchDB, Identifier: "email",
		IdentifierQuery: protocol.StringQuery(email), JSONSchema: json.RawMessage(`{"type":"object","properties":{}}`),
	}}})
	qf := filepath.Join(b.tmp, "query.json")
	if err := os.WriteFile(qf, q, 0o644); err != nil {
		return "", err
	}
	cmd, err := b.child("query", "-c", conf, "-p", persist, "-q", qf)
	if err != nil {
		return "", err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("query: %v: %s", err, stderr.String())
	}
	m, err := protocol.ParseMessage(bytes.TrimSpace(out))
	if err != nil || m.Request == nil {
		return "", fmt.Errorf("query answered %q: %v", out, err)
	}
	r, _ := json.Marshal(protocol.RequestsMessage{Handles: []protocol.RequestHandle{m.Request.Handle}})
	rf := filepath.Join(b.tmp, "requests-"+email+".json")
	return rf, os.WriteFile(rf, r, 0o644)
}

// requestResults runs request-results and returns its wall time, peak
// RSS in KiB, the records it wrote and the bytes of output. cpu gets the
// child's user and system time.
func (b *mysqlBench) requestResults(requests string, cpu *time.Duration) (time.Duration, int64, int, int64, error) {
	conf, persist := filepath.Join(b.tmp, "config.json"), filepath.Join(b.tmp, "persist.json")
	cmd, err := b.child("request-results", "-c", conf, "-p", persist, "-r", requests)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return 0, 0, 0, 0, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, 0, 0, err
	}
	var lines int
	var size int64
	buf := make([]byte, 1<<20)
	for {
		n, err := pipe.Read(buf)
		lines += bytes.Count(buf[:n], []byte{'\n'})
		size += int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, 0, 0, 0, err
		}
	}
	if err := cmd.Wait(); err != nil {
		return 0, 0, 0, 0, fmt.Errorf("request-results: %v: %s", err, stderr.String())
	}
	d := time.Since(start)
	*cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return d, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss, lines, size, nil
}

// mysqlClient finds the server's command-line client.
func mysqlClient() (string, error) {
	for _, name := range []string{"mariadb", "mysql"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("neither mariadb nor mysql is on PATH: the floor needs the server's client")
}

// clientFetch times the client fetching the same rows in batch mode,
// streamed (--quick), into /dev/null. cpu gets the client's user and
// system time.
func (b *mysqlBench) clientFetch(client, email string, cpu *time.Duration) (time.Duration, error) {
	host, port, err := net.SplitHostPort(b.dsn.Addr)
	if err != nil {
		return 0, err
	}
	query := "SELECT id, email, name, note, amount, created FROM people WHERE email = '" + email + "'"
	cmd := exec.Command(client, "--batch", "--quick", "--protocol=TCP", "-h", host, "-P", port, "-u", b.dsn.User, "-e", query, mysqlBenchDB)
	cmd.Env = append(os.Environ(), "MYSQL_PWD="+b.dsn.Passwd)
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return 0, err
	}
	defer devnull.Close()
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = devnull, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("%s: %v: %s", filepath.Base(client), err, stderr.String())
	}
	d := time.Since(start)
	*cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return d, nil
}
