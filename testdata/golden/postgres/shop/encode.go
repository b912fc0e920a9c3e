package shop

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"monoid-shop/internal/protocol"
)

// kind is how a column's value arrives from the server and is written as
// JSON. Every column is read in Postgres's binary format: it is exact
// (numeric keeps every digit), needs no parsing and costs the server least.
// Types without a binary decoder here are cast to text in the SELECT list
// and arrive as kindText.
type kind uint8

const (
	kindText        kind = iota // UTF-8 text: text, varchar, char(n), name, citext, enum labels, casts
	kindBool                    // 1 byte
	kindInt2                    // big-endian integers
	kindInt4                    //
	kindInt8                    //
	kindFloat4                  // IEEE 754, big-endian
	kindFloat8                  //
	kindNumeric                 // base-10000 digits, written digit for digit
	kindDate                    // days since 2000-01-01
	kindTime                    // microseconds since midnight
	kindTimeTZ                  // microseconds since midnight and a zone offset
	kindTimestamp               // microseconds since 2000-01-01 00:00:00
	kindTimestampTZ             // microseconds since 2000-01-01 00:00:00 UTC
	kindJSON                    // JSON text
	kindJSONB                   // a version byte, then JSON text
	kindBytea                   // raw bytes, written as base64
	kindUUID                    // 16 bytes
	kindArray                   // Postgres's array format; elements per valueType.elem
)

// valueType is what a column holds, as the connector reads and describes
// it: how to decode its values and the JSON Schema of the property.
type valueType struct {
	kind     kind
	elem     *valueType // the element type of an array
	jsonType string     // JSON Schema type; "" for a json column, which holds any JSON value
	format   string     // JSON Schema format of a string: date, time, date-time, duration, uuid
	enum     []string   // the labels of an enum, in their order
	// contentEncoding is "base64" for bytea, whose bytes are written as
	// base64 text.
	contentEncoding string
}

// appendSchema appends the JSON Schema of one property.
func (t *valueType) appendSchema(dst []byte) []byte {
	dst = append(dst, '{')
	n := len(dst)
	sep := func() {
		if len(dst) > n {
			dst = append(dst, ',')
		}
	}
	if t.jsonType != "" {
		dst = append(dst, `"type":`...)
		dst = protocol.AppendJSONString(dst, t.jsonType)
	}
	if t.format != "" {
		sep()
		dst = append(dst, `"format":`...)
		dst = protocol.AppendJSONString(dst, t.format)
	}
	if t.contentEncoding != "" {
		sep()
		dst = append(dst, `"contentEncoding":`...)
		dst = protocol.AppendJSONString(dst, t.contentEncoding)
	}
	if t.enum != nil {
		sep()
		dst = append(dst, `"enum":[`...)
		for i, l := range t.enum {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = protocol.AppendJSONString(dst, l)
		}
		dst = append(dst, ']')
	}
	if t.elem != nil {
		sep()
		dst = append(dst, `"items":`...)
		dst = t.elem.appendSchema(dst)
	}
	return append(dst, '}')
}

// errMalformed reports a binary value whose length does not fit its type:
// the server sent a type other than the catalog announced.
var errMalformed = errors.New("malformed binary value: the column's type changed while it was read; run the command again")

// appendValue appends the JSON form of one binary value of type t; nil is
// SQL NULL and is written as null.
func appendValue(dst []byte, t *valueType, b []byte) ([]byte, error) {
	if b == nil {
		return append(dst, "null"...), nil
	}
	switch t.kind {
	case kindText:
		return protocol.AppendJSONString(dst, bytesString(b)), nil
	case kindBool:
		if len(b) != 1 {
			return dst, errMalformed
		}
		if b[0] != 0 {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case kindInt2:
		if len(b) != 2 {
			return dst, errMalformed
		}
		return strconv.AppendInt(dst, int64(int16(binary.BigEndian.Uint16(b))), 10), nil
	case kindInt4:
		if len(b) != 4 {
			return dst, errMalformed
		}
		return strconv.AppendInt(dst, int64(int32(binary.BigEndian.Uint32(b))), 10), nil
	case kindInt8:
		if len(b) != 8 {
			return dst, errMalformed
		}
		return strconv.AppendInt(dst, int64(binary.BigEndian.Uint64(b)), 10), nil
	case kindFloat4:
		if len(b) != 4 {
			return dst, errMalformed
		}
		return appendFloat(dst, float64(math.Float32frombits(binary.BigEndian.Uint32(b))), 32), nil
	case kindFloat8:
		if len(b) != 8 {
			return dst, errMalformed
		}
		return appendFloat(dst, math.Float64frombits(binary.BigEndian.Uint64(b)), 64), nil
	case kindNumeric:
		return appendNumeric(dst, b)
	case kindDate:
		return appendDate(dst, b)
	case kindTime:
		if len(b) != 8 {
			return dst, errMalformed
		}
		// A time without time zone is read as UTC, like a timestamp.
		dst = append(dst, '"')
		dst = appendClock(dst, int64(binary.BigEndian.Uint64(b)))
		return append(dst, `Z"`...), nil
	case kindTimeTZ:
		return appendTimeTZ(dst, b)
	case kindTimestamp, kindTimestampTZ:
		return appendTimestamp(dst, b)
	case kindJSON:
		return appendJSONText(dst, b), nil
	case kindJSONB:
		if len(b) < 1 || b[0] != 1 {
			return dst, fmt.Errorf("jsonb value in unknown format version")
		}
		return appendJSONText(dst, b[1:]), nil
	case kindBytea:
		dst = append(dst, '"')
		dst = base64.StdEncoding.AppendEncode(dst, b)
		return append(dst, '"'), nil
	case kindUUID:
		if len(b) != 16 {
			return dst, errMalformed
		}
		return appendUUID(dst, b), nil
	case kindArray:
		return appendArray(dst, t.elem, b)
	}
	return dst, fmt.Errorf("no encoder for kind %d", t.kind)
}

// bytesString views b as a string without copying it, so that writing a
// text value costs no allocation. The string must not outlive the call
// it is passed to: b is reused for the next row.
func bytesString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// appendFloat writes f as encoding/json does: shortest exact decimal,
// exponent only for very large or small magnitudes. NaN and the
// infinities, which JSON numbers cannot hold, are written as the strings
// Postgres spells them with: "NaN", "Infinity", "-Infinity".
func appendFloat(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(dst, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(dst, `"-Infinity"`...)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	dst = strconv.AppendFloat(dst, f, format, -1, bits)
	if format == 'e' {
		// 1e-07 becomes 1e-7, as encoding/json writes it.
		n := len(dst)
		if n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

// Sign words of Postgres's binary numeric.
const (
	numericPos    = 0x0000
	numericNeg    = 0x4000
	numericNaN    = 0xC000
	numericPosInf = 0xD000
	numericNegInf = 0xF000
)

// appendNumeric writes a binary numeric as a JSON number with exactly the
// digits Postgres's own text output has: every digit of the integer part
// and dscale digits after the point. NaN and the infinities are written as
// the strings "NaN", "Infinity" and "-Infinity".
//
// The format: int16 ndigits, int16 weight, uint16 sign, int16 dscale, then
// ndigits base-10000 digits; the value is the sum of digit[i] *
// 10000^(weight-i).
func appendNumeric(dst []byte, b []byte) ([]byte, error) {
	if len(b) < 8 {
		return dst, errMalformed
	}
	ndigits := int(int16(binary.BigEndian.Uint16(b)))
	weight := int(int16(binary.BigEndian.Uint16(b[2:])))
	sign := binary.BigEndian.Uint16(b[4:])
	dscale := int(int16(binary.BigEndian.Uint16(b[6:])))
	if ndigits < 0 || dscale < 0 || len(b) != 8+2*ndigits {
		return dst, errMalformed
	}
	switch sign {
	case numericNaN:
		return append(dst, `"NaN"`...), nil
	case numericPosInf:
		return append(dst, `"Infinity"`...), nil
	case numericNegInf:
		return append(dst, `"-Infinity"`...), nil
	case numericNeg:
		dst = append(dst, '-')
	case numericPos:
	default:
		return dst, errMalformed
	}
	digit := func(i int) int {
		if i < 0 || i >= ndigits {
			return 0
		}
		return int(binary.BigEndian.Uint16(b[8+2*i:]))
	}
	// The integer part: groups 0 to weight, the first without its
	// leading zeros.
	first := 0
	for first < weight && digit(first) == 0 {
		first++
	}
	if weight < 0 {
		dst = append(dst, '0')
	} else {
		dst = strconv.AppendInt(dst, int64(digit(first)), 10)
		for i := first + 1; i <= weight; i++ {
			dst = appendDigits(dst, digit(i), 4)
		}
	}
	if dscale > 0 {
		dst = append(dst, '.')
		for i, n := weight+1, 0; n < dscale; i++ {
			d := digit(i)
			for p := 1000; p > 0 && n < dscale; p /= 10 {
				dst = append(dst, byte('0'+d/p%10))
				n++
			}
		}
	}
	return dst, nil
}

// appendDigits writes n in decimal, zero-padded to width digits.
func appendDigits(dst []byte, n, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for ; n > 0 || width > 0; width-- {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return append(dst, buf[i:]...)
}

// pgEpochDays is Postgres's epoch, 2000-01-01, in days after 1970-01-01.
const pgEpochDays = 10957

// appendDate writes a date as "2006-01-02" (format date). The infinite
// dates are written as "infinity" and "-infinity", as Postgres spells them.
func appendDate(dst []byte, b []byte) ([]byte, error) {
	if len(b) != 4 {
		return dst, errMalformed
	}
	days := int32(binary.BigEndian.Uint32(b))
	switch days {
	case math.MaxInt32:
		return append(dst, `"infinity"`...), nil
	case math.MinInt32:
		return append(dst, `"-infinity"`...), nil
	}
	dst = append(dst, '"')
	dst = appendCivil(dst, int64(days)+pgEpochDays)
	return append(dst, '"'), nil
}

// appendCivil writes the day that is days after 1970-01-01 as 2006-01-02,
// in the proleptic Gregorian calendar (Howard Hinnant's civil_from_days).
// It is what time.Time.AppendFormat writes, at a fraction of the cost; a
// year outside 0000-9999 is left to it.
func appendCivil(dst []byte, days int64) []byte {
	z := days + 719468
	era := z / 146097
	if z < 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if mp >= 10 {
		m = mp - 9
		y++
	}
	if y < 0 || y > 9999 {
		return time.Unix(days*86400, 0).UTC().AppendFormat(dst, time.DateOnly)
	}
	dst = appendDigits(dst, int(y), 4)
	dst = append(dst, '-')
	dst = appendDigits(dst, int(m), 2)
	dst = append(dst, '-')
	return appendDigits(dst, int(d), 2)
}

// appendClock writes a time of day given in microseconds as
// 15:04:05[.ffffff], the fraction without trailing zeros. Postgres allows
// 24:00:00, which is written as such.
func appendClock(dst []byte, us int64) []byte {
	sec := us / 1e6
	frac := us % 1e6
	dst = appendDigits(dst, int(sec/3600), 2)
	dst = append(dst, ':')
	dst = appendDigits(dst, int(sec/60%60), 2)
	dst = append(dst, ':')
	dst = appendDigits(dst, int(sec%60), 2)
	if frac != 0 {
		width := 6
		for frac%10 == 0 {
			frac /= 10
			width--
		}
		dst = append(dst, '.')
		dst = appendDigits(dst, int(frac), width)
	}
	return dst
}

// appendTimeTZ writes a time with time zone as 15:04:05[.ffffff]+07:00
// (format time). A zone offset with seconds, which RFC 3339 has no room
// for, keeps them: +07:00:30.
func appendTimeTZ(dst []byte, b []byte) ([]byte, error) {
	if len(b) != 12 {
		return dst, errMalformed
	}
	us := int64(binary.BigEndian.Uint64(b))
	// Postgres stores the zone as seconds west of UTC; RFC 3339 offsets
	// count east.
	offset := -int(int32(binary.BigEndian.Uint32(b[8:])))
	dst = append(dst, '"')
	dst = appendClock(dst, us)
	if offset == 0 {
		return append(dst, `Z"`...), nil
	}
	if offset < 0 {
		dst = append(dst, '-')
		offset = -offset
	} else {
		dst = append(dst, '+')
	}
	dst = appendDigits(dst, offset/3600, 2)
	dst = append(dst, ':')
	dst = appendDigits(dst, offset/60%60, 2)
	if offset%60 != 0 {
		dst = append(dst, ':')
		dst = appendDigits(dst, offset%60, 2)
	}
	return append(dst, '"'), nil
}

// appendTimestamp writes a timestamp as RFC 3339 in UTC (format
// date-time): 2006-01-02T15:04:05.999999Z. A timestamptz is an instant, so
// UTC is exact; a timestamp without time zone has no offset and is read as
// UTC, as Postgres reads it with TimeZone=UTC. The infinite timestamps are
// written as "infinity" and "-infinity".
func appendTimestamp(dst []byte, b []byte) ([]byte, error) {
	if len(b) != 8 {
		return dst, errMalformed
	}
	us := int64(binary.BigEndian.Uint64(b))
	switch us {
	case math.MaxInt64:
		return append(dst, `"infinity"`...), nil
	case math.MinInt64:
		return append(dst, `"-infinity"`...), nil
	}
	const usPerDay = 86400 * 1e6
	days, rem := us/usPerDay, us%usPerDay
	if rem < 0 {
		days, rem = days-1, rem+usPerDay
	}
	dst = append(dst, '"')
	dst = appendCivil(dst, days+pgEpochDays)
	dst = append(dst, 'T')
	dst = appendClock(dst, rem)
	return append(dst, `Z"`...), nil
}

// appendJSONText appends a json or jsonb value as it is: Postgres has
// checked that it is JSON. A json value keeps the whitespace it was
// stored with; line breaks, which can only be whitespace there, become
// spaces so that the record stays on one line.
func appendJSONText(dst []byte, b []byte) []byte {
	start := len(dst)
	if utf8.Valid(b) {
		dst = append(dst, b...)
	} else {
		// A database in SQL_ASCII may hold bytes that are not UTF-8.
		dst = append(dst, strings.ToValidUTF8(string(b), "\uFFFD")...)
	}
	for i := start; i < len(dst); i++ {
		if dst[i] == '\n' || dst[i] == '\r' {
			dst[i] = ' '
		}
	}
	return dst
}

// appendUUID writes 16 bytes as "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".
func appendUUID(dst []byte, b []byte) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hex[c>>4], hex[c&0xf])
	}
	return append(dst, '"')
}

// appendArray writes a binary array as a JSON array, each element written
// as its type's values are; an array of several dimensions becomes nested
// arrays. Lower bounds other than 1 are not kept.
//
// The format: int32 ndim, int32 has-nulls flag, uint32 element type, then
// ndim pairs of int32 (length, lower bound), then each element as int32
// length (-1 for NULL) and its bytes.
func appendArray(dst []byte, elem *valueType, b []byte) ([]byte, error) {
	if len(b) < 12 || elem == nil {
		return dst, errMalformed
	}
	ndim := int(int32(binary.BigEndian.Uint32(b)))
	if ndim < 0 || len(b) < 12+8*ndim {
		return dst, errMalformed
	}
	if ndim == 0 {
		return append(dst, "[]"...), nil
	}
	dims := make([]int, ndim)
	for i := range dims {
		dims[i] = int(int32(binary.BigEndian.Uint32(b[12+8*i:])))
	}
	rest := b[12+8*ndim:]
	var err error
	dst, rest, err = appendArrayDim(dst, elem, dims, rest)
	if err == nil && len(rest) != 0 {
		err = errMalformed
	}
	return dst, err
}

// appendArrayDim writes one dimension of an array and returns the bytes
// after its elements.
func appendArrayDim(dst []byte, elem *valueType, dims []int, b []byte) ([]byte, []byte, error) {
	dst = append(dst, '[')
	for i := range dims[0] {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if len(dims) > 1 {
			dst, b, err = appendArrayDim(dst, elem, dims[1:], b)
			if err != nil {
				return dst, b, err
			}
			continue
		}
		if len(b) < 4 {
			return dst, b, errMalformed
		}
		n := int(int32(binary.BigEndian.Uint32(b)))
		b = b[4:]
		if n < 0 {
			dst = append(dst, "null"...)
			continue
		}
		if n > len(b) {
			return dst, b, errMalformed
		}
		// A zero-length element is an empty value, not NULL.
		if dst, err = appendValue(dst, elem, b[:n:n]); err != nil {
			return dst, b, err
		}
		b = b[n:]
	}
	return append(dst, ']'), b, nil
}
