package protocol_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// messageSpec uses every keyword a config spec has been seen to use, and
// the Monoid extensions secret and order.
const messageSpec = `{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
"properties":{
 "hostname":{"type":"string","title":"Hostname","order":0},
 "api_key":{"type":"string","title":"API Key","secret":true,"pattern":"^k","minLength":3,"order":1},
 "num_records":{"type":"integer","default":10,"minimum":1,"maximum":1000,"order":2},
 "mode":{"type":"string","enum":["fast","slow"],"order":3},
 "tags":{"type":"array","items":{"type":"string"},"minItems":1,"uniqueItems":true,"order":4},
 "db":{"type":"object","properties":{"port":{"type":"integer"},"password":{"type":"string","secret":true,"pattern":"^p"}},"required":["port"],"order":5}},
"required":["hostname","api_key"]}`

// TestValidatorMessages checks each violation's message: it names the
// field and the rule, lists every violation in a stable order, and never
// shows a value of the config, secret or not. Every value below is
// distinctive, so that any echo of it is seen.
func TestValidatorMessages(t *testing.T) {
	v, err := protocol.NewValidator([]byte(messageSpec))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		config string
		want   string
	}{
		{`{"api_key":"kSECRET1"}`, "hostname: required property missing"},
		{`{"hostname":"hostVALUE","api_key":"kSECRET1","num_records":"manyVALUE"}`, "num_records: got string, want integer"},
		{`{"hostname":"hostVALUE","api_key":"hunter2SECRET"}`, `api_key: does not match pattern "^k"`},
		{`{"hostname":"hostVALUE","api_key":"kS"}`, "api_key: shorter than 3 characters"},
		{`{"hostname":4242,"api_key":"kSECRET1"}`, "hostname: got integer, want string"},
		{`{"hostname":"hostVALUE","api_key":"kSECRET1","num_records":0}`, "num_records: less than 1"},
		{`{"hostname":"hostVALUE","api_key":"kSECRET1","num_records":31337}`, "num_records: greater than 1000"},
		{`{"hostname":"hostVALUE","api_key":"kSECRET1","mode":"jane@example.com"}`, `mode: is not one of "fast", "slow"`},
		{`{"hostname":"hostVALUE","api_key":"kSECRET1","tags":[]}`, "tags: fewer than 1 items"},
		{`{"hostname":"hostVALUE","api_key":"kSECRET1","tags":["tagVALUE","tagVALUE"]}`, "tags: items are not unique"},
		{`{"hostname":"hostVALUE","api_key":"kSECRET1","tags":["tagVALUE",4242]}`, "tags[]: want string"},
		{`{"hostname":"hostVALUE","api_key":"kSECRET1","db":{"port":"portVALUE"}}`, "db.port: got string, want integer"},
		{`{"hostname":"hostVALUE","api_key":"kSECRET1","db":{"password":"hunter3SECRET"}}`,
			`db.port: required property missing; db.password: does not match pattern "^p"`},
		{`{"api_key":"hunter2SECRET","num_records":"manyVALUE","mode":"jane@example.com","db":{"port":1,"password":"hunter3SECRET"}}`,
			`hostname: required property missing; api_key: does not match pattern "^k"; db.password: does not match pattern "^p"; mode: is not one of "fast", "slow"; num_records: got string, want integer`},
	} {
		var doc any
		if err := json.Unmarshal([]byte(tc.config), &doc); err != nil {
			t.Fatal(err)
		}
		err := v.Validate(doc)
		var ve *protocol.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: error %v, want a *ValidationError", tc.config, err)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.config, err, tc.want)
		}
		for _, value := range []string{"SECRET", "VALUE", "4242", "31337", "jane"} {
			if strings.Contains(err.Error(), value) {
				t.Errorf("%s: message %q shows a value (%s)", tc.config, err, value)
			}
		}
	}
}

// TestValidatorAcceptsOfficialSpecs resolves every official connector's
// spec and the reference connector's, with their secret and order
// keywords, and checks that each tells a conforming config from a broken
// one.
func TestValidatorAcceptsOfficialSpecs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(dataDir(t), "specs", "*.spec.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no official specs found (%v)", err)
	}
	files = append(files, filepath.Join(dataDir(t), "reference", "inputs", "spec.json"))
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Spec struct {
					Properties map[string]struct {
						Type string `json:"type"`
					} `json:"properties"`
					Required []string `json:"required"`
				} `json:"spec"`
			}
			var raw struct {
				Spec json.RawMessage `json:"spec"`
			}
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatal(err)
			}
			json.Unmarshal(b, &raw)
			v, err := protocol.NewValidator(raw.Spec)
			if err != nil {
				t.Fatalf("NewValidator: %v", err)
			}
			good := map[string]any{}
			for name, p := range doc.Spec.Properties {
				good[name] = map[string]any{"string": "x", "integer": 1.0, "number": 1.5, "boolean": true, "array": []any{}, "object": map[string]any{}}[p.Type]
			}
			if err := v.Validate(good); err != nil {
				t.Errorf("a config of the right types: %v", err)
			}
			if len(doc.Spec.Required) == 0 {
				t.Fatal("the spec requires nothing: no broken config to try")
			}
			delete(good, doc.Spec.Required[0])
			if err := v.Validate(good); err == nil || !strings.Contains(err.Error(), doc.Spec.Required[0]) {
				t.Errorf("a config without %s: error %v, want one naming it", doc.Spec.Required[0], err)
			}
		})
	}
}

func TestNewValidatorRejects(t *testing.T) {
	for _, tc := range []struct{ schema, want string }{
		{`{"$schema":"http://json-schema.org/draft-04/schema#","type":"object"}`, `$schema "http://json-schema.org/draft-04/schema#" is not supported`},
		{`{"type":"object","properties":{"n":{"type":"integer","default":"ten"}}}`, "/properties/n"},
		{`{"type":"object","properties":{"n":{"$ref":"#/definitions/absent"}}}`, "absent"},
		{`{"type":"object","properties":{"n":{"minimum":"one"}}}`, "minimum"},
		{`[1]`, "cannot unmarshal"},
	} {
		_, err := protocol.NewValidator([]byte(tc.schema))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewValidator(%s): error %v, want one containing %q", tc.schema, err, tc.want)
		}
	}
}

// TestValidatorDraft checks that a schema without $schema is read as
// draft-07, the protocol's draft: there an items array lists the items'
// schemas one by one, where 2020-12 would reject the array form.
func TestValidatorDraft(t *testing.T) {
	v, err := protocol.NewValidator([]byte(`{"type":"array","items":[{"type":"string"}]}`))
	if err != nil {
		t.Fatalf("draft-07 items array: %v", err)
	}
	if err := v.Validate([]any{1.0}); err == nil {
		t.Error("a number where items[0] wants a string was accepted")
	}
	if err := v.Validate([]any{"a", 1.0}); err != nil {
		t.Errorf("items past the items array are free in draft-07: %v", err)
	}
}

// TestValidatorMessagesBeyondProperties covers rules outside plain
// properties: an object that allows no other properties, a property
// described through $ref, and a rule on the whole object.
func TestValidatorMessagesBeyondProperties(t *testing.T) {
	v, err := protocol.NewValidator([]byte(`{"type":"object","additionalProperties":false,"minProperties":2,
		"properties":{"port":{"$ref":"#/definitions/port"},"host":{"type":"string"}},
		"definitions":{"port":{"type":"integer","maximum":65535}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ config, want string }{
		{`{"host":"hostVALUE","pasword":"hunter2SECRET"}`, "unknown properties pasword"},
		{`{"host":"hostVALUE","port":"5432VALUE"}`, "port: got string, want integer"},
		{`{"host":"hostVALUE","port":99999}`, "port: greater than 65535"},
		{`{"host":"hostVALUE"}`, `does not satisfy the schema's "minProperties"`},
	} {
		var doc any
		if err := json.Unmarshal([]byte(tc.config), &doc); err != nil {
			t.Fatal(err)
		}
		err := v.Validate(doc)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s:\n got %v\nwant %s", tc.config, err, tc.want)
		}
		for _, value := range []string{"SECRET", "VALUE", "99999"} {
			if err != nil && strings.Contains(err.Error(), value) {
				t.Errorf("%s: message %q shows a value (%s)", tc.config, err, value)
			}
		}
	}
}

// TestValidatorMessageInsideRef checks a rule inside a $ref target's
// properties: the field named is the property holding the $ref, and the
// message does not guess the type of what failed.
func TestValidatorMessageInsideRef(t *testing.T) {
	v, err := protocol.NewValidator([]byte(`{"type":"object","properties":{"db":{"$ref":"#/definitions/db"}},
		"definitions":{"db":{"type":"object","properties":{"port":{"type":"integer"}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	err = v.Validate(map[string]any{"db": map[string]any{"port": "5432VALUE"}})
	if err == nil || err.Error() != "db: want integer" {
		t.Errorf("got %v, want db: want integer", err)
	}
}
