package protocol

import (
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/sourcestest"
)

// TestSourcesListsEveryFile checks that no source file is left out of
// generated projects.
func TestSourcesListsEveryFile(t *testing.T) { sourcestest.Check(t, Sources, "sources.go") }
