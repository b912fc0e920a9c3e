package protocol

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// checkUTF8 returns an error naming the first string of the JSON document
// b, the file named file, that is not valid UTF-8: raw bytes that are not,
// or an escaped half of a UTF-16 surrogate pair (\ud800). encoding/json
// would silently turn either into U+FFFD, and a config value the connector
// did not receive as written (a host, a password) fails later in ways that
// are hard to trace. A document that is not valid JSON passes: validation
// reports it.
func checkUTF8(file string, b []byte) error {
	if utf8.Valid(b) && !bytes.Contains(b, []byte(`\u`)) {
		return nil // no invalid bytes, and no escape that could be a half pair
	}
	if !json.Valid(b) {
		return nil
	}
	s := utf8Scanner{b: b}
	path, key, found := s.value("")
	if !found {
		return nil
	}
	const why = "not valid UTF-8 (the value is not shown); a config file must be UTF-8 text"
	if key {
		return &InputError{File: file, Path: path, Msg: "a property name is " + why}
	}
	return &InputError{File: file, Path: path, Msg: "the string is " + why}
}

// maxUTF8Depth bounds the nesting utf8Scanner follows; encoding/json
// refuses deeper documents anyway.
const maxUTF8Depth = 10000

// utf8Scanner walks a document known to be valid JSON, looking for the
// first string that is not valid UTF-8.
type utf8Scanner struct {
	b     []byte
	i     int
	depth int
}

// value scans the value at s.i, whose path is path. It returns the path of
// the first bad string, whether that string is a property name (then path
// is the object's), and whether one was found.
func (s *utf8Scanner) value(path string) (bad string, key, found bool) {
	s.space()
	if s.i >= len(s.b) {
		return "", false, false
	}
	switch s.b[s.i] {
	case '"':
		if !s.str() {
			return path, false, true
		}
	case '{', '[':
		if s.depth++; s.depth > maxUTF8Depth {
			s.i = len(s.b)
			return "", false, false
		}
		defer func() { s.depth-- }()
		if s.b[s.i] == '{' {
			return s.object(path)
		}
		return s.array(path)
	default:
		for s.i < len(s.b) && !bytes.ContainsRune([]byte(",]} \t\r\n"), rune(s.b[s.i])) {
			s.i++
		}
	}
	return "", false, false
}

func (s *utf8Scanner) object(path string) (string, bool, bool) {
	s.i++ // {
	for {
		s.space()
		if s.i >= len(s.b) || s.b[s.i] == '}' {
			s.i++
			return "", false, false
		}
		start := s.i
		if !s.str() {
			return path, true, true
		}
		var name string
		if err := json.Unmarshal(s.b[start:s.i], &name); err != nil {
			return "", false, false
		}
		s.space()
		s.i++ // :
		p := name
		if path != "" {
			p = path + "." + name
		}
		if bad, key, found := s.value(p); found {
			return bad, key, true
		}
		s.space()
		if s.i < len(s.b) && s.b[s.i] == ',' {
			s.i++
		}
	}
}

func (s *utf8Scanner) array(path string) (string, bool, bool) {
	s.i++ // [
	for n := 0; ; n++ {
		s.space()
		if s.i >= len(s.b) || s.b[s.i] == ']' {
			s.i++
			return "", false, false
		}
		if bad, key, found := s.value(path + "[" + strconv.Itoa(n) + "]"); found {
			return bad, key, true
		}
		s.space()
		if s.i < len(s.b) && s.b[s.i] == ',' {
			s.i++
		}
	}
}

func (s *utf8Scanner) space() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\r' || s.b[s.i] == '\n') {
		s.i++
	}
}

// str scans the string at s.i, quotes included, and reports whether it is
// valid UTF-8 once unescaped.
func (s *utf8Scanner) str() bool {
	s.i++ // opening quote
	ok := true
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			return ok
		case c == '\\':
			if s.i+1 < len(s.b) && s.b[s.i+1] == 'u' {
				r, n := s.escape(s.i)
				if utf16.IsSurrogate(r) {
					// A high half must be followed by an escaped low half.
					r2, n2 := s.escape(s.i + n)
					if n2 == 0 || utf16.DecodeRune(r, r2) == utf8.RuneError {
						ok = false
					} else {
						n += n2
					}
				}
				s.i += n
				continue
			}
			s.i += 2
		case c < utf8.RuneSelf:
			s.i++
		default:
			r, size := utf8.DecodeRune(s.b[s.i:])
			if r == utf8.RuneError && size == 1 {
				ok = false
			}
			s.i += size
		}
	}
	return ok
}

// escape decodes the \uXXXX escape at i, returning the code and its
// length, or 0 if there is none.
func (s *utf8Scanner) escape(i int) (rune, int) {
	if i+6 > len(s.b) || s.b[i] != '\\' || s.b[i+1] != 'u' {
		return 0, 0
	}
	n, err := strconv.ParseUint(string(s.b[i+2:i+6]), 16, 32)
	if err != nil {
		return 0, 0
	}
	return rune(n), 6
}
