package configspec

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestTitle(t *testing.T) {
	for in, want := range map[string]string{
		"api_key": "API Key", "hostname": "Hostname", "exclude_dbs": "Exclude DBs", "scan_all": "Scan All",
		"userID": "User ID", "ssl": "SSL", "base-url": "Base URL", "num_records": "Num Records", "oauth_token": "OAuth Token",
	} {
		if got := Title(in); got != want {
			t.Errorf("Title(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMarshalLayout checks key order, indentation, the trailing newline and
// that values keep their JSON types.
func TestMarshalLayout(t *testing.T) {
	minItems := 0
	s := Schema{
		Properties: []Property{
			{Name: "host", Type: "string", Title: "Host", Description: "Where <it> runs.", Order: 0},
			{Name: "dbs", Type: "array", Title: "DBs", Items: &Property{Type: "string"}, MinItems: &minItems, UniqueItems: true, Default: []string{}, Order: 1},
			{Name: "tls", Type: "object", Title: "TLS", Order: 2, Properties: []Property{{Name: "ca", Type: "string", Title: "CA", Secret: true, Order: 0}}, Required: []string{"ca"}},
		},
		Required: []string{"host"},
	}
	want := `{
  "spec": {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "properties": {
      "host": {
        "type": "string",
        "title": "Host",
        "description": "Where <it> runs.",
        "order": 0
      },
      "dbs": {
        "type": "array",
        "title": "DBs",
        "default": [],
        "items": {
          "type": "string"
        },
        "minItems": 0,
        "uniqueItems": true,
        "order": 1
      },
      "tls": {
        "type": "object",
        "title": "TLS",
        "properties": {
          "ca": {
            "type": "string",
            "title": "CA",
            "secret": true,
            "order": 0
          }
        },
        "required": [
          "ca"
        ],
        "order": 2
      }
    },
    "required": [
      "host"
    ]
  }
}
`
	got := string(s.Marshal())
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	var v any
	if err := json.Unmarshal([]byte(got), &v); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.Marshal(), s.Marshal()) {
		t.Error("two runs differ")
	}
}
