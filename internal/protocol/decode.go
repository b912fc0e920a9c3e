package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
)

// InputError is a fault in one of the files a command was given: the file,
// where in it (a path such as identifiers[0].identifier, empty for the whole
// file) and what is wrong.
type InputError struct {
	File string
	Path string
	Msg  string
}

func (e *InputError) Error() string {
	if e.Path == "" {
		return e.File + ": " + e.Msg
	}
	return e.File + ": " + e.Path + ": " + e.Msg
}

// readInput reads the JSON file at path into v and then enforces what
// encoding/json does not: fields tagged wire:"required" are present and
// enum fields hold one of their values. Unknown fields and nulls are
// accepted, as the Python kit writes both.
func readInput(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return &InputError{File: path, Msg: fileErrorText(err)}
	}
	return decodeInput(path, b, v)
}

// decodeInput is readInput on bytes already read; name is used in errors.
// An error about the file as a whole (empty, not JSON, not an object, a
// top-level field missing) says what the file must look like, since the
// likely cause is a wrong guess at its shape.
func decodeInput(name string, b []byte, v any) error {
	if len(bytes.TrimSpace(b)) == 0 {
		if hint := formatHint(b, v); hint != "" {
			return &InputError{File: name, Msg: "file is empty" + hint}
		}
		return &InputError{File: name, Msg: "file is empty, want a JSON object"}
	}
	if err := json.Unmarshal(b, v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		whole := errors.As(err, &syn) || (errors.As(err, &typ) && typ.Field == "")
		err = jsonError(name, b, err)
		if ie, ok := err.(*InputError); ok && whole {
			ie.Msg += formatHint(b, v)
		}
		return err
	}
	err := checkValue(name, "", reflect.ValueOf(v).Elem())
	if ie, ok := err.(*InputError); ok && ie.Path == "" {
		ie.Msg += formatHint(b, v)
	}
	return err
}

// fileFormat says what the input file that decodes into v looks like: v is
// a *Query, *SchemasMessage, *RequestsMessage or *PersistenceConfig. It is
// "" for any other type.
func fileFormat(v any) string {
	switch v.(type) {
	case *Query:
		return `{"identifiers": [{"schema_name": ..., "schema_group": ..., "identifier": ..., "identifier_query": ..., "json_schema": {...}}]}`
	case *SchemasMessage:
		return `{"schemas": [{"name": ..., "group": ..., "json_schema": {...}}]}, as the schema command prints in schema_msg`
	case *RequestsMessage:
		return `{"handles": [{"schema_name": ..., "schema_group": ..., "request_type": ..., "data": {...}}]}, each the handle of a REQUEST_RESULT that query or delete printed`
	case *PersistenceConfig:
		return `{"temp_store": "/path/to/a/directory"}, a directory the connector may write files into`
	}
	return ""
}

// formatHint is the end of an error about the shape of a whole input file
// b decoded into v: what the file must look like and, when b is a
// command's output saved as it was printed (a natural first guess), that it
// is. It is "" for a value that is not an input file.
func formatHint(b []byte, v any) string {
	format := fileFormat(v)
	if format == "" {
		return ""
	}
	hint := ": the file is one JSON object, " + format
	if typ := printedMessage(b); typ != "" {
		hint += fmt.Sprintf("; this file holds a %s message, the output of a command, not its input", typ)
	}
	return hint
}

// printedMessage returns the type of the message on b's first line, if b
// starts with a protocol message as a command prints it, or "".
func printedMessage(b []byte) MessageType {
	line, _, _ := bytes.Cut(bytes.TrimSpace(b), []byte("\n"))
	var m struct {
		Type MessageType `json:"type"`
	}
	if json.Unmarshal(line, &m) != nil || !slices.Contains(m.Type.enumValues(), string(m.Type)) {
		return ""
	}
	return m.Type
}

// fileErrorText turns an os error into words without repeating the path.
func fileErrorText(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "no such file"
	case errors.Is(err, os.ErrPermission):
		return "permission denied"
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// jsonError describes an encoding/json error by file, position and field.
func jsonError(name string, b []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// Offset counts the byte at fault; columns count from 1.
		line, col := position(b, max(syn.Offset-1, 0))
		return &InputError{File: name, Msg: fmt.Sprintf("invalid JSON at line %d, column %d: %s", line, col, strings.TrimPrefix(syn.Error(), "json: "))}
	case errors.As(err, &typ):
		want := jsonKind(typ.Type)
		// Value may hold the value itself after its kind ("number 1e999");
		// values are never shown, they may be personal data.
		got := typ.Value
		if typ.Type != identifierQueryType {
			got, _, _ = strings.Cut(got, " ")
		}
		msg := fmt.Sprintf("want a JSON %s, got %s", want, got)
		if typ.Field == "" {
			return &InputError{File: name, Msg: msg}
		}
		return &InputError{File: name, Path: locate(b, typ), Msg: msg}
	}
	// Errors from UnmarshalJSON methods (IdentifierQuery) carry no path
	// from encoding/json; report them as they are.
	return &InputError{File: name, Msg: strings.TrimPrefix(err.Error(), "json: ")}
}

// locate turns the path of a type error, which encoding/json gives as
// field names without array indexes (identifiers.identifier_query), into
// the path of the first value in b it can be about
// (identifiers[1].identifier_query). If none is found, the path is left
// as encoding/json gave it.
func locate(b []byte, typ *json.UnmarshalTypeError) string {
	bad := func(raw json.RawMessage) bool {
		got, _, _ := strings.Cut(typ.Value, " ")
		return kindOf(raw) == got
	}
	if typ.Type == identifierQueryType {
		bad = func(raw json.RawMessage) bool { return !isGoodQuery(raw) }
	}
	fields := strings.Split(typ.Field, ".")
	var walk func(raw json.RawMessage, i int, path string) (string, bool)
	walk = func(raw json.RawMessage, i int, path string) (string, bool) {
		raw = bytes.TrimSpace(raw)
		if i == len(fields) {
			return path, bad(raw)
		}
		switch kindOf(raw) {
		case "array":
			var elems []json.RawMessage
			if json.Unmarshal(raw, &elems) != nil {
				return "", false
			}
			for j, e := range elems {
				if p, ok := walk(e, i, fmt.Sprintf("%s[%d]", path, j)); ok {
					return p, true
				}
			}
		case "object":
			var m map[string]json.RawMessage
			if json.Unmarshal(raw, &m) != nil {
				return "", false
			}
			v, ok := m[fields[i]]
			if !ok {
				// encoding/json matches keys without regard to case.
				for k, kv := range m {
					if strings.EqualFold(k, fields[i]) {
						v, ok = kv, true
					}
				}
			}
			if ok {
				p := fields[i]
				if path != "" {
					p = path + "." + p
				}
				return walk(v, i+1, p)
			}
		}
		return "", false
	}
	if p, ok := walk(b, 0, ""); ok {
		return p
	}
	return typ.Field
}

// kindOf names the kind of the JSON value raw as encoding/json's type
// errors do.
func kindOf(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	switch c := raw[0]; {
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == 't' || c == 'f':
		return "bool"
	case c == 'n':
		return "null"
	}
	return "number"
}

// position converts a byte offset into a 1-based line and column.
func position(b []byte, off int64) (line, col int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	before := b[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// jsonKind names the JSON type that decodes into t.
func jsonKind(t reflect.Type) string {
	if t == identifierQueryType {
		return "string or integer"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return "object"
}

// setter is implemented by field types whose zero value is not enough to
// tell "absent" (IdentifierQuery).
type setter interface{ isSet() bool }

// checkValue walks v, enforcing required fields and enum values; path is
// where v sits in the file.
func checkValue(file, path string, v reflect.Value) error {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return checkValue(file, path, v.Elem())
	case reflect.Slice:
		if v.Type() == rawMessageType {
			return nil
		}
		for i := range v.Len() {
			if err := checkValue(file, fmt.Sprintf("%s[%d]", path, i), v.Index(i)); err != nil {
				return err
			}
		}
		return nil
	case reflect.Struct:
		return checkStruct(file, path, v)
	}
	return nil
}

var rawMessageType = reflect.TypeFor[json.RawMessage]()

// checkStruct checks the fields of one wire struct.
func checkStruct(file, path string, v reflect.Value) error {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		fv := v.Field(i)
		fieldPath := name
		if path != "" {
			fieldPath = path + "." + name
		}
		if f.Tag.Get("wire") == "required" && isAbsent(fv) {
			return &InputError{File: file, Path: path, Msg: name + " is required"}
		}
		if e, ok := fv.Interface().(enum); ok && fv.String() != "" {
			if !slices.Contains(e.enumValues(), fv.String()) {
				return &InputError{File: file, Path: fieldPath, Msg: fmt.Sprintf("%q is not one of %s", fv.String(), strings.Join(e.enumValues(), ", "))}
			}
		}
		if err := checkValue(file, fieldPath, fv); err != nil {
			return err
		}
	}
	return nil
}

// isAbsent reports whether a field was missing or null in the input. An
// empty string counts as absent: no required string of the protocol has a
// meaningful empty value.
func isAbsent(v reflect.Value) bool {
	if s, ok := v.Interface().(setter); ok {
		return !s.isSet()
	}
	switch v.Kind() {
	case reflect.String:
		return v.Len() == 0
	case reflect.Pointer, reflect.Map:
		return v.IsNil()
	case reflect.Slice:
		if v.Type() == rawMessageType {
			raw := bytes.TrimSpace(v.Bytes())
			return len(raw) == 0 || bytes.Equal(raw, []byte("null"))
		}
		return v.IsNil()
	}
	return false
}

// joinSorted joins names in sorted order, for stable messages.
func joinSorted(names []string) string {
	slices.Sort(names)
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
