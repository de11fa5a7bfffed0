package cache

// After a build, a stamp records a fingerprint of everything that decides the
// plan (the command line, Cargo's and Nix's settings in the environment, every
// file of the path packages, the manifests, lock and config files, the programs
// involved) and the result. When the fingerprint of the next run is the same
// and the result is still in the store, the build is done without asking Cargo
// or Nix anything.

import (
	"encoding/json"
	"os"
)

// Stamp is what a successful build leaves behind for the next run.
type Stamp struct {
	Key string `json:"key"` // the fingerprint of Inputs, Args and the environment
	// Inputs are the directories (walked) and files the fingerprint covers.
	Inputs Inputs `json:"inputs"`
	Result Result `json:"result"`
}

// Result is what the build printed and produced, to show again.
type Result struct {
	Out      string   `json:"out"`     // the result's store path
	OutLink  string   `json:"outLink"` // absolute path of the GC root, "" with --no-link
	Units    []string `json:"units"`   // unit names, dependencies first
	Profile  string   `json:"profile"`
	Traits   string   `json:"traits"`
	Warnings string   `json:"warnings"` // path packages' diagnostics as printed, with colours
	// DocPages are the documented roots' index pages in the result (doc).
	DocPages []string `json:"docPages,omitempty"`
}

// LoadStamp reads the stamp at path; a missing or unreadable one is no stamp.
func LoadStamp(path string) *Stamp {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var s Stamp
	if json.Unmarshal(b, &s) != nil {
		return nil
	}
	return &s
}

// Fresh reports whether the stamp still describes the workspace: same
// fingerprint, and the result still in the store (and still where the link points).
func (s *Stamp) Fresh(args, environ []string) bool {
	if s == nil || s.Key == "" || s.Result.Out == "" {
		return false
	}
	if _, err := os.Lstat(s.Result.Out); err != nil {
		return false
	}
	if s.Result.OutLink != "" {
		if t, err := os.Readlink(s.Result.OutLink); err != nil || t != s.Result.Out {
			return false
		}
	}
	key, _, err := Fingerprint(args, environ, s.Inputs)
	return err == nil && key == s.Key
}

// Save writes the stamp atomically, so a concurrent run reads either the old
// stamp or the new one.
func (s *Stamp) Save(path string) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return WriteAtomic(path, b)
}

// RemoveStamp forgets the stamp at path (a failed or changed build).
func RemoveStamp(path string) { os.Remove(path) }
