package scaffold

import (
	"go/format"
	"strings"
	"testing"
)

func TestRewriteImports(t *testing.T) {
	rewrite := map[string]string{
		"example.com/kit/protocol": "monoid-acme/internal/protocol",
		"example.com/kit/zeta":     "aardvark/zeta",
	}
	for _, tc := range []struct {
		name, src, want string
	}{{
		name: "untouched",
		src:  "package p\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/other\"\n)\n",
	}, {
		name: "spliced in place",
		src:  "package p\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/kit/protocol\"\n)\n\nvar _ = fmt.Sprint\n",
		want: "package p\n\nimport (\n\t\"fmt\"\n\n\t\"monoid-acme/internal/protocol\"\n)\n\nvar _ = fmt.Sprint\n",
	}, {
		name: "re-sorted",
		src:  "package p\n\nimport (\n\t\"example.com/a\"\n\t\"example.com/kit/zeta\"\n)\n",
		want: "package p\n\nimport (\n\t\"aardvark/zeta\"\n\t\"example.com/a\"\n)\n",
	}, {
		name: "trailing comment realigned",
		src:  "package p\n\nimport (\n\t\"example.com/kit/zeta\" // z\n\tx \"zz\"                 // x\n)\n",
		want: "package p\n\nimport (\n\t\"aardvark/zeta\" // z\n\tx \"zz\"          // x\n)\n",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want == "" {
				tc.want = tc.src
			}
			got, err := rewriteImports("f.go", []byte(tc.src), rewrite)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
			formatted, err := format.Source(got)
			if err != nil || string(formatted) != string(got) {
				t.Errorf("result is not gofmt-clean (%v):\n%s", err, got)
			}
			if tree, err := rewriteTree("f.go", []byte(tc.src), rewrite); err != nil || string(tree) != string(got) {
				t.Errorf("the syntax-tree rewrite gives\n%s\n(%v), the result is\n%s", tree, err, got)
			}
		})
	}
	if _, err := rewriteImports("bad.go", []byte("package p\nimport ("), rewrite); err == nil || !strings.Contains(err.Error(), "bad.go") {
		t.Errorf("a file that does not parse: error %v, want one naming bad.go", err)
	}
}
