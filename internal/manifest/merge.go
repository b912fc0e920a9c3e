package manifest

import (
	"bytes"
	"fmt"
	"reflect"

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
// e's name or image is refused. The rest of the file, comments included,
// is kept. When the outcome is Unchanged, the returned content is nil.
func Merge(name string, content []byte, e Entry, withSpec bool) ([]byte, Outcome, error) {
	if err := e.Validate(); err != nil {
		return nil, Unchanged, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(content, &doc); err != nil {
		return nil, Unchanged, fmt.Errorf("%s: %w", name, err)
	}
	var list *yaml.Node
	switch {
	case doc.Kind == 0: // an empty file
		list = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{list}}
	case len(doc.Content) == 1 && doc.Content[0].Kind == yaml.SequenceNode:
		list = doc.Content[0]
	default:
		return nil, Unchanged, fmt.Errorf("%s: line %d: want a list of connector entries", name, doc.Line)
	}
	fresh, err := e.node(withSpec)
	if err != nil {
		return nil, Unchanged, err
	}
	var match *yaml.Node
	for _, item := range list.Content {
		if item.Kind != yaml.MappingNode {
			return nil, Unchanged, fmt.Errorf("%s: line %d: want a connector entry (a mapping)", name, item.Line)
		}
		id, itemName, image := value(item, "id"), value(item, "name"), value(item, "dockerImage")
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
