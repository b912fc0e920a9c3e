package main

import (
	"runtime/debug"
	"testing"
)

// TestDescribeBuild checks what version and --version print for the
// builds the go command makes: installed at a version, built from a clean
// or a dirty checkout, and with no build information at all.
func TestDescribeBuild(t *testing.T) {
	const rev = "0123456789abcdef0123456789abcdef01234567"
	tests := []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "(devel)"},
		{"go install at a version", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{"clean checkout", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.4-0.20260101000000-0123456789ab"},
			Settings: []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "false"}}},
			"v1.2.4-0.20260101000000-0123456789ab revision " + rev},
		{"dirty checkout", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "true"}}},
			"(devel) revision " + rev + ", modified"},
		{"no version recorded", &debug.BuildInfo{}, "(devel)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := describeBuild(tc.info); got != tc.want {
				t.Errorf("describeBuild = %q, want %q", got, tc.want)
			}
		})
	}
}
