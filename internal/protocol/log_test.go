package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"
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

// TestLogLineCapped checks that a huge log message (a 10 MB panic value)
// becomes one line the platform can read, cut with a marker that gives the
// full size, whatever its characters cost to escape.
func TestLogLineCapped(t *testing.T) {
	for name, msg := range map[string]string{
		"plain":    "start " + strings.Repeat("x", 10<<20),
		"escaped":  "start " + strings.Repeat("\x00", 10<<20),
		"unicode":  "start " + strings.Repeat("é", 5<<20),
		"bad utf8": "start " + strings.Repeat("\xff", 10<<20),
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			slog.New(NewLogHandler(&buf, slog.LevelInfo)).Error(msg)
			line := strings.TrimSuffix(buf.String(), "\n")
			if strings.Contains(line, "\n") {
				t.Fatal("one log record became several lines")
			}
			if len(line) > MaxLineBytes {
				t.Fatalf("log line is %d bytes, over the limit %d", len(line), MaxLineBytes)
			}
			var m Message
			if err := json.Unmarshal([]byte(line), &m); err != nil || m.Log == nil {
				t.Fatalf("not a LOG message: %.100s", line)
			}
			if !strings.HasPrefix(m.Log.Message, "ERROR start ") {
				t.Errorf("message does not keep its start: %.40q", m.Log.Message)
			}
			if want := fmt.Sprintf("of %d bytes", len("ERROR ")+len(msg)); !strings.Contains(m.Log.Message, want) {
				t.Errorf("message does not say it was cut (%q): ...%q", want, m.Log.Message[max(0, len(m.Log.Message)-80):])
			}
			if !utf8.ValidString(m.Log.Message[:len(m.Log.Message)-80]) {
				t.Error("the cut splits a character")
			}
		})
	}
}
