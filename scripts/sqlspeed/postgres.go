package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
	"github.com/monoid-gen/monoid-gen/templates/examples/postgres"
)

// The Postgres workload: one table of (bigint, text, text, text, numeric,
// timestamptz), an identifier matching pgMillion rows, another matching
// pgHundredK rows, and one matching none.
const (
	pgMillion  = 1_000_000
	pgHundredK = 100_000
	pgColumns  = "id, email, name, address, balance, created_at"
)

var pgURL = flag.String("postgres-url", envOr("MONOID_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
	"admin connection to the Postgres server to measure on (-driver postgres); a database is created there and dropped after")

func init() {
	register("postgres", driver{
		connector: func(spec []byte) { protocol.Run(new(postgres.Silo), spec) },
		measure:   measurePostgres,
	})
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// pgTarget is one size of the workload: the identifier's value and how
// many rows it matches.
type pgTarget struct {
	email string
	rows  int
}

func measurePostgres(c *child) error {
	ctx := context.Background()
	admin, err := pgx.ParseConfig(*pgURL)
	if err != nil {
		return fmt.Errorf("-postgres-url: %w", err)
	}
	conn, err := pgx.ConnectConfig(ctx, admin)
	if err != nil {
		return fmt.Errorf("-postgres-url: %w", err)
	}
	defer conn.Close(ctx)

	db := fmt.Sprintf("monoid_sqlspeed_%d", os.Getpid())
	quoted := pgx.Identifier{db}.Sanitize()
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+quoted); err != nil {
		return err
	}
	defer conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+quoted+" WITH (FORCE)")
	cfg := admin.Copy()
	cfg.Database = db
	dbConn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer dbConn.Close(ctx)

	start := time.Now()
	for _, sql := range []string{
		`CREATE TABLE people (id bigint, email text, name text, address text, balance numeric(12,2), created_at timestamptz)`,
		fmt.Sprintf(`INSERT INTO people
			SELECT g, CASE WHEN g <= %d THEN 'million@example.com' ELSE 'hundred-k@example.com' END,
				'Person ' || g, g || ' Main Street, Springfield, IL 62704',
				(g %% 1000000) / 100.0 + 0.01, timestamptz '2020-01-01 00:00:00+00' + g * interval '1.5 seconds'
			FROM generate_series(1, %d) g`, pgMillion, pgMillion+pgHundredK),
		`CREATE INDEX ON people (email)`,
		`VACUUM ANALYZE people`,
	} {
		if _, err := dbConn.Exec(ctx, sql); err != nil {
			return fmt.Errorf("set up the workload: %w", err)
		}
	}
	fmt.Printf("postgres: table of %d rows (%s) in database %s, set up in %v\n",
		pgMillion+pgHundredK, pgColumns, db, time.Since(start).Round(time.Millisecond))

	confFile, err := c.file("config.json", map[string]any{
		"hostname": admin.Host, "port": admin.Port, "database": db, "username": admin.User,
		"password": admin.Password, "scan_all": false, "ssl": false, "exclude_dbs": []string{},
	})
	if err != nil {
		return err
	}
	persistFile, err := c.file("persist.json", protocol.PersistenceConfig{TempStore: c.dir})
	if err != nil {
		return err
	}

	fmt.Printf("request-results through the runtime in a child process, stdout to /dev/null (median of %d runs, after one\nrun whose lines were counted; peak RSS is the highest; CPU is the connector's user+system time):\n", c.runs)
	fmt.Printf("%9s %10s %12s %10s %11s %11s %12s %9s\n", "rows", "time", "rows/s", "CPU", "peak RSS", "stdout", "COPY", "vs COPY")
	var rss []int64
	var rates []float64
	var ratios []float64
	for _, tg := range []pgTarget{{"nobody@example.com", 0}, {"hundred-k@example.com", pgHundredK}, {"million@example.com", pgMillion}} {
		handle, err := pgHandle(c, confFile, persistFile, db, tg.email)
		if err != nil {
			return err
		}
		reqFile, err := c.file("requests.json", protocol.RequestsMessage{Handles: []protocol.RequestHandle{handle}})
		if err != nil {
			return err
		}
		args := []string{"request-results", "-c", confFile, "-p", persistFile, "-r", reqFile}
		counted, err := c.run(count, args...)
		if err != nil {
			return err
		}
		if counted.lines != int64(tg.rows) {
			return fmt.Errorf("request-results for %d rows wrote %d lines", tg.rows, counted.lines)
		}
		out, peak, err := c.runMedian(args...)
		if err != nil {
			return err
		}
		copyTime, err := pgCopyTime(ctx, dbConn, tg.email, c.runs)
		if err != nil {
			return err
		}
		rate, ratio := "-", "-"
		if tg.rows > 0 {
			r := float64(tg.rows) / out.wall.Seconds()
			rates = append(rates, r)
			rate = fmt.Sprintf("%.0f", r)
			ratios = append(ratios, out.wall.Seconds()/copyTime.Seconds())
			ratio = fmt.Sprintf("%.2fx", ratios[len(ratios)-1])
			rss = append(rss, peak)
		}
		fmt.Printf("%9d %10v %12s %10v %11s %9.1f MB %12v %9s\n", tg.rows, out.wall.Round(time.Millisecond), rate, out.cpu.Round(time.Millisecond), mib(peak),
			float64(counted.bytes)/1e6, copyTime.Round(time.Millisecond), ratio)
	}

	fmt.Println("goals:")
	verdict := func(ok bool) string {
		if ok {
			return "met"
		}
		return "MISSED"
	}
	fmt.Printf("  >= 500000 rows/s at 1M rows:          %.0f rows/s, %s\n", rates[1], verdict(rates[1] >= 500_000))
	fmt.Printf("  within 3x of COPY at 1M rows:         %.2fx, %s\n", ratios[1], verdict(ratios[1] <= 3))
	fmt.Printf("  peak RSS <= 50 MiB:                   %s at 100k, %s at 1M, %s\n", mib(rss[0]), mib(rss[1]), verdict(max(rss[0], rss[1]) <= 50*1024))
	growth := float64(rss[1]-rss[0]) / 1024
	fmt.Printf("  peak RSS flat from 100k to 1M rows:   %+.1f MiB, %s (flat: within 5 MiB)\n", growth, verdict(growth <= 5))
	return nil
}

// pgHandle runs the connector's query command for email and returns the
// handle it answers with.
func pgHandle(c *child, confFile, persistFile, db, email string) (protocol.RequestHandle, error) {
	schema := json.RawMessage(`{"type":"object","properties":{"id":{},"email":{},"name":{},"address":{},"balance":{},"created_at":{}}}`)
	queryFile, err := c.file("query.json", protocol.Query{Identifiers: []protocol.QueryIdentifier{{
		SchemaName: "people", SchemaGroup: db + "/public", Identifier: "email",
		IdentifierQuery: protocol.StringQuery(email), JSONSchema: schema,
	}}})
	if err != nil {
		return protocol.RequestHandle{}, err
	}
	out, err := c.run(keep, "query", "-c", confFile, "-p", persistFile, "-q", queryFile)
	if err != nil {
		return protocol.RequestHandle{}, err
	}
	msg, err := protocol.ParseMessage([]byte(strings.TrimSpace(string(out.text))))
	if err != nil || msg.Request == nil {
		return protocol.RequestHandle{}, fmt.Errorf("query answered %q: %v", out.text, err)
	}
	return msg.Request.Handle, nil
}

// pgCopyTime returns the median time of COPY (the connector's SELECT) TO
// STDOUT, read to the end and discarded: what the server itself takes to
// produce the rows, with no driver or encoding in the way.
func pgCopyTime(ctx context.Context, conn *pgx.Conn, email string, runs int) (time.Duration, error) {
	// The value is this script's own constant, not input.
	sql := "COPY (SELECT " + pgColumns + " FROM people WHERE email = '" + email + "') TO STDOUT"
	var times []time.Duration
	for range max(runs, 1) {
		start := time.Now()
		if _, err := conn.PgConn().CopyTo(ctx, io.Discard, sql); err != nil {
			return 0, err
		}
		times = append(times, time.Since(start))
	}
	return medianDuration(times), nil
}
