package protocol

import (
	"errors"
	"strings"
	"testing"
)

func TestParseArgs(t *testing.T) {
	tests := []struct {
		argv []string
		want map[Flag]string
		err  string
	}{
		{argv: []string{"spec"}, want: map[Flag]string{}},
		{argv: []string{"validate", "-c", "a.json"}, want: map[Flag]string{FlagConfig: "a.json"}},
		{argv: []string{"validate", "--config", "a.json"}, want: map[Flag]string{FlagConfig: "a.json"}},
		{argv: []string{"validate", "--config=a.json"}, want: map[Flag]string{FlagConfig: "a.json"}},
		{argv: []string{"validate", "-ca.json"}, want: map[Flag]string{FlagConfig: "a.json"}},
		{argv: []string{"validate", "--conf", "a.json"}, want: map[Flag]string{FlagConfig: "a.json"}},
		{argv: []string{"validate", "-c", "a.json", "-c", "b.json"}, want: map[Flag]string{FlagConfig: "b.json"}},
		{argv: []string{"query", "-q", "q", "--persist_conf", "p", "-c", "c"}, want: map[Flag]string{FlagConfig: "c", FlagPersist: "p", FlagQuery: "q"}},
		{argv: []string{"scan", "-c", "c", "-p", "p", "--schemas", "s"}, want: map[Flag]string{FlagConfig: "c", FlagPersist: "p", FlagSchemas: "s"}},
		{argv: []string{"request-status", "-c", "c", "-p", "p", "-r", "r"}, want: map[Flag]string{FlagConfig: "c", FlagPersist: "p", FlagRequests: "r"}},
		{argv: []string{"request-results", "-c", "c", "-p", "p", "--requests=r"}, want: map[Flag]string{FlagConfig: "c", FlagPersist: "p", FlagRequests: "r"}},
		{argv: []string{}, err: "a command is required"},
		{argv: []string{"-c", "x"}, err: `invalid command "-c"`},
		{argv: []string{"Spec"}, err: `invalid command "Spec"`},
		{argv: []string{"spec", "-c", "x"}, err: "unrecognized arguments: -c"},
		{argv: []string{"validate"}, err: "the following arguments are required: -c/--config"},
		{argv: []string{"validate", "-c"}, err: "expected one argument"},
		{argv: []string{"validate", "-c", "-p"}, err: "expected one argument"},
		{argv: []string{"validate", "extra", "-c", "c"}, err: "unrecognized arguments: extra"},
		{argv: []string{"scan", "-c", "c", "-p", "p", "-s", "s", "-q", "q"}, err: "unrecognized arguments: -q"},
		{argv: []string{"query", "-c", "c", "-p", "p"}, err: "required: -q/--query"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.argv, " "), func(t *testing.T) {
			a, err := ParseArgs(tc.argv)
			if tc.err != "" {
				var ue *UsageError
				if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want a UsageError containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(a.Command) != tc.argv[0] || len(a.Files) != len(tc.want) {
				t.Fatalf("got %+v, want command %s with %v", a, tc.argv[0], tc.want)
			}
			for f, v := range tc.want {
				if a.Files[f] != v {
					t.Errorf("%s = %q, want %q", f.Long, a.Files[f], v)
				}
			}
		})
	}
}

func TestParseArgsHelp(t *testing.T) {
	for _, argv := range [][]string{{"-h"}, {"--help"}, {"query", "--help"}} {
		a, err := ParseArgs(argv)
		if err != nil || !a.Help {
			t.Errorf("%v: got %+v, %v; want help", argv, a, err)
		}
	}
	if h := helpText("acme"); !strings.Contains(h, "acme request-results -c CONFIG -p PERSIST_CONF -r REQUESTS") {
		t.Errorf("help text lacks a command line:\n%s", h)
	}
	if h := helpText("acme"); !strings.Contains(h, "-s, --schemas SCHEMAS\n      {\"schemas\": [{\"name\": ") {
		t.Errorf("help text does not say what a schemas file looks like:\n%s", h)
	}
}

// FuzzParseArgs checks that no command line panics, that every error is a
// usage error on one line, and that a success names a known command with
// all its flags.
func FuzzParseArgs(f *testing.F) {
	f.Add("query\x00-c\x00c.json\x00-p\x00p.json\x00-q\x00q.json")
	f.Add("validate\x00--config=c.json")
	f.Add("scan\x00-cfoo\x00--persist\x00p\x00--sch\x00s")
	f.Add("request-status\x00--\x00-r")
	f.Add("-h")
	f.Add("")
	f.Fuzz(func(t *testing.T, joined string) {
		var argv []string
		if joined != "" {
			argv = strings.Split(joined, "\x00")
		}
		a, err := ParseArgs(argv)
		if err != nil {
			var ue *UsageError
			if !errors.As(err, &ue) {
				t.Fatalf("error is not a UsageError: %v", err)
			}
			if strings.Contains(err.Error(), "\n") && !strings.Contains(joined, "\n") {
				t.Fatalf("usage error spans lines: %q", err.Error())
			}
			return
		}
		if a.Help {
			return
		}
		flags, ok := commandFlags[a.Command]
		if !ok {
			t.Fatalf("accepted unknown command %q", a.Command)
		}
		for _, fl := range flags {
			if _, ok := a.Files[fl]; !ok {
				t.Fatalf("accepted %v without %s", argv, fl.Long)
			}
		}
		if len(a.Files) != len(flags) {
			t.Fatalf("accepted extra flags: %v", a.Files)
		}
	})
}
