package protocol

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// LogHandler is a slog.Handler that writes each log record as one LOG
// message line, {"type":"LOG","log":{"message":"..."}}, as the Python kit's
// logger does. The message is the record's text followed by its attributes
// as key=value pairs; records below WARN carry no level, others are prefixed
// with it.
//
// During a command, every value of a secret config property is replaced
// by [redacted] wherever it appears in a message, whoever logged it. A
// message longer than 8 KiB is cut, with a marker giving its full size, so
// that its line always fits within MaxLineBytes.
type LogHandler struct {
	mu      *sync.Mutex
	w       io.Writer
	level   slog.Leveler
	attrs   string     // preformatted attributes of WithAttrs, with leading space
	group   string     // group prefix of WithGroup, with trailing dot
	secrets *secretSet // shared by the handlers WithAttrs and WithGroup derive
}

// NewLogHandler returns a handler writing to w records at level or above.
func NewLogHandler(w io.Writer, level slog.Leveler) *LogHandler {
	if level == nil {
		level = slog.LevelInfo
	}
	return &LogHandler{mu: new(sync.Mutex), w: w, level: level, secrets: new(secretSet)}
}

// Enabled implements slog.Handler.
func (h *LogHandler) Enabled(_ context.Context, l slog.Level) bool {
	return l >= h.level.Level()
}

// Handle implements slog.Handler: one Write call per record, so lines from
// concurrent goroutines never interleave.
func (h *LogHandler) Handle(_ context.Context, r slog.Record) error {
	var sb strings.Builder
	if r.Level >= slog.LevelWarn {
		sb.WriteString(r.Level.String())
		sb.WriteByte(' ')
	}
	sb.WriteString(r.Message)
	sb.WriteString(h.attrs)
	r.Attrs(func(a slog.Attr) bool {
		appendAttr(&sb, h.group, a)
		return true
	})
	// Scrub before cutting, so that a cut cannot leave part of a secret.
	line := logLine(capMessage(h.secrets.scrub(sb.String())))
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := h.w.Write(line)
	return err
}

// WithAttrs implements slog.Handler.
func (h *LogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	var sb strings.Builder
	sb.WriteString(h.attrs)
	for _, a := range attrs {
		appendAttr(&sb, h.group, a)
	}
	h2 := *h
	h2.attrs = sb.String()
	return &h2
}

// WithGroup implements slog.Handler.
func (h *LogHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := *h
	h2.group = h.group + name + "."
	return &h2
}

// appendAttr writes " key=value", quoting values that contain spaces.
func appendAttr(sb *strings.Builder, group string, a slog.Attr) {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return
	}
	if a.Value.Kind() == slog.KindGroup {
		prefix := group
		if a.Key != "" {
			prefix += a.Key + "."
		}
		for _, ga := range a.Value.Group() {
			appendAttr(sb, prefix, ga)
		}
		return
	}
	sb.WriteByte(' ')
	sb.WriteString(group)
	sb.WriteString(a.Key)
	sb.WriteByte('=')
	var v string
	if a.Value.Kind() == slog.KindTime {
		v = a.Value.Time().Format(time.RFC3339)
	} else {
		v = a.Value.String()
	}
	if v == "" || strings.ContainsAny(v, " \t\n\"=") {
		v = strconv.Quote(v)
	}
	sb.WriteString(v)
}

// maxLogBytes caps the text of a LOG message. Escaped for JSON, each byte
// takes at most six ("\u0000"), so a capped message always fits in a line
// the platform can read (MaxLineBytes); 8 KiB is also more than any log
// message needs to be useful.
const maxLogBytes = 8 << 10

// capMessage cuts msg to maxLogBytes, at a character boundary, and says so
// with the full size.
func capMessage(msg string) string {
	if len(msg) <= maxLogBytes {
		return msg
	}
	cut := maxLogBytes
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut] + " … [message cut to " + strconv.Itoa(cut) + " of " + strconv.Itoa(len(msg)) + " bytes]"
}

// logLine encodes msg as a LOG message line.
func logLine(msg string) []byte {
	b := append([]byte(`{"type":"LOG","log":{"message":`), AppendJSONString(nil, msg)...)
	return append(b, "}}\n"...)
}
