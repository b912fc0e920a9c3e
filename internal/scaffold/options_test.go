package scaffold

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeDefaults(t *testing.T) {
	o := Options{Name: "google-sheets"}
	if err := o.Normalize(); err != nil {
		t.Fatal(err)
	}
	if o.Dir != "monoid-google-sheets" || o.Module != "monoid-google-sheets" || o.Image != "monoid-google-sheets" ||
		o.Tag != "0.0.1" || o.Template != "stub" || strings.Join(o.Stores, ",") != "users" {
		t.Errorf("defaults: %+v", o)
	}
	m := Options{Name: "demo", Template: "memory", Dir: "out/x/"}
	if err := m.Normalize(); err != nil {
		t.Fatal(err)
	}
	if m.Module != "x" || strings.Join(m.Stores, ",") != "users,orders" {
		t.Errorf("memory defaults: %+v", m)
	}
}

func TestNormalizeNamesTheFlag(t *testing.T) {
	for _, tc := range []struct {
		o    Options
		flag string
	}{
		{Options{Name: "a_b"}, "NAME"},
		{Options{Name: "acme-"}, "NAME"},
		{Options{Name: "type"}, "NAME"},
		{Options{Name: "acme", Module: "example.com/a b"}, "--module"},
		{Options{Name: "acme", Module: "Example.com/UPPER/x?"}, "--module"},
		{Options{Name: "acme", Stores: []string{"ok", "Bad"}}, "--store"},
		{Options{Name: "acme", Stores: []string{"x_"}}, "--store"},
		{Options{Name: "acme", Template: "rest"}, "--template"},
		{Options{Name: "acme", Image: "a//b"}, "--image"},
		{Options{Name: "acme", Tag: strings.Repeat("x", 129)}, "--tag"},
	} {
		err := tc.o.Normalize()
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Flag != tc.flag {
			t.Errorf("%+v: error %v, want one about %s", tc.o, err, tc.flag)
		}
	}
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{"users": "users", "order_items": "orderItems", "a_1": "a1", "x_y_z": "xYZ"} {
		if got := storeIdent(in); got != want {
			t.Errorf("storeIdent(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"acme": "Acme", "google-sheets": "Google Sheets", "s3": "S3"} {
		if got := displayName(in); got != want {
			t.Errorf("displayName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := packageName("google-sheets"); got != "googlesheets" {
		t.Errorf("packageName = %q", got)
	}
	for in, want := range map[string]string{"1.26.0": "1.26", "1.26": "1.26", "1.26.10": "1.26"} {
		if got := majorMinor(in); got != want {
			t.Errorf("majorMinor(%q) = %q", in, got)
		}
	}
}

// TestRenderIsDeterministic renders twice with the same id and compares.
func TestRenderIsDeterministic(t *testing.T) {
	o := Options{Name: "acme", Stores: []string{"a", "b"}, NewID: func() string { return "00000000-0000-4000-8000-000000000009" }}
	o2 := o
	a, err := Render(&o)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Render(&o2)
	if len(a) != len(b) {
		t.Fatal("file counts differ")
	}
	for i := range a {
		if a[i].Path != b[i].Path || string(a[i].Content) != string(b[i].Content) {
			t.Errorf("%s differs between two renders", a[i].Path)
		}
	}
}
