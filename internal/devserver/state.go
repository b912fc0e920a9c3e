package devserver

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/monoid-gen/monoid-gen/internal/atomicfile"
)

// StateFile is where the config entered for the project at projectPath is
// kept: under the user's config directory, named by a hash of the path,
// so that secrets stay out of the project (and out of its repository).
func StateFile(projectPath string) (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no place to keep the config: %v", err)
	}
	sum := sha256.Sum256([]byte(projectPath))
	return filepath.Join(dir, "monoid-gen", "dev", hex.EncodeToString(sum[:8])+".json"), nil
}

// loadConfig reads the kept config; a missing file is an empty config.
func loadConfig(path string) (map[string]any, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]any{}, nil
	}
	if err != nil {
		return nil, err
	}
	c := map[string]any{}
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%s: %v (remove it to start afresh)", path, err)
	}
	return c, nil
}

// saveConfig writes c to path, readable by the user only.
func saveConfig(path string, c map[string]any) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(path, append(b, '\n'), 0o600); err != nil {
		return err
	}
	return os.Chmod(path, 0o600)
}

// get returns the value at a dotted path of c.
func get(c map[string]any, path string) (any, bool) {
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		sub, ok := c[p].(map[string]any)
		if !ok {
			return nil, false
		}
		c = sub
	}
	v, ok := c[parts[len(parts)-1]]
	return v, ok
}

// set sets the value at a dotted path of c, making objects on the way.
func set(c map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		sub, ok := c[p].(map[string]any)
		if !ok {
			sub = map[string]any{}
			c[p] = sub
		}
		c = sub
	}
	c[parts[len(parts)-1]] = v
}

// del removes the value at a dotted path of c.
func del(c map[string]any, path string) {
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		sub, ok := c[p].(map[string]any)
		if !ok {
			return
		}
		c = sub
	}
	delete(c, parts[len(parts)-1])
}
