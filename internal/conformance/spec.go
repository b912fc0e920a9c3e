package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

func (s *suite) runSpec(ctx context.Context) {
	o := s.invoke(ctx, "spec")
	s.basics(o)
	if !s.expectCount(o, protocol.TypeSpec, 1, "one SPEC") {
		s.skip("spec: checks", "no spec to check")
		return
	}
	s.spec, _ = json.Marshal(o.msgs[0].msg.Spec)
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
	if _, err := protocol.NewValidator(doc.Spec); err != nil {
		s.fail("spec: valid JSON Schema", "%v", err)
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
	case o.timedOut:
		problems = append(problems, "no exit within the timeout")
	case !codeOK(o.code):
		problems = append(problems, fmt.Sprintf("exit status %d, want %s", o.code, want))
	}
	if len(o.stdout) > 0 {
		problems = append(problems, "printed on stdout: "+cut(splitLines(o.stdout)[0]))
	}
	if tb := traceback(o.stderr); tb != "" {
		problems = append(problems, "stack trace on stderr: "+cut(tb))
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
