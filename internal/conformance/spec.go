package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

func (s *suite) runSpec(ctx context.Context) {
	o := s.invoke(ctx, "spec")
	s.basics(o)
	msgs, ok := s.expectCount(o, protocol.TypeSpec, 1, "one SPEC")
	if !ok {
		names := specChecks
		for _, c := range s.opts.SpecChecks {
			names = append(names[:len(names):len(names)], "spec: "+c.Name)
		}
		s.skipAll("the spec command printed no spec to check", names)
		return
	}
	s.spec, _ = json.Marshal(msgs[0].msg.Spec)
	if s.opts.SpecFile == "" {
		s.skip("spec: matches spec.json", "not a project: no spec.json to compare with")
	} else if want, err := os.ReadFile(s.opts.SpecFile); err != nil {
		s.fail("spec: matches spec.json", "read %s: %v", s.opts.SpecFile, err)
	} else if !sameJSON(s.spec, want) {
		s.fail("spec: matches spec.json", "the spec command prints a spec other than %s: rebuild the connector after changing spec.json", s.opts.SpecFile)
	} else {
		s.pass("spec: matches spec.json")
	}

	var doc struct {
		Spec json.RawMessage `json:"spec"`
	}
	json.Unmarshal(s.spec, &doc)
	if _, err := compileSchema(doc.Spec); err != nil {
		s.fail("spec: valid JSON Schema", "%v", err)
		s.skip("spec: fixture config satisfies it", "the spec is not a valid JSON Schema to check the config with")
	} else {
		s.pass("spec: valid JSON Schema")
		if err := protocol.CheckConfig(s.spec, s.opts.Config); err != nil {
			s.fail("spec: fixture config satisfies it", "%v", err)
		} else {
			s.pass("spec: fixture config satisfies it")
		}
	}
	for _, c := range s.opts.SpecChecks {
		s.check("spec: "+c.Name, c.Problems(doc.Spec))
	}
}

// specChecks are the checks runSpec makes of the spec it reads, besides
// those of Options.SpecChecks.
var specChecks = []string{"spec: matches spec.json", "spec: valid JSON Schema", "spec: fixture config satisfies it"}

// probeBadConfig runs validate with a config that violates the spec: the
// connector must fail cleanly, non-zero and without a stack trace.
func (s *suite) probeBadConfig(ctx context.Context) {
	const check = "probe: config violating the spec"
	bad, why := violatingConfig(s.spec)
	if bad == nil {
		s.skip(check, "%s", why)
		return
	}
	name := filepath.Join(s.work, "config-violating.json")
	if err := os.WriteFile(name, bad, 0o644); err != nil {
		s.fail(check, "write config: %v", err)
		return
	}
	o := s.invoke(ctx, "validate", "-c", name)
	s.cleanFailure(check, o, func(code int) bool { return code != 0 }, "a non-zero exit status")
}

// probeUnknownCommand runs a command that does not exist: a usage error,
// exit status 2.
func (s *suite) probeUnknownCommand(ctx context.Context) {
	o := s.invoke(ctx, "frobnicate")
	s.cleanFailure("probe: unknown command", o, func(code int) bool { return code == 2 }, "exit status 2 (usage)")
}

// cleanFailure checks a probe: the exit status wanted, nothing on stdout,
// no stack trace, well-formed logs.
func (s *suite) cleanFailure(check string, o *output, codeOK func(int) bool, want string) {
	var problems []string
	switch {
	case o.startErr != nil:
		problems = append(problems, fmt.Sprintf("could not start: %v", o.startErr))
	case o.overflow:
		problems = append(problems, fmt.Sprintf("stopped after printing %d MiB, the most check keeps", maxOutput>>20))
	case o.timedOut:
		problems = append(problems, "no exit within the timeout")
	case !codeOK(o.code):
		problems = append(problems, fmt.Sprintf("exit status %d, want %s", o.code, want))
	}
	if len(o.stdout) > 0 {
		problems = append(problems, "printed on stdout: "+cut(firstLine(o.stdout)))
	}
	if tb := traceback(o.stderr); tb != nil {
		problems = append(problems, "stack trace on stderr: "+cut(tb))
	}
	if p := o.platform.problem(); p != "" {
		problems = append(problems, p)
	}
	problems = append(problems, logProblems(o.stderr)...)
	s.check(check, problems)
}

// violatingConfig makes a config the spec rejects: an empty object when
// the spec requires properties, otherwise one property of the wrong type.
func violatingConfig(specJSON []byte) ([]byte, string) {
	var doc struct {
		Spec struct {
			Properties map[string]map[string]any `json:"properties"`
			Required   []string                  `json:"required"`
		} `json:"spec"`
	}
	if len(specJSON) == 0 || json.Unmarshal(specJSON, &doc) != nil {
		return nil, "no spec to build a violating config from"
	}
	if len(doc.Spec.Required) > 0 {
		return []byte("{}\n"), ""
	}
	names := make([]string, 0, len(doc.Spec.Properties))
	for n := range doc.Spec.Properties {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		var wrong any
		switch doc.Spec.Properties[n]["type"] {
		case "string", "array", "object":
			wrong = 12345
		case "integer", "number", "boolean":
			wrong = "not-a-" + doc.Spec.Properties[n]["type"].(string)
		default:
			continue
		}
		b, _ := json.Marshal(map[string]any{n: wrong})
		return b, ""
	}
	return nil, "the spec requires nothing and types nothing: every object satisfies it"
}

// compileSchema reads a JSON Schema from the connector into a validator.
// It follows no reference outside the schema: a connector's schema must
// not make check read a file (/dev/stdin would block it) or fetch a URL.
// A $ref that does not start with "#" is refused here, with where it is,
// whatever the validator; the validator loads nothing either
// (protocol.NewValidator gives it no loader).
func compileSchema(raw json.RawMessage) (*protocol.Validator, error) {
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	if ref, at := externalRef(doc, ""); at != "" {
		return nil, fmt.Errorf("$ref %q at %s points outside the schema: %s; inline what it names or point to it with \"#/...\"", ref, at, errOutside)
	}
	return protocol.NewValidator(raw)
}

// errOutside says why a schema that names another document is refused.
var errOutside = errors.New("check follows no reference outside the schema")

// refKeys are the keywords whose value names another schema.
var refKeys = []string{"$ref", "$dynamicRef", "$recursiveRef"}

// externalRef finds, in a schema document, a reference that does not
// start with "#" (a place in the same document), and returns it with the
// JSON pointer of where it is; at is "" when there is none.
func externalRef(v any, at string) (ref, where string) {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			p := at + "/" + pointerEscaper.Replace(k)
			if r, ok := x[k].(string); ok && slices.Contains(refKeys, k) && !strings.HasPrefix(r, "#") {
				return r, p
			}
			if r, w := externalRef(x[k], p); w != "" {
				return r, w
			}
		}
	case []any:
		for i, e := range x {
			if r, w := externalRef(e, fmt.Sprintf("%s/%d", at, i)); w != "" {
				return r, w
			}
		}
	}
	return "", ""
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// validateData validates record data against a store's schema. The
// error names fields and rules, never values: records hold personal data.
func validateData(v *protocol.Validator, data json.RawMessage) error {
	var value any
	if err := json.Unmarshal(data, &value); err != nil {
		return err
	}
	return v.Validate(value)
}

// sameJSON reports whether a and b hold the same JSON value.
func sameJSON(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
