package protocol

import (
	"bytes"
	"cmp"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
)

// redacted stands for a secret value in printed text.
const redacted = "[redacted]"

// secretSet holds the values of a run's secret config properties (those
// the spec marks "secret": true) and removes them from text the runtime
// prints. It is filled once the config file is read, and read by every
// goroutine that logs.
type secretSet struct {
	r atomic.Pointer[strings.Replacer]
}

// set makes values the secrets to remove, in every form they are commonly
// printed in. Empty values are ignored.
func (s *secretSet) set(values []string) {
	seen := map[string]bool{}
	var forms []string
	for _, v := range values {
		if v == "" {
			continue
		}
		for _, f := range secretForms(v) {
			if f != "" && !seen[f] {
				seen[f] = true
				forms = append(forms, f)
			}
		}
	}
	if len(forms) == 0 {
		s.r.Store(nil)
		return
	}
	// At each position the replacer takes the first form that matches:
	// longest first, so that no form leaves a part of a longer one.
	slices.SortFunc(forms, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, redacted)
	}
	s.r.Store(strings.NewReplacer(pairs...))
}

// scrub returns text with every secret replaced by [redacted].
func (s *secretSet) scrub(text string) string {
	if s == nil {
		return text
	}
	if r := s.r.Load(); r != nil {
		return r.Replace(text)
	}
	return text
}

// secretForms lists the ways v turns up in messages: as it is, escaped for
// a URL's query, path or user info (a driver quoting its connection
// string), and escaped inside a Go or JSON quoted string (%q, or an error
// that quotes its input).
func secretForms(v string) []string {
	quoted := strconv.Quote(v)
	ascii := strconv.QuoteToASCII(v)
	js := string(AppendJSONString(nil, v))
	return []string{
		v,
		url.QueryEscape(v),
		url.PathEscape(v),
		strings.TrimPrefix(url.UserPassword("u", v).String(), "u:"),
		quoted[1 : len(quoted)-1],
		ascii[1 : len(ascii)-1],
		js[1 : len(js)-1],
	}
}

// secretValues returns the values in the config document raw at the given
// property paths: strings and numbers, inside objects and arrays too. A
// document that does not parse has none; validation reports it.
func secretValues(paths [][]string, raw []byte) []string {
	if len(paths) == 0 {
		return nil
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&doc) != nil {
		return nil
	}
	var out []string
	for _, p := range paths {
		v := doc
		for _, name := range p {
			m, ok := v.(map[string]any)
			if !ok {
				v = nil
				break
			}
			v = m[name]
		}
		out = appendLeaves(out, v)
	}
	return out
}

// appendLeaves appends the string and number values in v.
func appendLeaves(out []string, v any) []string {
	switch v := v.(type) {
	case string:
		return append(out, v)
	case json.Number:
		return append(out, v.String())
	case map[string]any:
		for _, e := range v {
			out = appendLeaves(out, e)
		}
	case []any:
		for _, e := range v {
			out = appendLeaves(out, e)
		}
	}
	return out
}

// secretPaths lists the paths of the properties marked "secret": true,
// following inline object properties.
func secretPaths(schema map[string]any, prefix []string) [][]string {
	props, _ := schema["properties"].(map[string]any)
	var out [][]string
	for name, p := range props {
		ps, ok := p.(map[string]any)
		if !ok {
			continue
		}
		path := append(append([]string(nil), prefix...), name)
		if secret, _ := ps["secret"].(bool); secret {
			out = append(out, path)
			continue
		}
		out = append(out, secretPaths(ps, path)...)
	}
	return out
}
