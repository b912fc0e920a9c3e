package fake

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
)

// Format is the form of an export's result file.
type Format string

// The formats the fake serves. The connector hands CSV to the platform as
// a FILE and writes JSON and NDJSON row by row as RECORDS.
const (
	CSV    Format = "csv"    // a header line, then one line per row
	NDJSON Format = "ndjson" // one JSON object per line
	JSON   Format = "json"   // one JSON array of objects
)

// content is one export's file: every row has the same width, so the
// file's size is known before a byte is written and any size can be
// generated on the fly, a buffer at a time.
type content struct {
	format Format
	head   []byte // before the first row
	row    []byte // a row, with its separator; the id digits at idAt
	idAt   int
	last   []byte // what ends the last row instead of row's separator
	sep    int    // the length of row's separator
	foot   []byte // after the last row
	rows   int64
}

// idDigits is the width of a row's number in its id, evt_0000000001.
const idDigits = 10

// newContent describes the export of rows rows about user, in format f.
// Row i (from 1) is {"id": "evt_<i, 10 digits>", "user": user, "event":
// "page_view", "time": "2024-01-01T00:00:00Z"}.
func newContent(f Format, user string, rows int64) *content {
	c := &content{format: f, rows: rows}
	switch f {
	case CSV:
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Write([]string{"evt_0000000000", user, "page_view", "2024-01-01T00:00:00Z"})
		w.Flush()
		c.head = []byte("id,user,event,time\n")
		c.row = b.Bytes()
		c.idAt = len("evt_")
		c.last, c.sep = []byte("\n"), 1
	default:
		u, _ := json.Marshal(user)
		c.row = append(append([]byte(`{"id":"evt_0000000000","user":`), u...), `,"event":"page_view","time":"2024-01-01T00:00:00Z"}`...)
		c.idAt = len(`{"id":"evt_`)
		if f == JSON {
			c.head, c.foot = []byte("[\n"), []byte("]\n")
			c.row = append(c.row, ",\n"...)
			c.last, c.sep = []byte("\n"), 2
		} else {
			c.row = append(c.row, '\n')
			c.last, c.sep = []byte("\n"), 1
		}
	}
	return c
}

// size is the file's length in bytes.
func (c *content) size() int64 {
	n := int64(len(c.head)+len(c.foot)) + c.rows*int64(len(c.row))
	if c.rows > 0 {
		n += int64(len(c.last) - c.sep)
	}
	return n
}

// WriteTo writes the file to w, at most limit bytes of it (all of it when
// limit < 0). Memory use is one buffer, whatever the size.
func (c *content) WriteTo(w io.Writer) (int64, error) { return c.writeN(w, -1) }

func (c *content) writeN(w io.Writer, limit int64) (int64, error) {
	const bufSize = 256 << 10
	buf := make([]byte, 0, bufSize)
	var written int64
	flush := func() error {
		b := buf
		if limit >= 0 && written+int64(len(b)) > limit {
			b = b[:limit-written]
		}
		n, err := w.Write(b)
		written += int64(n)
		buf = buf[:0]
		if err == nil && limit >= 0 && written >= limit {
			err = errLimit
		}
		return err
	}
	buf = append(buf, c.head...)
	for i := int64(1); i <= c.rows; i++ {
		if len(buf)+len(c.row) > bufSize {
			if err := flush(); err != nil {
				return written, ignoreLimit(err)
			}
		}
		start := len(buf)
		buf = append(buf, c.row...)
		putDigits(buf[start+c.idAt:start+c.idAt+idDigits], i)
		if i == c.rows {
			buf = append(buf[:len(buf)-c.sep], c.last...)
		}
	}
	buf = append(buf, c.foot...)
	return written, ignoreLimit(flush())
}

// errLimit stops writeN once limit bytes are out.
var errLimit = errors.New("limit reached")

func ignoreLimit(err error) error {
	if err == errLimit {
		return nil
	}
	return err
}

// putDigits writes n in decimal into b, zero-padded to b's width.
func putDigits(b []byte, n int64) {
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
}

// sum is the file's SHA-256, in hex, computed by generating the file once.
func (c *content) sum() string {
	h := sha256.New()
	c.WriteTo(h)
	return hex.EncodeToString(h.Sum(nil))
}

// rowsFor returns how many rows make an export of about size bytes.
func rowsFor(f Format, user string, size int64) int64 {
	c := newContent(f, user, 0)
	n := (size - c.size()) / int64(len(c.row))
	return max(n, 0)
}
