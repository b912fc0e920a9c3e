package configspec

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// The lint of a config schema, over its JSON: what the platform's web form
// cannot render, or would show in clear text. It reads the JSON so that it
// judges any connector's spec, Go or not: `monoid-gen check` runs it on
// what a connector's spec command prints, and `monoid-gen spec` on what it
// derives, before writing it.

// Problem is one thing in a config schema that the platform's form would
// get wrong.
type Problem struct {
	// Path is the property's JSON path ("tls.ca_cert"), or "" for the
	// schema itself.
	Path string
	Msg  string
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Msg
	}
	return p.Path + ": " + p.Msg
}

// FormProblems lists what the platform's web form cannot render in a
// config schema, the value of spec.json's "spec" (PROTOCOL.md): each
// property needs one type among string, integer, number, boolean, object
// and array; arrays only of strings; objects inline (no $ref); a title and
// an integer order, no two properties of an object with one order; secret
// only on strings; required names that are properties. The problems are
// sorted by path.
func FormProblems(schema json.RawMessage) []Problem {
	var obj map[string]any
	if err := json.Unmarshal(schema, &obj); err != nil {
		return []Problem{{Msg: fmt.Sprintf("the spec is not a JSON object: %v", err)}}
	}
	var problems []Problem
	if hasRef(obj) {
		problems = append(problems, Problem{Msg: "the spec uses $ref, which the form does not follow; inline the schema"})
	}
	problems = append(problems, objectProblems(obj, "")...)
	sortProblems(problems)
	return problems
}

func objectProblems(obj map[string]any, path string) []Problem {
	var problems []Problem
	add := func(path, format string, args ...any) {
		problems = append(problems, Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	props, _ := obj["properties"].(map[string]any)
	orders := map[float64][]string{}
	for name, raw := range props {
		at := join(path, name)
		p, ok := raw.(map[string]any)
		if !ok {
			add(at, "not a schema object")
			continue
		}
		typ, ok := p["type"].(string)
		switch {
		case !ok:
			add(at, "type must be one string, got %v", p["type"])
		case !slices.Contains([]string{"string", "integer", "number", "boolean", "object", "array"}, typ):
			add(at, "type %q is not one the form renders", typ)
		case typ == "array":
			items, _ := p["items"].(map[string]any)
			if items == nil || items["type"] != "string" {
				add(at, "the form renders arrays of strings only (items.type string)")
			}
		case typ == "object":
			problems = append(problems, objectProblems(p, at)...)
		}
		if t, _ := p["title"].(string); t == "" {
			add(at, "no title (the form shows an empty label)")
		}
		if o, ok := p["order"].(float64); !ok || o != float64(int(o)) {
			add(at, "no integer order (the form sorts it as 1000)")
		} else {
			orders[o] = append(orders[o], name)
		}
		if secret, ok := p["secret"]; ok && (secret != true || typ != "string") {
			add(at, "secret must be true and on a string, as the form renders a secret as a password input (got %v on %s)", secret, typ)
		}
	}
	for o, names := range orders {
		slices.Sort(names)
		for _, n := range names[1:] {
			add(join(path, n), "order %v is also the order of %s; each property needs its own", o, names[0])
		}
	}
	req, _ := obj["required"].([]any)
	for _, r := range req {
		if name, _ := r.(string); props[name] == nil {
			add(path, "required names %v, which is not one of its properties", r)
		}
	}
	return problems
}

func hasRef(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["$ref"]; ok {
			return true
		}
		for _, e := range x {
			if hasRef(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if hasRef(e) {
				return true
			}
		}
	}
	return false
}

// credentialWords are words that name a credential wherever they stand in
// a property name.
var credentialWords = []string{"password", "passwd", "pass", "passphrase", "token", "secret", "apikey", "credential", "credentials"}

// keyQualifiers make a following "key" a credential (api_key, private_key);
// other keys (primary_key, sort_key) are not.
var keyQualifiers = []string{"api", "access", "private", "secret", "signing", "client", "account", "encryption", "master", "service", "auth"}

// CredentialProblems flags the string properties whose name suggests a
// credential but that lack "secret": true: the form would show them in
// clear text. Some such names are not secrets (a public project token), so
// spec only warns of them.
func CredentialProblems(schema json.RawMessage) []Problem {
	var obj map[string]any
	if err := json.Unmarshal(schema, &obj); err != nil {
		return []Problem{{Msg: fmt.Sprintf("the spec is not a JSON object: %v", err)}}
	}
	problems := credentialProblems(obj, "")
	sortProblems(problems)
	return problems
}

func credentialProblems(obj map[string]any, path string) []Problem {
	var problems []Problem
	props, _ := obj["properties"].(map[string]any)
	for name, raw := range props {
		p, _ := raw.(map[string]any)
		if p == nil {
			continue
		}
		if p["type"] == "object" {
			problems = append(problems, credentialProblems(p, join(path, name))...)
			continue
		}
		if p["secret"] != true && p["type"] == "string" && looksLikeCredential(name) {
			problems = append(problems, Problem{Path: join(path, name), Msg: `looks like a credential but lacks "secret": true, so the form shows it in clear text`})
		}
	}
	return problems
}

// looksLikeCredential splits name into words (at _, -, . and case changes)
// and looks for a credential word.
func looksLikeCredential(name string) bool {
	var words []string
	var cur strings.Builder
	for i, r := range name {
		if r == '_' || r == '-' || r == '.' || (unicode.IsUpper(r) && i > 0) {
			words = append(words, strings.ToLower(cur.String()))
			cur.Reset()
			if r == '_' || r == '-' || r == '.' {
				continue
			}
		}
		cur.WriteRune(r)
	}
	words = append(words, strings.ToLower(cur.String()))
	for i, w := range words {
		if slices.Contains(credentialWords, w) {
			return true
		}
		if w == "key" && (len(words) == 1 || i > 0 && slices.Contains(keyQualifiers, words[i-1])) {
			return true
		}
	}
	return false
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func sortProblems(ps []Problem) {
	slices.SortFunc(ps, func(a, b Problem) int {
		return strings.Compare(a.String(), b.String())
	})
}
