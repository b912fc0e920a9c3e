package demo

import "strconv"

// Row is row i of a table: {"id": i, "email": "user<i>@example.com",
// "name": "User <i>"}. It is its own index, so producing a row costs nothing.
type Row int

// field returns the value of the named field as text, and whether the
// field exists.
func (r Row) field(name string) (string, bool) {
	i := strconv.Itoa(int(r))
	switch name {
	case "id":
		return i, true
	case "email":
		return "user" + i + "@example.com", true
	case "name":
		return "User " + i, true
	}
	return "", false
}

// AppendJSON implements protocol.JSONAppender: it appends the row as a JSON
// object without reflection or allocation, the fastest way to write
// records. Digits never need escaping; for arbitrary text, use
// protocol.AppendJSONString. A store whose records are plain structs with
// json tags can pass them to out.Record as they are instead.
func (r Row) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, int64(r), 10)
	b = append(b, `,"email":"user`...)
	b = strconv.AppendInt(b, int64(r), 10)
	b = append(b, `@example.com","name":"User `...)
	b = strconv.AppendInt(b, int64(r), 10)
	return append(b, `"}`...), nil
}
