package protocol

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

func TestLogHandler(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(NewLogHandler(&buf, slog.LevelInfo)).With("store", "app/users")
	log.Debug("hidden")
	log.Info("scanning", "rows", 3)
	log.WithGroup("db").Warn("slow query", "ms", 1200, "sql", "select 1")
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	want := []string{
		"scanning store=app/users rows=3",
		`WARN slow query store=app/users db.ms=1200 db.sql="select 1"`,
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), buf.String())
	}
	for i, l := range lines {
		var m Message
		if err := json.Unmarshal([]byte(l), &m); err != nil || m.Type != TypeLog || m.Log == nil {
			t.Fatalf("line %d is not a LOG message: %s", i, l)
		}
		if m.Log.Message != want[i] {
			t.Errorf("line %d: %q, want %q", i, m.Log.Message, want[i])
		}
	}
}
