package export

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// maxRecord bounds one record of a JSON result. The decoder holds one
// record at a time; this keeps a file that is one giant value from being
// read into memory whole.
const maxRecord = 16 << 20

// writeRecords reads JSON records from r, a JSON array of objects or
// objects one after another (NDJSON), and writes each to out as it is
// read: the file is never held in memory, only its current record.
// name names the file in errors.
func writeRecords(ctx context.Context, r io.Reader, name string, out protocol.RecordWriter) error {
	br := bufio.NewReaderSize(r, 64<<10)
	lr := &recordLimit{r: br}
	dec := json.NewDecoder(lr)
	lr.dec = dec
	array := false
	if b, err := peekNonSpace(br); err == nil && b == '[' {
		array = true
		if _, err := dec.Token(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	for n := 1; ; n++ {
		if array && !dec.More() {
			if _, err := dec.Token(); err != nil { // the closing ]
				return fmt.Errorf("%s: %w", name, err)
			}
			break
		}
		var rec json.RawMessage
		err := dec.Decode(&rec)
		if err == io.EOF && !array {
			break
		}
		if err != nil {
			if errors.Is(err, errRecordTooLarge) {
				return fmt.Errorf("%s: record %d is larger than %d bytes", name, n, maxRecord)
			}
			return fmt.Errorf("%s: record %d is not valid JSON: %w", name, n, err)
		}
		if err := out.Record(rec); err != nil {
			return fmt.Errorf("%s: record %d: %w", name, n, err)
		}
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if array {
		if _, err := dec.Token(); err != io.EOF {
			return fmt.Errorf("%s: data after the closing ] of the array", name)
		}
	}
	return nil
}

// peekNonSpace returns the first byte of br that is not JSON white space,
// without consuming anything but that white space.
func peekNonSpace(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.Peek(1)
		if err != nil {
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			br.ReadByte()
		default:
			return b[0], nil
		}
	}
}

var errRecordTooLarge = errors.New("record too large")

// recordLimit fails a read once the decoder holds more than maxRecord
// bytes of a value it has not finished: the decoder reads only when the
// value it is decoding needs more, so what it holds beyond its input
// offset then is all that one value. Reads are cut to 1 MiB so that the
// bound is not overshot by much.
type recordLimit struct {
	r    io.Reader
	dec  *json.Decoder
	read int64
}

func (l *recordLimit) Read(b []byte) (int, error) {
	if l.read-l.dec.InputOffset() > maxRecord {
		return 0, errRecordTooLarge
	}
	if len(b) > 1<<20 {
		b = b[:1<<20]
	}
	n, err := l.r.Read(b)
	l.read += int64(n)
	return n, err
}
