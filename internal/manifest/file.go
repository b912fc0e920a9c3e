package manifest

import (
	"fmt"

	"github.com/monoid-gen/monoid-gen/internal/atomicfile"
)

// MergeFile merges e into the platform file at path, as Merge does, and
// replaces the file atomically. The read, the merge and the write run
// under the lock of the file's directory, so that concurrent merges into
// one file each keep the others' entries. A symbolic link is followed to
// the file it leads to; a read-only file is refused; a missing file is an
// error, since the platform's file must already exist.
func MergeFile(path string, e Entry, withSpec bool) (Outcome, error) {
	outcome := Unchanged
	err := atomicfile.Update(path, 0o644, func(content []byte, exists bool) ([]byte, error) {
		if !exists {
			return nil, fmt.Errorf("%s does not exist: give the path of the platform's file (an empty file is a list of no entries)", path)
		}
		merged, o, err := Merge(path, content, e, withSpec)
		outcome = o
		return merged, err
	})
	if err != nil {
		return Unchanged, err
	}
	return outcome, nil
}
