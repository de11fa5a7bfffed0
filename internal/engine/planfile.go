package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/gather"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
)

// PlanFileName is the plan file's default name, at the workspace root.
const PlanFileName = "nix-unit.json"

// PlanFile gathers what the plan file needs (gather.Describe too), plans, and
// returns the file's bytes and its default path (at the workspace root). It
// needs no Nix store.
func PlanFile(ctx context.Context, g gather.Config) ([]byte, string, error) {
	g.Describe = true
	res, err := gather.Gather(ctx, &g)
	if err != nil {
		return nil, "", err
	}
	p, err := plan.New(res.Input)
	if err != nil {
		return nil, "", err
	}
	f, err := p.File()
	if err != nil {
		return nil, "", err
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, "", err
	}
	return b.Bytes(), filepath.Join(res.Input.Graph.Workspace.WorkspaceRoot, PlanFileName), nil
}

// CheckPlanFile compares the plan file at path with want: nil when equal, else
// one line saying what is out of date.
func CheckPlanFile(path string, want []byte) error {
	have, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%s: %w (cargo nix-unit plan writes it)", path, err)
	}
	if !bytes.Equal(have, want) {
		return fmt.Errorf("%s is out of date (%s); run cargo nix-unit plan", path, whatChanged(have, want))
	}
	return nil
}

// whatChanged names the first checked file whose hash differs, else the first
// source or unit that differs, else the first differing line.
func whatChanged(have, want []byte) string {
	var h, w plan.File
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
