package manifest

import (
	"fmt"

	"github.com/BurntSushi/toml"
)

// WorkspaceMembers reads `workspace.members` of the workspace root's manifest:
// paths relative to the root, globs allowed (cargo: core/workspace.rs,
// expand_member_paths). A manifest without [workspace] has none.
func WorkspaceMembers(rootManifest string) ([]string, error) {
	var m struct {
		Workspace *struct {
			Members []string `toml:"members"`
		} `toml:"workspace"`
	}
	if _, err := toml.DecodeFile(rootManifest, &m); err != nil {
		return nil, fmt.Errorf("reading %s: %w", rootManifest, err)
	}
	if m.Workspace == nil {
		return nil, nil
	}
	return m.Workspace.Members, nil
}
