package protocol

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
)

// IdentifierQuery is the value a query identifier looks for: a string (an
// email address) or an integer (a user id), as monoid_protocol.json allows.
// It keeps the form it was read in, so a handle written back out is
// byte-for-byte what the platform sent.
type IdentifierQuery struct {
	text  string // the string, or the integer's decimal digits
	isInt bool
	set   bool
}

// StringQuery returns an IdentifierQuery holding the string s.
func StringQuery(s string) IdentifierQuery {
	return IdentifierQuery{text: s, set: true}
}

// IntQuery returns an IdentifierQuery holding the integer n.
func IntQuery(n int64) IdentifierQuery {
	return IdentifierQuery{text: strconv.FormatInt(n, 10), isInt: true, set: true}
}

// String returns the value as text: the string itself, or the integer in
// decimal. Stores that compare "as text", as the Python kit's database
// helper does, compare against this.
func (q IdentifierQuery) String() string { return q.text }

// IsInt reports whether the value was given as a JSON integer.
func (q IdentifierQuery) IsInt() bool { return q.isInt }

// Int returns the value as an int64 and whether it is one: true for an
// integer within range, false for a string or an out-of-range integer.
func (q IdentifierQuery) Int() (int64, bool) {
	if !q.isInt {
		return 0, false
	}
	n, err := strconv.ParseInt(q.text, 10, 64)
	return n, err == nil
}

// isSet reports whether a value was present; the decoder's required check
// uses it.
func (q IdentifierQuery) isSet() bool { return q.set }

// MarshalJSON writes a string as a JSON string and an integer as a JSON
// number.
func (q IdentifierQuery) MarshalJSON() ([]byte, error) {
	if !q.set {
		return []byte("null"), nil
	}
	if q.isInt {
		return []byte(q.text), nil
	}
	return json.Marshal(q.text)
}

// UnmarshalJSON accepts a JSON string or a JSON integer; null leaves the
// value unset. Anything else (a fraction, a boolean, an object) is an
// error that gives the kind of value but never the value itself: it
// identifies a person.
func (q *IdentifierQuery) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*q = IdentifierQuery{}
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*q = StringQuery(s)
		return nil
	case isJSONInteger(b):
		*q = IdentifierQuery{text: string(b), isInt: true, set: true}
		return nil
	default:
		// A type error, so that encoding/json adds the field's path.
		return &json.UnmarshalTypeError{Value: badQueryKind(b), Type: identifierQueryType}
	}
}

var identifierQueryType = reflect.TypeFor[IdentifierQuery]()

// badQueryKind names the kind of JSON value b, which is not a string nor
// an integer.
func badQueryKind(b []byte) string {
	switch {
	case len(b) == 0:
		return "nothing"
	case b[0] == '{':
		return "object"
	case b[0] == '[':
		return "array"
	case b[0] == 't' || b[0] == 'f':
		return "boolean"
	case b[0] == '-' || b[0] >= '0' && b[0] <= '9':
		return "number with a fraction or an exponent"
	}
	return "invalid value"
}

// isGoodQuery reports whether raw is a value IdentifierQuery accepts.
func isGoodQuery(raw json.RawMessage) bool {
	var q IdentifierQuery
	return q.UnmarshalJSON(raw) == nil
}

// isJSONInteger reports whether b is a JSON number without fraction or
// exponent.
func isJSONInteger(b []byte) bool {
	if len(b) > 0 && b[0] == '-' {
		b = b[1:]
	}
	if len(b) == 0 || (b[0] == '0' && len(b) > 1) {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
