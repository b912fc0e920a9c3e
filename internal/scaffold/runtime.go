package scaffold

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"

	"github.com/monoid-gen/monoid-gen/internal/conformance"
	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// Where the copied packages go in a project, and their import paths here.
const (
	runtimeDir     = "internal/protocol"
	conformanceDir = "internal/conformance"

	// selfInternal prefixes the import paths of the copied packages here.
	selfInternal = "github.com/monoid-gen/monoid-gen/internal"
)

// runtimeFiles copies the runtime's sources under runtimeDir and the
// conformance checks under conformanceDir, each import of the runtime
// pointed at the project's copy. Each file is preceded by the
// generated-code header (and a blank line, so that the header never
// becomes the package's doc comment).
func runtimeFiles(d *data) ([]File, error) {
	rewrite := map[string]string{selfInternal: path.Join(d.Module, "internal")}
	var files []File
	for _, pkg := range []struct {
		sources fs.FS
		dir     string
	}{
		{protocol.Sources, runtimeDir},
		{conformance.Sources, conformanceDir},
	} {
		copied, err := copySources(pkg.sources, pkg.dir, rewrite)
		if err != nil {
			return nil, err
		}
		files = append(files, copied...)
	}
	return files, nil
}

// copySources copies every file of fsys into dir, rewriting the imports
// under the prefixes in rewrite (old to new).
func copySources(fsys fs.FS, dir string, rewrite map[string]string) ([]File, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read embedded sources: %w", err)
	}
	var files []File
	for _, e := range entries {
		src, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("read embedded source %s: %w", e.Name(), err)
		}
		if src, err = rewriteGo(e.Name(), src, goRewrite{imports: rewrite}); err != nil {
			return nil, err
		}
		var b bytes.Buffer
		b.WriteString(GeneratedHeader + "\n\n")
		b.Write(src)
		files = append(files, File{Path: path.Join(dir, e.Name()), Content: b.Bytes(), Generated: true})
	}
	return files, nil
}
