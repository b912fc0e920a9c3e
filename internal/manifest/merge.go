package manifest

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Outcome says what Merge did.
type Outcome int

// The outcomes of Merge.
const (
	Unchanged Outcome = iota // the file already held the entry as it is
	Added                    // the entry was appended
	Updated                  // the entry with the same id was changed
)

func (o Outcome) String() string {
	return [...]string{"unchanged", "added", "updated"}[o]
}

// Merge upserts e into the content of a platform file (name is used in
// errors): the entry with e's id is updated in place, keys it does not
// know kept; otherwise e is appended. A different entry that already uses
// e's name or image is refused, and so are two entries with one id, a file
// of several YAML documents (all but the first would be lost), and an
// entry of the other kind of file (withSpec says which e is). The rest of
// the file, comments included, is kept, and so are its byte order mark
// and CRLF line ends. When the outcome is Unchanged, the returned content
// is nil.
func Merge(name string, content []byte, e Entry, withSpec bool) ([]byte, Outcome, error) {
	if err := e.Validate(); err != nil {
		return nil, Unchanged, err
	}
	body, bom := bytes.CutPrefix(content, utf8BOM)
	if !utf8.Valid(body) {
		return nil, Unchanged, fmt.Errorf("%s: the file is not UTF-8 text (UTF-16?); the platform's files are UTF-8", name)
	}
	if i := bytes.IndexByte(bytes.ReplaceAll(body, []byte("\r\n"), nil), '\r'); i >= 0 {
		return nil, Unchanged, fmt.Errorf("%s: the file ends a line with a bare CR (\\r); give it LF or CRLF line ends before merging", name)
	}
	crlf := bytes.Contains(body, []byte("\r\n"))
	if crlf {
		if lf := bytes.Count(body, []byte("\n")); lf != bytes.Count(body, []byte("\r\n")) {
			return nil, Unchanged, fmt.Errorf("%s: line %d: the file mixes CRLF and LF line ends; give it one kind before merging", name, firstLF(body))
		}
		body = bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n"))
	}
	out, outcome, err := merge(name, body, e, withSpec)
	if out == nil || err != nil {
		return nil, outcome, err
	}
	if crlf {
		out = bytes.ReplaceAll(out, []byte("\n"), []byte("\r\n"))
	}
	if bom {
		out = append(append([]byte(nil), utf8BOM...), out...)
	}
	return out, outcome, nil
}

var utf8BOM = []byte("\ufeff")

// firstLF returns the line number of the first line ended by a bare LF.
func firstLF(b []byte) int {
	for i, line := range bytes.SplitAfter(b, []byte("\n")) {
		if bytes.HasSuffix(line, []byte("\n")) && !bytes.HasSuffix(line, []byte("\r\n")) {
			return i + 1
		}
	}
	return 1
}

// merge is Merge on content with LF line ends and no byte order mark.
func merge(name string, content []byte, e Entry, withSpec bool) ([]byte, Outcome, error) {
	dec := yaml.NewDecoder(bytes.NewReader(content))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		return nil, Unchanged, fmt.Errorf("%s: %w", name, err)
	}
	var second yaml.Node
	switch err := dec.Decode(&second); {
	case err == nil:
		return nil, Unchanged, fmt.Errorf("%s: line %d: a second YAML document; the platform reads only the first, so merging would lose this one: keep one list of entries in the file", name, second.Line)
	case err != io.EOF:
		return nil, Unchanged, fmt.Errorf("%s: %w", name, err)
	}
	fresh, err := e.node(withSpec)
	if err != nil {
		return nil, Unchanged, err
	}
	var list *yaml.Node
	switch {
	case doc.Kind == 0 || len(doc.Content) == 1 && doc.Content[0].Tag == "!!null" && doc.Content[0].Value == "":
		// No entries yet: nothing, or comments and a document marker,
		// which are kept as they are, followed by the new list.
		if err := checkKind(name, nil, withSpec); err != nil {
			return nil, Unchanged, err
		}
		list := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{fresh}}
		out, err := encode(list)
		if err != nil {
			return nil, Unchanged, err
		}
		if len(bytes.TrimSpace(content)) == 0 {
			return out, Added, nil
		}
		if !bytes.HasSuffix(content, []byte("\n")) {
			content = append(content, '\n')
		}
		return append(content, out...), Added, nil
	case len(doc.Content) == 1 && doc.Content[0].Kind == yaml.SequenceNode:
		list = doc.Content[0]
	default:
		return nil, Unchanged, fmt.Errorf("%s: line %d: want a list of connector entries", name, doc.Line)
	}
	if err := checkKind(name, list.Content, withSpec); err != nil {
		return nil, Unchanged, err
	}
	var match *yaml.Node
	ids := map[string]int{} // id -> line of its entry
	for _, item := range list.Content {
		if item.Kind != yaml.MappingNode {
			return nil, Unchanged, fmt.Errorf("%s: line %d: want a connector entry (a mapping)", name, item.Line)
		}
		if key := twice(item); key != nil {
			return nil, Unchanged, fmt.Errorf("%s: line %d: key %q given twice in one entry; the platform cannot read the file", name, key.Line, key.Value)
		}
		id, itemName, image := value(item, "id"), value(item, "name"), value(item, "dockerImage")
		if line, dup := ids[id]; dup && id != "" {
			return nil, Unchanged, fmt.Errorf("%s: line %d: entry %q has the id %s, as the entry at line %d does; ids must be unique: give one of them a new id (a UUID)", name, item.Line, itemName, id, line)
		}
		ids[id] = item.Line
		if id == e.ID {
			match = item
			continue
		}
		if itemName == e.Name {
			return nil, Unchanged, fmt.Errorf("%s: line %d: entry %s already uses the name %q; give this connector another name (--name) or remove that entry", name, item.Line, id, e.Name)
		}
		if image == e.DockerImage {
			return nil, Unchanged, fmt.Errorf("%s: line %d: entry %q (%s) already uses the image %s; give this connector another image (--image) or remove that entry", name, item.Line, itemName, id, e.DockerImage)
		}
	}
	outcome := Added
	if match == nil {
		list.Content = append(list.Content, fresh)
	} else {
		if !update(match, fresh) {
			return nil, Unchanged, nil
		}
		outcome = Updated
	}
	out, err := encode(&doc)
	if err != nil {
		return nil, Unchanged, err
	}
	return out, outcome, nil
}

// checkKind refuses to merge an integration-manifest.yaml entry into
// integration-spec.yaml or the reverse. The file's first entry tells
// which it is (spec entries carry spec and manual); a file without
// entries is told by its name.
func checkKind(name string, entries []*yaml.Node, withSpec bool) error {
	if len(entries) == 0 {
		base := filepath.Base(name)
		switch {
		case !withSpec && strings.HasPrefix(base, "integration-spec"):
			return fmt.Errorf("%s is named as the platform's integration-spec.yaml is, whose entries carry a spec: merge with --spec", name)
		case withSpec && strings.HasPrefix(base, "integration-manifest"):
			return fmt.Errorf("%s is named as the platform's integration-manifest.yaml is, whose entries carry no spec: merge without --spec", name)
		}
		return nil
	}
	first := entries[0]
	hasSpec := first.Kind == yaml.MappingNode && (has(first, "spec") || has(first, "manual"))
	switch {
	case hasSpec && !withSpec:
		return fmt.Errorf("%s: line %d: the entries of this file carry a spec, as integration-spec.yaml does: merge with --spec", name, first.Line)
	case !hasSpec && withSpec:
		return fmt.Errorf("%s: line %d: the entries of this file carry no spec, as integration-manifest.yaml does: merge without --spec", name, first.Line)
	}
	return nil
}

// twice returns the first key of mapping m that it gives twice, or nil.
func twice(m *yaml.Node) *yaml.Node {
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if seen[k.Value] {
			return k
		}
		seen[k.Value] = true
	}
	return nil
}

// has reports whether mapping m has key.
func has(m *yaml.Node, key string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return true
		}
	}
	return false
}

// value returns the scalar value of key in a mapping, or "".
func value(m *yaml.Node, key string) string {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key && m.Content[i+1].Kind == yaml.ScalarNode {
			return m.Content[i+1].Value
		}
	}
	return ""
}

// update sets, in mapping m, each key of fresh whose value differs,
// keeping the key nodes (and their comments) and every other key, and
// reports whether anything changed.
func update(m, fresh *yaml.Node) bool {
	changed := false
	for i := 0; i+1 < len(fresh.Content); i += 2 {
		key, val := fresh.Content[i], fresh.Content[i+1]
		found := false
		for j := 0; j+1 < len(m.Content); j += 2 {
			if m.Content[j].Value != key.Value {
				continue
			}
			found = true
			if !sameValue(m.Content[j+1], val) {
				val.LineComment = m.Content[j+1].LineComment
				m.Content[j+1] = val
				changed = true
			}
		}
		if !found {
			m.Content = append(m.Content, key, val)
			changed = true
		}
	}
	return changed
}

// sameValue compares two nodes as the data they hold.
func sameValue(a, b *yaml.Node) bool {
	var x, y any
	if a.Decode(&x) != nil || b.Decode(&y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// encode writes YAML as the platform's files are written: four-space
// indentation, which is what yaml.v3 gives them back unchanged.
func encode(n *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(4)
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
