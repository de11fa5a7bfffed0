package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// FileChange says what differs between two plan files, have (the one on disk)
// and want (today's): "" when they are equal, else the first checked file whose
// hash differs, else the first source or unit that differs, else the first
// differing line.
func FileChange(have, want []byte) string {
	if bytes.Equal(have, want) {
		return ""
	}
	var h, w File
	if json.Unmarshal(have, &h) != nil || json.Unmarshal(want, &w) != nil || h.Version != w.Version {
		return firstChange(have, want)
	}
	old := map[string]string{}
	for _, c := range h.Checked {
		old[c.File] = c.SHA256
	}
	for _, c := range w.Checked {
		if old[c.File] != c.SHA256 {
			return c.File + " changed"
		}
	}
	if name, ok := firstChanged(h.Sources, w.Sources, func(s FileSource) string { return s.Name }); ok {
		return "source " + name + " changed"
	}
	if key, ok := firstChanged(h.Units, w.Units, func(u FileUnit) string { return u.Key }); ok {
		return "unit " + key + " changed"
	}
	return firstChange(have, want)
}

// firstChanged returns the key of the first entry of want whose JSON differs
// from have's entry of the same key (or which have lacks).
func firstChanged[T any](have, want []T, key func(T) string) (string, bool) {
	old := make(map[string]string, len(have))
	for _, e := range have {
		b, _ := json.Marshal(e)
		old[key(e)] = string(b)
	}
	for _, e := range want {
		if b, _ := json.Marshal(e); old[key(e)] != string(b) {
			return key(e), true
		}
	}
	return "", false
}

// firstChange names the first line where have and want differ.
func firstChange(have, want []byte) string {
	h, w := bytes.Split(have, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := range max(len(h), len(w)) {
		if i >= len(h) || i >= len(w) || !bytes.Equal(h[i], w[i]) {
			line := ""
			if i < len(w) {
				line = string(bytes.TrimSpace(w[i]))
			}
			if len(line) > 80 {
				line = line[:77] + "..."
			}
			return fmt.Sprintf("line %d: now %s", i+1, line)
		}
	}
	return "the same lines"
}
