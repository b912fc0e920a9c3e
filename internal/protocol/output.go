package protocol

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"unicode/utf8"
)

// MaxLineBytes is the longest line, its end excluded, that the platform
// can read. The platform reads a connector's output through a bufio.Scanner
// with the default token limit (bufio.MaxScanTokenSize, 64 KiB), and the
// container's TTY ends every line with "\r\n", which counts against it: a
// longer line ends the platform's read, and every message after it is lost.
const MaxLineBytes = bufio.MaxScanTokenSize - len("\r\n")

// flushSize is how many bytes of complete lines collect before they are
// written out in one call.
const flushSize = 64 << 10

// lineWriter writes messages as lines. Every Write call it makes on the
// underlying writer holds whole lines only, so whatever stops the program
// (an error, a signal) leaves standard output line-complete.
//
// In held mode nothing is written until commit: commands whose output is
// a handful of messages (validate, query, ...) print all or nothing.
type lineWriter struct {
	w    io.Writer
	buf  []byte
	held bool
	err  error // first write error; later writes are dropped
}

func newLineWriter(w io.Writer, held bool) *lineWriter {
	lw := &lineWriter{w: w, held: held}
	if !held {
		// Streaming output reaches flushSize; allocate once.
		lw.buf = make([]byte, 0, flushSize+4096)
	}
	return lw
}

// LineTooLongError is a message the runtime did not print because its
// line would be longer than MaxLineBytes: the platform could not read it,
// nor anything after it.
type LineTooLongError struct {
	What string // what the line holds, e.g. "a RECORD of app/users"
	Size int    // the line's length in bytes, its end excluded
}

func (e *LineTooLongError) Error() string {
	return fmt.Sprintf("%s is %d bytes as one line, over the platform's line limit of %d bytes", e.What, e.Size, MaxLineBytes)
}

// message appends one message, encoded with encoding/json, as a line.
// what says what the message holds, for the error if it is too long.
func (lw *lineWriter) message(m *Message, what string) error {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode %s message: %w", m.Type, err)
	}
	if len(b) > MaxLineBytes {
		return &LineTooLongError{What: what, Size: len(b)}
	}
	lw.buf = append(lw.buf, b...)
	lw.buf = append(lw.buf, '\n')
	return lw.maybeFlush()
}

// maybeFlush writes the buffered lines once enough have collected.
func (lw *lineWriter) maybeFlush() error {
	if lw.held || len(lw.buf) < flushSize {
		return lw.err
	}
	return lw.flush()
}

// flush writes all buffered lines.
func (lw *lineWriter) flush() error {
	if lw.err != nil {
		return lw.err
	}
	if len(lw.buf) > 0 {
		_, lw.err = lw.w.Write(lw.buf)
		lw.buf = lw.buf[:0]
		if lw.err != nil {
			lw.err = fmt.Errorf("write standard output: %w", lw.err)
		}
	}
	return lw.err
}

// discard drops buffered lines that were not written yet.
func (lw *lineWriter) discard() { lw.buf = lw.buf[:0] }

// recordWriter is the RecordWriter of one store during one command. The
// fixed part of each line is encoded once.
type recordWriter struct {
	lw        *lineWriter
	store     string // group/name, for messages
	prefix    []byte // {"type":"RECORD","record":{"record_type":"RECORD",...,"data":
	fileStart []byte // {"type":"RECORD","record":{"record_type":"FILE",...,"file":
	files     fileGuard
	enc       *json.Encoder // for data without JSONAppender; writes into scratch
	scratch   bytes.Buffer
	count     int
	check     func() error // called every checkEvery records: cancellation

	// skipTooLong (scan) makes a record over MaxLineBytes a warning,
	// logged on log, instead of an error; skipped counts them.
	skipTooLong bool
	log         *slog.Logger
	skipped     int
	// err is the first error Record or File returned. The runner fails the
	// command with it even if the store dropped it, so that no record is
	// lost without the command failing.
	err error
}

// checkEvery is how often (in records) the writer looks for cancellation.
const checkEvery = 256

func newRecordWriter(lw *lineWriter, group, name string, files fileGuard, check func() error) *recordWriter {
	ident := AppendJSONString(nil, name)
	if group != "" {
		ident = append(ident, `,"schema_group":`...)
		ident = AppendJSONString(ident, group)
	}
	rw := &recordWriter{lw: lw, store: storeKey(group, name), files: files, check: check}
	rw.prefix = append(append([]byte(`{"type":"RECORD","record":{"record_type":"RECORD","schema_name":`), ident...), `,"data":`...)
	rw.fileStart = append(append([]byte(`{"type":"RECORD","record":{"record_type":"FILE","schema_name":`), ident...), `,"file":`...)
	rw.enc = json.NewEncoder(&rw.scratch)
	rw.enc.SetEscapeHTML(false)
	return rw
}

// Record writes one RECORD line. If data cannot be encoded, or its line
// would be over MaxLineBytes, nothing of the line is written.
func (rw *recordWriter) Record(data any) error {
	if err := rw.tick(); err != nil {
		return rw.fail(err)
	}
	lw := rw.lw
	start := len(lw.buf)
	lw.buf = append(lw.buf, rw.prefix...)
	dataStart := len(lw.buf)
	var err error
	lw.buf, err = appendData(lw.buf, data, rw)
	if err == nil && (len(lw.buf) == dataStart || lw.buf[dataStart] != '{') {
		err = fmt.Errorf("record data must be a JSON object, got %.40s", lw.buf[dataStart:])
	}
	if err != nil {
		lw.buf = lw.buf[:start]
		return rw.fail(err)
	}
	lw.buf = append(lw.buf, "}}\n"...)
	return rw.end(start, "a RECORD")
}

// File writes one FILE record naming path, after checking that the path
// lies inside the persistence directory.
func (rw *recordWriter) File(path string) error {
	if err := rw.tick(); err != nil {
		return rw.fail(err)
	}
	if err := rw.files.check(path); err != nil {
		return rw.fail(err)
	}
	lw := rw.lw
	start := len(lw.buf)
	lw.buf = append(lw.buf, rw.fileStart...)
	lw.buf = AppendJSONString(lw.buf, path)
	lw.buf = append(lw.buf, "}}\n"...)
	return rw.end(start, "a FILE record")
}

// end checks the length of the line appended from start and flushes, or
// takes the line back if the platform could not read it.
func (rw *recordWriter) end(start int, what string) error {
	lw := rw.lw
	size := len(lw.buf) - start - 1
	if size <= MaxLineBytes {
		return lw.maybeFlush()
	}
	lw.buf = lw.buf[:start]
	if rw.skipTooLong {
		rw.skipped++
		if rw.skipped == 1 && rw.log != nil {
			rw.log.Warn(fmt.Sprintf("scan: data store %s: skipped %s of %d bytes, over the platform's line limit of %d bytes", rw.store, what, size, MaxLineBytes))
		}
		return nil
	}
	// The runner names the store when it reports the error.
	return rw.fail(&LineTooLongError{What: what, Size: size})
}

// fail records the first error the store was given, and returns err.
func (rw *recordWriter) fail(err error) error {
	if rw.err == nil {
		rw.err = err
	}
	return err
}

// done is called once the store returns: it reports records skipped after
// the first, and returns the first error the store was given, which fails
// the command even if the store did not return it.
func (rw *recordWriter) done() error {
	if rw.skipped > 1 && rw.log != nil {
		rw.log.Warn(fmt.Sprintf("scan: data store %s: skipped %d records in all, over the platform's line limit of %d bytes", rw.store, rw.skipped, MaxLineBytes))
	}
	return rw.err
}

func (rw *recordWriter) tick() error {
	rw.count++
	if rw.check != nil && rw.count%checkEvery == 0 {
		return rw.check()
	}
	return nil
}

// appendData appends the JSON encoding of data to dst, on one line.
func appendData(dst []byte, data any, rw *recordWriter) ([]byte, error) {
	switch d := data.(type) {
	case JSONAppender:
		return d.AppendJSON(dst)
	case json.RawMessage:
		// Compact validates and removes any newline the message holds.
		buf := bytes.NewBuffer(dst)
		if err := json.Compact(buf, d); err != nil {
			return dst, fmt.Errorf("record data is not valid JSON: %w", err)
		}
		return buf.Bytes(), nil
	}
	rw.scratch.Reset()
	if err := rw.enc.Encode(data); err != nil {
		return dst, fmt.Errorf("encode record data: %w", err)
	}
	return append(dst, bytes.TrimSuffix(rw.scratch.Bytes(), []byte("\n"))...), nil
}

// AppendJSONString appends s to dst as a JSON string, for JSONAppender
// implementations. Invalid UTF-8 becomes U+FFFD, as with encoding/json.
func AppendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				const hex = "0123456789abcdef"
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		// U+2028 and U+2029 are valid in JSON but end lines in
		// JavaScript; encoding/json escapes them too.
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\u202`...)
			dst = append(dst, "89"[r-'\u2028'])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
