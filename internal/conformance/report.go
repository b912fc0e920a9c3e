package conformance

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// WriteText writes one line per check, PASS, FAIL, SKIP or WARN with the
// check's name and its detail; then the totals, with the warnings when
// there are any. Control characters are escaped.
func (r *Report) WriteText(w io.Writer) error {
	for _, res := range r.Results {
		line := fmt.Sprintf("%-4s  %s", res.Status, escape(res.Check))
		if res.Detail != "" {
			line += ": " + escape(res.Detail)
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	totals := fmt.Sprintf("%d passed, %d failed, %d skipped", r.Passed, r.Failed, r.Skipped)
	if r.Warned > 0 {
		totals += fmt.Sprintf(", %d warned", r.Warned)
	}
	_, err := fmt.Fprintln(w, totals)
	return err
}

// WriteJSON writes the report as one JSON document.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// maxDetail bounds a check's detail, escapes included, so that every line
// of the report is bounded whatever the connector prints.
const maxDetail = 16 << 10

// escape makes s safe to print on a terminal: control characters (ANSI
// escapes, "\r"), other runes that do not print (bidirectional overrides
// among them) and invalid UTF-8 become Go escapes such as \x1b, \r,
// \u202e and \xff, so that what a connector printed cannot move the
// cursor, recolour the terminal or reorder the report. Backslashes stay
// as they are, so that JSON and paths read as printed.
func escape(s string) string {
	if printable(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case unicode.IsPrint(r):
			b.WriteString(s[i : i+size])
		case r < utf8.RuneSelf:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
		i += size
	}
	return b.String()
}

// printable reports whether s is valid UTF-8 and every rune in it prints.
func printable(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || !unicode.IsPrint(r) {
			return false
		}
		i += size
	}
	return true
}

// bound cuts s to at most maxDetail bytes, at a character, saying how long
// it was.
func bound(s string) string {
	if len(s) <= maxDetail {
		return s
	}
	return cutAt(s, maxDetail) + fmt.Sprintf("... (%d bytes in all)", len(s))
}

// cutAt is the longest prefix of s of at most n bytes that does not split
// a character.
func cutAt(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
