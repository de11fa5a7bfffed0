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
	oldSrc := map[string]string{}
	for _, s := range h.Sources {
		b, _ := json.Marshal(s)
		oldSrc[s.Name] = string(b)
	}
	for _, s := range w.Sources {
		if b, _ := json.Marshal(s); oldSrc[s.Name] != string(b) {
			return "source " + s.Name + " changed"
		}
	}
	oldUnit := map[string]string{}
	for _, u := range h.Units {
		b, _ := json.Marshal(u)
		oldUnit[u.Key] = string(b)
	}
	for _, u := range w.Units {
		if b, _ := json.Marshal(u); oldUnit[u.Key] != string(b) {
			return "unit " + u.Key + " changed"
		}
	}
	return firstChange(have, want)
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
