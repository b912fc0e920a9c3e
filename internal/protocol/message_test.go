package protocol

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseMessage(t *testing.T) {
	good := []string{
		`{"type":"LOG","log":{"message":"hi"}}`,
		`{"type":"RECORD","record":{"record_type":"RECORD","schema_name":"users","schema_group":"app","data":{"id":1}},"spec":null,"log":null}`,
		`{"type":"RECORD","record":{"record_type":"FILE","schema_name":"users","file":"/tmp/x"}}`,
		`{"type":"VALIDATE","validate_msg":{"status":"SUCCESS","message":null}}`,
	}
	for _, in := range good {
		if _, err := ParseMessage([]byte(in)); err != nil {
			t.Errorf("%s: %v", in, err)
		}
	}
	bad := map[string]string{
		`{"type":"RECORDS","record":{}}`: `"RECORDS" is not one of SCHEMA, RECORD`,
		`{"type":"LOG"}`:                 "a LOG message needs its log field",
		`{"type":"LOG","log":{"message":"x"},"record":{"record_type":"RECORD","schema_name":"u"}}`: "carries record",
		`{"type":"REQUEST_STATUS","request_status":{"schema_name":"u"}}`:                           "request_status is required",
		`{"type":"RECORD","record":{"record_type":"RECORD","schema_name":"u","data":[1]}}`:         "record.data must be an object",
		`{"type":"VALIDATE","validate_msg":{"status":"SUCCESS"}`:                                   "invalid JSON",
	}
	for in, want := range bad {
		_, err := ParseMessage([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", in, err, want)
		}
	}
}

// FuzzParseMessage checks that no line panics the parser, and that an
// accepted message encodes and parses again to the same type.
func FuzzParseMessage(f *testing.F) {
	for _, s := range []string{
		`{"type":"LOG","log":{"message":"hi"}}`,
		`{"type":"RECORD","record":{"record_type":"FILE","schema_name":"u","file":"/x"}}`,
		`{"type":"REQUEST_RESULT","request":{"status":{"schema_name":"u","request_status":"COMPLETE","data_type":"RECORDS"},"handle":{"schema_name":"u","request_type":"QUERY","data":{"query":{}}}}}`,
		`{"type":"SCHEMA","schema_msg":{"schemas":[{"name":"u","json_schema":{}}]}}`,
		`not json`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		m, err := ParseMessage(line)
		if err != nil {
			return
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("accepted message does not encode: %v", err)
		}
		again, err := ParseMessage(b)
		if err != nil || again.Type != m.Type {
			t.Fatalf("re-encoded message %s: %v", b, err)
		}
	})
}

// TestEveryTypeNeedsItsPayload checks each message type against the one
// payloads table: without its field it is refused, naming the field.
func TestEveryTypeNeedsItsPayload(t *testing.T) {
	for _, p := range payloads {
		_, err := ParseMessage([]byte(`{"type":"` + string(p.typ) + `"}`))
		if err == nil || !strings.Contains(err.Error(), "needs its "+p.field+" field") {
			t.Errorf("%s without %s: error %v", p.typ, p.field, err)
		}
	}
}
