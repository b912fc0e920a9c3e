package protocol

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeInputErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
		v              any
	}{
		{"required in array", `{"identifiers":[{"schema_name":"u","identifier_query":"x","json_schema":{}}]}`,
			"query.json: identifiers[0]: identifier is required", new(Query)},
		{"null counts as absent", `{"identifiers":[{"schema_name":null,"identifier":"id","identifier_query":"x","json_schema":{}}]}`,
			"query.json: identifiers[0]: schema_name is required", new(Query)},
		{"json_schema null", `{"identifiers":[{"schema_name":"u","identifier":"id","identifier_query":"x","json_schema":null}]}`,
			"query.json: identifiers[0]: json_schema is required", new(Query)},
		{"identifier_query absent", `{"identifiers":[{"schema_name":"u","identifier":"id","json_schema":{}}]}`,
			"query.json: identifiers[0]: identifier_query is required", new(Query)},
		{"top-level required", `{}`, "query.json: identifiers is required", new(Query)},
		{"enum", `{"handles":[{"schema_name":"u","request_type":"query"}]}`,
			`query.json: handles[0].request_type: "query" is not one of QUERY, DELETE`, new(RequestsMessage)},
		{"wrong type", `{"identifiers":[{"schema_name":7}]}`,
			"query.json: identifiers[0].schema_name: want a JSON string, got number", new(Query)},
		{"not an object", `[1,2]`, "query.json: want a JSON object, got array", new(Query)},
		{"syntax", "{\n\"identifiers\": [,]}", "query.json: invalid JSON at line 2, column 17", new(Query)},
		{"truncated", `{"identifiers": [`, "query.json: invalid JSON", new(Query)},
		{"empty", "  \n", "query.json: file is empty", new(Query)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := decodeInput("query.json", []byte(tc.in), tc.v)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("error %v, want prefix %q", err, tc.want)
			}
		})
	}
}

// TestDecodeInputSaysTheFormat checks that an error about a whole input
// file says what the file must look like, and recognises a command's output
// saved as an input: the natural first guesses.
func TestDecodeInputSaysTheFormat(t *testing.T) {
	const (
		schemas  = `: the file is one JSON object, {"schemas": [{"name": ..., "group": ..., "json_schema": {...}}]}, as the schema command prints in schema_msg`
		requests = `: the file is one JSON object, {"handles": [{"schema_name": ..., "schema_group": ..., "request_type": ..., "data": {...}}]}, each the handle of a REQUEST_RESULT that query or delete printed`
		persist  = `: the file is one JSON object, {"temp_store": "/path/to/a/directory"}, a directory the connector may write files into`
	)
	tests := []struct {
		name, in, want string
		v              any
	}{
		{"schema output as schemas", `{"type":"SCHEMA","schema_msg":{"schemas":[{"name":"users","json_schema":{}}]}}`,
			"in.json: schemas is required" + schemas + "; this file holds a SCHEMA message, the output of a command, not its input", new(SchemasMessage)},
		{"query output as requests",
			`{"type":"REQUEST_RESULT","request":{"status":{"schema_name":"users","request_status":"COMPLETE"},"handle":{"schema_name":"users","request_type":"QUERY"}}}` + "\n" +
				`{"type":"REQUEST_RESULT","request":{"status":{"schema_name":"orders","request_status":"COMPLETE"},"handle":{"schema_name":"orders","request_type":"QUERY"}}}` + "\n",
			"in.json: invalid JSON at line 2, column 1: invalid character '{' after top-level value" + requests + "; this file holds a REQUEST_RESULT message, the output of a command, not its input", new(RequestsMessage)},
		{"a list of handles", `[{"schema_name":"users","request_type":"QUERY"}]`,
			"in.json: want a JSON object, got array" + requests, new(RequestsMessage)},
		{"empty", "", "in.json: file is empty" + persist, new(PersistenceConfig)},
		{"nested fault: no format", `{"schemas":[{"group":"app","json_schema":{}}]}`,
			"in.json: schemas[0]: name is required", new(SchemasMessage)},
		{"not an input file: no format", `{}`, "in.json: spec is required", new(SiloSpec)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := decodeInput("in.json", []byte(tc.in), tc.v)
			if err == nil || err.Error() != tc.want {
				t.Errorf("error:\n%v\nwant:\n%s", err, tc.want)
			}
		})
	}
}

// TestDecodeAcceptsPythonOutput checks that nulls and unknown fields, as
// the Python kit writes them, are accepted.
func TestDecodeAcceptsPythonOutput(t *testing.T) {
	in := `{"handles":[{"schema_group":null,"schema_name":"users","data":null,"request_type":"DELETE","extra":{"x":1}}],"more":null}`
	var m RequestsMessage
	if err := decodeInput("requests.json", []byte(in), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Handles) != 1 || m.Handles[0].SchemaName != "users" || m.Handles[0].RequestType != RequestDelete {
		t.Errorf("decoded %+v", m)
	}
}

func TestIdentifierQuery(t *testing.T) {
	for _, tc := range []struct {
		in    string
		text  string
		isInt bool
	}{{`"a@b.c"`, "a@b.c", false}, {`2`, "2", true}, {`-15`, "-15", true}, {`"2"`, "2", false}} {
		var q IdentifierQuery
		if err := json.Unmarshal([]byte(tc.in), &q); err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if q.String() != tc.text || q.IsInt() != tc.isInt {
			t.Errorf("%s: got %q int=%v", tc.in, q.String(), q.IsInt())
		}
		out, _ := json.Marshal(q)
		if string(out) != tc.in {
			t.Errorf("%s: round trip gave %s", tc.in, out)
		}
	}
	for _, bad := range []string{`1.5`, `1e3`, `true`, `{}`, `[]`, `01`} {
		var q IdentifierQuery
		if err := json.Unmarshal([]byte(bad), &q); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if n, ok := IntQuery(42).Int(); !ok || n != 42 {
		t.Errorf("IntQuery(42).Int() = %d, %v", n, ok)
	}
}

// fuzzDecode checks that decoding arbitrary bytes never panics and that
// every accepted input satisfies the required fields it claims to.
func fuzzDecode[T any](f *testing.F, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v T
		err := decodeInput("input.json", b, &v)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "input.json: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if err := checkValue("input.json", "", reflect.ValueOf(&v).Elem()); err != nil {
			t.Fatalf("accepted input fails its own check: %v", err)
		}
		if _, err := json.Marshal(v); err != nil {
			t.Fatalf("accepted input does not encode: %v", err)
		}
	})
}

func FuzzDecodeQuery(f *testing.F) {
	fuzzDecode[Query](f,
		`{"identifiers":[{"schema_name":"users","schema_group":"app","identifier":"email","identifier_query":"a@b","json_schema":{}}]}`,
		`{"identifiers":[{"schema_name":"orders","identifier":"id","identifier_query":2,"json_schema":{"type":"object"}}]}`,
		`{"identifiers":null}`, `[]`, `{"identifiers":[{"identifier_query":1.5}]}`)
}

func FuzzDecodeRequests(f *testing.F) {
	fuzzDecode[RequestsMessage](f,
		`{"handles":[{"schema_name":"users","schema_group":"app","request_type":"QUERY","data":{"query":{}}}]}`,
		`{"handles":[{"schema_name":"users","request_type":"DELETE","data":null}]}`,
		`{"handles":[{"schema_name":"users","request_type":"EXPORT"}]}`)
}

func FuzzDecodeSchemas(f *testing.F) {
	fuzzDecode[SchemasMessage](f,
		`{"schemas":[{"name":"users","group":"app","json_schema":{"type":"object"}}]}`,
		`{"schemas":[{"name":"users"}]}`)
}

func FuzzDecodePersistence(f *testing.F) {
	fuzzDecode[PersistenceConfig](f, `{"temp_store":"/tmp/x"}`, `{"temp_store":null}`, `{}`)
}

func FuzzDecodeMessage(f *testing.F) {
	fuzzDecode[Message](f,
		`{"type":"RECORD","record":{"record_type":"RECORD","schema_name":"users","data":{"id":1}}}`,
		`{"type":"LOG","log":{"message":"hi"}}`,
		`{"type":"REQUEST_STATUS","request_status":{"schema_name":"u","request_status":"COMPLETE","data_type":"RECORDS"}}`,
		`{"type":"BOGUS"}`)
}

// FuzzConfig checks that validating an arbitrary config against the
// reference spec never panics, names the file, and never echoes the
// secret's value.
func FuzzConfig(f *testing.F) {
	spec, err := parseSpec([]byte(`{"spec":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
		"properties":{"hostname":{"type":"string"},"api_key":{"type":"string","secret":true,"pattern":"^k","minLength":3},
		"num_records":{"type":"integer","default":10}},"required":["hostname","api_key"]}}`))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(`{"hostname":"h","api_key":"k12"}`, "zz-secret")
	f.Add(`{"hostname":1}`, "x")
	f.Add(`not json`, "secret")
	f.Fuzz(func(t *testing.T, doc string, secret string) {
		b := []byte(doc)
		if strings.Count(doc, `"api_key"`) == 0 && len(secret) > 3 && !strings.ContainsAny(secret, `"\`) {
			// Plant the secret as api_key in an object that has none.
			if strings.HasPrefix(doc, "{") && strings.HasSuffix(doc, "}") {
				b = []byte(`{"api_key":"` + secret + `",` + doc[1:])
			}
		}
		_, err := spec.validate("config.json", b)
		if err == nil {
			return
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "config.json: ") {
			t.Fatalf("error does not name the file: %s", msg)
		}
		if len(secret) > 3 && strings.Contains(string(b), `"api_key":"`+secret+`"`) && strings.Contains(msg, secret) && !strings.Contains(doc, secret) {
			t.Fatalf("secret %q echoed: %s", secret, msg)
		}
	})
}
