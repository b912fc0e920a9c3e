package scaffold

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// runtimeDir is where the runtime goes in a project; main.go imports it
// from there.
const runtimeDir = "internal/protocol"

// runtimeFiles copies the runtime's sources verbatim under runtimeDir, each
// preceded by the generated-code header (and a blank line, so the header
// never becomes the package's doc comment).
func runtimeFiles() ([]File, error) {
	entries, err := fs.ReadDir(protocol.Sources, ".")
	if err != nil {
		return nil, fmt.Errorf("read runtime sources: %w", err)
	}
	var files []File
	for _, e := range entries {
		src, err := fs.ReadFile(protocol.Sources, e.Name())
		if err != nil {
			return nil, fmt.Errorf("read runtime source %s: %w", e.Name(), err)
		}
		var b bytes.Buffer
		b.WriteString(GeneratedHeader + "\n\n")
		b.Write(src)
		files = append(files, File{Path: path.Join(runtimeDir, e.Name()), Content: b.Bytes()})
	}
	return files, nil
}
