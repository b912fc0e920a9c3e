package scaffold

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"

	"github.com/monoid-gen/monoid-gen/templates/examples/export/fake"
)

// serviceConfig returns, for a golden project whose template needs a
// live service (or has a fake of one), the path of a config file outside the project that
// reaches a database made for the test and loaded with the fixture's
// tables (testdata/*.sql): the silo the conformance tests run against.
// The database is dropped when the test ends. Without the server's
// environment variable the test is skipped, saying which; CI sets it.
func serviceConfig(t *testing.T, dir string, tmpl *Template) string {
	t.Helper()
	// One silo per project copy: its testdata names the database made.
	serviceMu.Lock()
	defer serviceMu.Unlock()
	if path, ok := serviceConfigs[dir]; ok {
		return path
	}
	path := newServiceConfig(t, dir, tmpl)
	serviceConfigs[dir] = path
	return path
}

var (
	serviceMu      sync.Mutex
	serviceConfigs = map[string]string{}
)

func newServiceConfig(t *testing.T, dir string, tmpl *Template) string {
	switch tmpl.Example {
	case "postgres":
		return postgresConfig(t, dir)
	case "mysql":
		return mysqlConfig(t, dir)
	case "export":
		// The service is the example's fake, on loopback: a test never
		// reaches the vendor.
		srv := fake.NewServer(fake.Options{})
		t.Cleanup(srv.Close)
		b, err := os.ReadFile(filepath.Join(dir, "testdata", "config.json"))
		if err != nil {
			t.Fatal(err)
		}
		var conf map[string]any
		if err := json.Unmarshal(b, &conf); err != nil {
			t.Fatal(err)
		}
		conf[tmpl.FakeURLField] = srv.URL
		return writeConfig(t, conf)
	}
	t.Fatalf("no live service for template %s", tmpl.Name)
	return ""
}

// postgresConfig makes a database on the server MONOID_TEST_POSTGRES_URL
// names and loads testdata/users.sql into it.
func postgresConfig(t *testing.T, dir string) string {
	t.Helper()
	admin := os.Getenv("MONOID_TEST_POSTGRES_URL")
	if admin == "" {
		t.Skip("SKIP: MONOID_TEST_POSTGRES_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres); the Postgres project's conformance test needs a server")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("MONOID_TEST_POSTGRES_URL: %v", err)
	}
	defer conn.Close(ctx)
	name := "monoid_golden_" + randomHex(t)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), admin)
		if err == nil {
			c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
			c.Close(context.Background())
		}
	})
	cfg, err := pgx.ParseConfig(admin)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Database = name
	renameGroup(t, dir, `"postgres/public"`, `"`+name+`/public"`)
	db, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	sql, err := os.ReadFile(filepath.Join(dir, "testdata", "users.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, string(sql)); err != nil {
		t.Fatalf("load testdata/users.sql: %v", err)
	}
	u, _ := url.Parse(admin)
	password, _ := u.User.Password()
	port, _ := strconv.Atoi(u.Port())
	return writeConfig(t, map[string]any{
		"hostname": u.Hostname(), "port": port, "database": name, "username": u.User.Username(),
		"password": password, "scan_all": false, "ssl": false, "exclude_dbs": []string{},
	})
}

func writeConfig(t *testing.T, conf map[string]any) string {
	t.Helper()
	b, err := json.Marshal(conf)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func randomHex(t *testing.T) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// mysqlConfig makes a database on the server MONOID_TEST_MYSQL_DSN names
// and loads testdata/example.sql into it, under the database's own name.
func mysqlConfig(t *testing.T, dir string) string {
	t.Helper()
	dsn := os.Getenv("MONOID_TEST_MYSQL_DSN")
	if dsn == "" {
		t.Skip("SKIP: MONOID_TEST_MYSQL_DSN is not set (e.g. root@tcp(127.0.0.1:3306)/); the MySQL project's conformance test needs a server")
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("MONOID_TEST_MYSQL_DSN: %v", err)
	}
	cfg.MultiStatements = true
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	name := "monoid_golden_" + randomHex(t)
	script, err := os.ReadFile(filepath.Join(dir, "testdata", "example.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(strings.ReplaceAll(string(script), "monoid_example", name)); err != nil {
		t.Fatalf("load testdata/example.sql: %v", err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("mysql", cfg.FormatDSN()); err == nil {
			db.Exec("DROP DATABASE IF EXISTS `" + name + "`")
			db.Close()
		}
	})
	renameGroup(t, dir, `"monoid_example"`, `"`+name+`"`)
	host, port, _ := net.SplitHostPort(cfg.Addr)
	p, _ := strconv.Atoi(port)
	return writeConfig(t, map[string]any{
		"hostname": host, "port": p, "database": name, "username": cfg.User, "password": cfg.Passwd,
	})
}

// renameGroup replaces from with to in the JSON files of the project's
// testdata/ (dir is a copy): the stores' group names the database, which
// the test made under a name of its own.
func renameGroup(t *testing.T, dir, from, to string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "testdata", "*.json"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte(strings.ReplaceAll(string(b), from, to)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// checkAgainstService runs `monoid-gen check`, as an author would, on the
// golden project at dir against the silo serviceConfig made for it: the
// live database, or the fake of the export service. Delete runs too.
func checkAgainstService(t *testing.T, dir string, tmpl *Template) {
	t.Helper()
	config := serviceConfig(t, dir, tmpl)
	cmd := exec.Command(monoidGen(t), "check", "--dir", dir, "--config", config, "--destructive")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("monoid-gen check against the %s silo: %v\n%s", tmpl.Name, err, out)
		return
	}
	m := summaryRE.FindString(string(out))
	if m == "" || !strings.Contains(m, " 0 failed") {
		t.Errorf("monoid-gen check against the %s silo: want a report without failures:\n%s", tmpl.Name, out)
	}
	t.Logf("monoid-gen check against the %s silo: %s", tmpl.Name, m)
}

var (
	monoidGenOnce sync.Once
	monoidGenPath string
	monoidGenErr  error
)

// monoidGen builds monoid-gen once for the tests that run it as a user
// would; TestMain removes it.
func monoidGen(t *testing.T) string {
	t.Helper()
	monoidGenOnce.Do(func() {
		dir, err := os.MkdirTemp("", "monoid-gen-bin-")
		if err != nil {
			monoidGenErr = err
			return
		}
		binDirs = append(binDirs, dir)
		monoidGenPath = filepath.Join(dir, "monoid-gen")
		if out, err := exec.Command("go", "build", "-o", monoidGenPath, "../../cmd/monoid-gen").CombinedOutput(); err != nil {
			monoidGenErr = fmt.Errorf("build monoid-gen: %v\n%s", err, out)
		}
	})
	if monoidGenErr != nil {
		t.Fatal(monoidGenErr)
	}
	return monoidGenPath
}

// binDirs are the directories monoidGen built into.
var binDirs []string
