package scaffold

import (
	"go/format"
	"strings"
	"testing"
)

func TestRewriteGo(t *testing.T) {
	rw := goRewrite{
		fromPkg: "memory", toPkg: "acme",
		imports: map[string]string{
			"example.com/kit/internal":        "monoid-acme/internal",
			"example.com/kit/examples/memory": "monoid-acme/acme",
		},
	}
	for _, tc := range []struct {
		name, src, want string
	}{{
		name: "untouched",
		src:  "package p\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/other\"\n)\n",
	}, {
		name: "prefix rewritten, a longer name left alone",
		src:  "package p\n\nimport (\n\t\"example.com/kit/internal/protocol\"\n\t\"example.com/kit/internalx\"\n)\n",
		want: "package p\n\nimport (\n\t\"example.com/kit/internalx\"\n\t\"monoid-acme/internal/protocol\"\n)\n",
	}, {
		name: "package renamed, doc comment too",
		src:  "// Package memory is an example.\npackage memory\n",
		want: "// Package acme is an example.\npackage acme\n",
	}, {
		name: "external test package renamed, subpackage import rewritten",
		src:  "package memory_test\n\nimport \"example.com/kit/examples/memory/fake\"\n\nvar _ = fake.X\n",
		want: "package acme_test\n\nimport \"monoid-acme/acme/fake\"\n\nvar _ = fake.X\n",
	}, {
		name: "trailing comment realigned",
		src:  "package p\n\nimport (\n\tx \"zz\"                                 // x\n\t\"example.com/kit/internal/zeta\" // z\n)\n",
		want: "package p\n\nimport (\n\t\"monoid-acme/internal/zeta\" // z\n\tx \"zz\"                      // x\n)\n",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want == "" {
				tc.want = tc.src
			}
			got, err := rewriteGo("f.go", []byte(tc.src), rw)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
			if formatted, err := format.Source(got); err != nil || string(formatted) != string(got) {
				t.Errorf("result is not gofmt-clean (%v):\n%s", err, got)
			}
		})
	}
	if _, err := rewriteGo("bad.go", []byte("package p\nimport ("), rw); err == nil || !strings.Contains(err.Error(), "bad.go") {
		t.Errorf("a file that does not parse: error %v, want one naming bad.go", err)
	}
}

func TestAddGenerateDirective(t *testing.T) {
	got := string(addGenerateDirective([]byte("// Doc.\npackage acme\n\n// Config is.\ntype Config struct{}\n")))
	want := "// Doc.\npackage acme\n\n" + generateDirective + "\n\n// Config is.\ntype Config struct{}\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
