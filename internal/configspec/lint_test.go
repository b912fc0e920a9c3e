package configspec

import (
	"strings"
	"testing"
)

func TestFormProblems(t *testing.T) {
	schema := []byte(`{"type":"object","properties":{
		"a":{"type":["string","null"],"title":"A","order":0},
		"b":{"type":"array","items":{"type":"integer"},"title":"B","order":1},
		"c":{"type":"integer","secret":true,"title":"C","order":2},
		"d":{"type":"string","order":3},
		"e":{"type":"string","title":"E"},
		"f":{"$ref":"#/definitions/x"},
		"g":{"type":"string","title":"G","order":3},
		"h":{"type":"object","title":"H","order":4,"properties":{"x":{"type":"date","title":"X","order":0}},"required":["y"]}},
		"required":["ghost"]}`)
	var lines []string
	for _, p := range FormProblems(schema) {
		lines = append(lines, p.String())
	}
	got := strings.Join(lines, "\n")
	for _, want := range []string{"the spec uses $ref", "a: type must be one string", "b: the form renders arrays of strings only",
		"c: secret must be true and on a string", "d: no title", "e: no integer order", "g: order 3 is also the order of d",
		`h.x: type "date" is not one the form renders`, "h: required names y, which is not one of its properties",
		"required names ghost, which is not one of its properties"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
	if ps := FormProblems([]byte(`[1]`)); len(ps) != 1 || !strings.Contains(ps[0].Msg, "not a JSON object") {
		t.Errorf("a spec that is not an object: %v", ps)
	}
}

func TestCredentialProblems(t *testing.T) {
	schema := []byte(`{"type":"object","properties":{
		"password":{"type":"string"},
		"api_key":{"type":"string","secret":true},
		"tls":{"type":"object","properties":{"private_key":{"type":"string"}}},
		"token_count":{"type":"integer"}}}`)
	var got []string
	for _, p := range CredentialProblems(schema) {
		got = append(got, p.Path)
	}
	if strings.Join(got, ",") != "password,tls.private_key" {
		t.Errorf("credential problems at %v, want password and tls.private_key", got)
	}
}

func TestCredentialNames(t *testing.T) {
	for name, want := range map[string]bool{
		"password": true, "api_key": true, "accessToken": true, "client_secret": true, "credentials": true,
		"privateKey": true, "key": true, "ssh_pass": true,
		"hostname": false, "keyspace": false, "monkey": false, "username": false, "tokenizer": false, "primary_key": false, "sort_key": false,
	} {
		if got := looksLikeCredential(name); got != want {
			t.Errorf("looksLikeCredential(%q) = %v", name, got)
		}
	}
}
