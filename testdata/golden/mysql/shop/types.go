package shop

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"monoid-shop/internal/protocol"
)

// kind is how a column's values are written as JSON.
type kind uint8

const (
	kindText     kind = iota // a JSON string of the server's text: char, varchar, text, enum, types not listed
	kindInt                  // a JSON integer: tinyint to bigint, signed or unsigned
	kindBool                 // true or false: bit(1)
	kindBits                 // a JSON integer from the bits: bit(2) to bit(64)
	kindNumber               // a JSON number with every digit the server sent: decimal, float, double
	kindBinary               // a base64 JSON string: binary, varbinary, blobs, spatial types
	kindDate                 // "2006-01-02", null for a zero date
	kindDatetime             // "2006-01-02T15:04:05.999999Z", null for a zero date
	kindTime                 // "-838:59:59.000000" as the server writes it
	kindYear                 // "2024"
	kindJSON                 // the JSON value itself
	kindSet                  // a JSON array of the set's members
)

// column is one column of a table: its name, how its values are written,
// and its JSON Schema.
type column struct {
	name   string
	kind   kind
	schema []byte // the property's JSON Schema
}

// columnInfo is what information_schema.COLUMNS says of a column.
type columnInfo struct {
	name       string
	dataType   string // DATA_TYPE: "int", "varchar", ...
	columnType string // COLUMN_TYPE: "int(10) unsigned", "enum('a','b')", ...
	nullable   bool
	maxChars   int64 // CHARACTER_MAXIMUM_LENGTH, 0 when unknown
	json       bool  // a MariaDB JSON column: longtext with a json_valid check
}

// Integer ranges, as JSON numbers: signed minimum and maximum, unsigned
// maximum.
var intRanges = map[string][3]string{
	"tinyint":   {"-128", "127", "255"},
	"smallint":  {"-32768", "32767", "65535"},
	"mediumint": {"-8388608", "8388607", "16777215"},
	"int":       {"-2147483648", "2147483647", "4294967295"},
	"integer":   {"-2147483648", "2147483647", "4294967295"},
	"bigint":    {"-9223372036854775808", "9223372036854775807", "18446744073709551615"},
}

// newColumn maps a column's SQL type to how its values are written and to
// its JSON Schema. Every type has a mapping; one this function does not
// know is written as the server's text, so a new server type is still
// read, as a string.
//
// A nullable column's schema is {"anyOf":[<schema>,{"type":"null"}]}:
// the platform reads "type" as a single string, so ["string","null"] is
// not an option. Date and time columns are always nullable, since a zero
// date ('0000-00-00', allowed by a lenient sql_mode) is written as null.
func newColumn(ci columnInfo) column {
	c := column{name: ci.name}
	nullable := ci.nullable
	var s []byte
	dt := strings.ToLower(ci.dataType)
	unsigned := strings.Contains(strings.ToLower(ci.columnType), "unsigned")
	switch {
	case ci.json || dt == "json":
		// Any JSON value, null included.
		c.kind, s, nullable = kindJSON, []byte(`{}`), false
	case intRanges[dt] != [3]string{}:
		r := intRanges[dt]
		c.kind = kindInt
		if unsigned {
			s = fmt.Appendf(nil, `{"type":"integer","minimum":0,"maximum":%s}`, r[2])
		} else {
			s = fmt.Appendf(nil, `{"type":"integer","minimum":%s,"maximum":%s}`, r[0], r[1])
		}
	case dt == "bit":
		n := typeWidth(ci.columnType, 1)
		if n == 1 {
			c.kind, s = kindBool, []byte(`{"type":"boolean"}`)
		} else {
			c.kind = kindBits
			s = fmt.Appendf(nil, `{"type":"integer","minimum":0,"maximum":%d}`, uint64(1<<n-1))
			if n == 64 {
				s = []byte(`{"type":"integer","minimum":0,"maximum":18446744073709551615}`)
			}
		}
	case dt == "decimal" || dt == "numeric" || dt == "float" || dt == "double" || dt == "real" || dt == "double precision":
		c.kind, s = kindNumber, []byte(`{"type":"number"}`)
	case dt == "char" || dt == "varchar":
		c.kind = kindText
		s = []byte(`{"type":"string"}`)
		if ci.maxChars > 0 {
			s = fmt.Appendf(nil, `{"type":"string","maxLength":%d}`, ci.maxChars)
		}
	case dt == "binary" || dt == "varbinary" || strings.HasSuffix(dt, "blob") || dt == "vector":
		c.kind, s = kindBinary, []byte(`{"type":"string","contentEncoding":"base64"}`)
	case isSpatial(dt):
		c.kind, s = kindBinary, []byte(`{"type":"string","contentEncoding":"base64","description":"the server's internal geometry format: a 4-byte SRID, then WKB"}`)
	case dt == "date":
		c.kind, s, nullable = kindDate, []byte(`{"type":"string","format":"date"}`), true
	case dt == "datetime" || dt == "timestamp":
		c.kind, s, nullable = kindDatetime, []byte(`{"type":"string","format":"date-time"}`), true
	case dt == "time":
		// TIME is a time of day or an interval (-838:59:59 to 838:59:59):
		// RFC 3339's "time" format fits neither, so a pattern says it.
		c.kind, s = kindTime, []byte(`{"type":"string","pattern":"^-?[0-9]{2,3}:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,6})?$"}`)
	case dt == "year":
		c.kind, s = kindYear, []byte(`{"type":"string","pattern":"^[0-9]{4}$"}`)
	case dt == "enum":
		values := typeValues(ci.columnType)
		if !slices.Contains(values, "") {
			// A lenient sql_mode stores an invalid value as '', the
			// error value every ENUM can hold.
			values = append(values, "")
		}
		c.kind = kindText
		s = append([]byte(`{"type":"string","enum":`), appendStrings(nil, values)...)
		s = append(s, '}')
	case dt == "set":
		c.kind = kindSet
		s = append([]byte(`{"type":"array","items":{"type":"string","enum":`), appendStrings(nil, typeValues(ci.columnType))...)
		s = append(s, `},"uniqueItems":true}`...)
	default:
		// tinytext to longtext, and types this mapping does not know
		// (MariaDB's uuid, inet4, inet6): the server's text.
		c.kind, s = kindText, []byte(`{"type":"string"}`)
	}
	if nullable {
		s = append(append([]byte(`{"anyOf":[`), s...), `,{"type":"null"}]}`...)
	}
	c.schema = s
	return c
}

// isSpatial reports whether dt is one of the spatial types.
func isSpatial(dt string) bool {
	switch dt {
	case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
		"multipolygon", "geometrycollection", "geomcollection":
		return true
	}
	return false
}

// typeWidth reads n from a column type such as "bit(n)"; def if absent.
func typeWidth(columnType string, def int) int {
	_, rest, ok := strings.Cut(columnType, "(")
	if !ok {
		return def
	}
	digits, _, _ := strings.Cut(rest, ")")
	n, err := strconv.Atoi(digits)
	if err != nil || n < 1 || n > 64 {
		return def
	}
	return n
}

// typeValues reads the values of an ENUM or SET column type, as
// information_schema.COLUMNS.COLUMN_TYPE writes them: "enum('a','it”s')".
// Inside the quotes a quote is doubled and a backslash escapes as in a
// string literal.
func typeValues(columnType string) []string {
	_, rest, ok := strings.Cut(columnType, "(")
	if !ok {
		return nil
	}
	var (
		values []string
		cur    strings.Builder
		in     bool
	)
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case !in && c == '\'':
			in = true
			cur.Reset()
		case !in && c == ')':
			return values
		case !in:
			// a comma or space between values
		case c == '\'' && i+1 < len(rest) && rest[i+1] == '\'':
			cur.WriteByte('\'')
			i++
		case c == '\'':
			in = false
			values = append(values, cur.String())
		case c == '\\' && i+1 < len(rest):
			i++
			cur.WriteString(unescape(rest[i]))
		default:
			cur.WriteByte(c)
		}
	}
	return values
}

// unescape is the character a backslash followed by c stands for in a
// MySQL string literal.
func unescape(c byte) string {
	switch c {
	case '0':
		return "\x00"
	case 'b':
		return "\b"
	case 'n':
		return "\n"
	case 'r':
		return "\r"
	case 't':
		return "\t"
	case 'Z':
		return "\x1a"
	}
	return string(c)
}

// appendStrings appends values as a JSON array of strings.
func appendStrings(dst []byte, values []string) []byte {
	dst = append(dst, '[')
	for i, v := range values {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = protocol.AppendJSONString(dst, v)
	}
	return append(dst, ']')
}

// quoteIdent quotes a database, table or column name for SQL: in
// backticks, with each backtick doubled. Every name in every statement
// goes through it; values never enter SQL text, they are bound.
func quoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}
