package shop

import (
	"bytes"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unsafe"

	"monoid-shop/internal/protocol"
)

// row is one result row being written: the columns selected and the
// values of the current row, as the driver left them. It implements
// protocol.JSONAppender, so a record goes from the driver's buffer to the
// output line without an allocation.
type row struct {
	cols []*column
	keys [][]byte       // `{"name":` for the first column, `,"name":` for the others
	vals []sql.RawBytes // the current row; nil for NULL
	dest []any          // pointers into vals, for Rows.Scan
}

func newRow(cols []*column) *row {
	r := &row{cols: cols, keys: make([][]byte, len(cols)), vals: make([]sql.RawBytes, len(cols)), dest: make([]any, len(cols))}
	for i, c := range cols {
		sep := byte(',')
		if i == 0 {
			sep = '{'
		}
		r.keys[i] = append(protocol.AppendJSONString([]byte{sep}, c.name), ':')
		r.dest[i] = &r.vals[i]
	}
	return r
}

// AppendJSON appends the current row as a JSON object.
func (r *row) AppendJSON(dst []byte) ([]byte, error) {
	if len(r.cols) == 0 {
		return append(dst, '{', '}'), nil
	}
	var err error
	for i, c := range r.cols {
		dst = append(dst, r.keys[i]...)
		if dst, err = appendValue(dst, c.kind, r.vals[i]); err != nil {
			return dst, fmt.Errorf("column %q: %w", c.name, err)
		}
	}
	return append(dst, '}'), nil
}

// appendValue appends one value, as the driver gives it, as JSON. With
// bound parameters the driver speaks MySQL's binary protocol: integers
// come as int64 (formatted by database/sql), unsigned bigints above
// 2^63-1 and decimals as text, floats as float32/float64 (formatted in
// the shortest form that reads back exactly), dates and times as text.
func appendValue(dst []byte, k kind, b sql.RawBytes) ([]byte, error) {
	if b == nil {
		return append(dst, "null"...), nil
	}
	switch k {
	case kindInt:
		return appendNumber(dst, b)
	case kindNumber:
		return appendNumber(dst, b)
	case kindBool:
		if len(b) != 1 {
			return dst, fmt.Errorf("a bit(1) value of %d bytes", len(b))
		}
		return strconv.AppendBool(dst, b[0] != 0), nil
	case kindBits:
		if len(b) > 8 {
			return dst, fmt.Errorf("a bit value of %d bytes", len(b))
		}
		var buf [8]byte
		copy(buf[8-len(b):], b)
		return strconv.AppendUint(dst, binary.BigEndian.Uint64(buf[:]), 10), nil
	case kindBinary:
		dst = append(dst, '"')
		dst = base64.StdEncoding.AppendEncode(dst, b)
		return append(dst, '"'), nil
	case kindDate:
		if isZeroDate(b) {
			return append(dst, "null"...), nil
		}
		return appendString(dst, b), nil
	case kindDatetime:
		// "2006-01-02 15:04:05[.999999]": RFC 3339 once the space is a T
		// and a zone is added. TIMESTAMP is read in UTC (the session's
		// time_zone is +00:00); DATETIME has no zone and is taken as UTC,
		// the driver's own default.
		if isZeroDate(b) {
			return append(dst, "null"...), nil
		}
		if len(b) < 19 || b[10] != ' ' {
			return dst, errors.New("the server sent a datetime in an unexpected form")
		}
		dst = append(dst, '"')
		dst = append(dst, b[:10]...)
		dst = append(dst, 'T')
		dst = append(dst, b[11:]...)
		return append(dst, 'Z', '"'), nil
	case kindYear:
		// The binary protocol sends a year as an integer: 0 for the zero
		// year, 1901 to 2155 otherwise.
		dst = append(dst, '"')
		for range 4 - len(b) {
			dst = append(dst, '0')
		}
		dst = append(dst, b...)
		return append(dst, '"'), nil
	case kindJSON:
		// MySQL sends JSON normalized on one line; MariaDB stores the
		// text as written, newlines included. Compact removes them.
		buf := bytes.NewBuffer(dst)
		if err := json.Compact(buf, b); err != nil {
			return dst, fmt.Errorf("a JSON column holds invalid JSON: %w", err)
		}
		return buf.Bytes(), nil
	case kindSet:
		dst = append(dst, '[')
		if len(b) == 0 {
			return append(dst, ']'), nil
		}
		for i, m := range bytes.Split(b, []byte{','}) {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, m)
		}
		return append(dst, ']'), nil
	}
	return appendString(dst, b), nil
}

// appendString appends b as a JSON string without copying it to a Go
// string first: AppendJSONString only reads it.
func appendString(dst, b []byte) []byte {
	return protocol.AppendJSONString(dst, unsafe.String(unsafe.SliceData(b), len(b)))
}

// isZeroDate reports whether a date or datetime has a zero year, month or
// day ('0000-00-00', '2024-00-00'), which a lenient sql_mode allows and no
// calendar has.
func isZeroDate(b []byte) bool {
	if len(b) < 10 {
		return true
	}
	return string(b[:4]) == "0000" || string(b[5:7]) == "00" || string(b[8:10]) == "00"
}

// errNotNumber says a numeric column's value is not a number. It never
// quotes the value, which may be personal data.
var errNotNumber = errors.New("the server sent a number that is not a JSON number")

// appendNumber appends a number the server or database/sql wrote as text,
// checking that it is a JSON number and dropping the leading zeros a
// ZEROFILL column adds. Digits are never parsed: a DECIMAL(65,30) keeps
// every one.
func appendNumber(dst, b []byte) ([]byte, error) {
	i := 0
	if i < len(b) && b[i] == '-' {
		dst = append(dst, '-')
		i++
	}
	start := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	if i == start {
		return dst, errNotNumber
	}
	digits := b[start:i]
	for len(digits) > 1 && digits[0] == '0' {
		digits = digits[1:]
	}
	dst = append(dst, digits...)
	if i < len(b) && b[i] == '.' {
		j := i + 1
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		if j == i+1 {
			return dst, errNotNumber
		}
		dst = append(dst, b[i:j]...)
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		j := i + 1
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		k := j
		for k < len(b) && b[k] >= '0' && b[k] <= '9' {
			k++
		}
		if k == j {
			return dst, errNotNumber
		}
		dst = append(dst, b[i:k]...)
		i = k
	}
	if i != len(b) {
		return dst, errNotNumber
	}
	return dst, nil
}
