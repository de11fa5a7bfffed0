package plan

// Origin says where a package's source comes from, so that whoever writes the
// derivations elsewhere (the flake) can fetch the same files: gathered, never
// looked up while planning.
type Origin struct {
	// Kind is "registry" (a .crate from a registry, after source replacement),
	// "git" (a checkout at a locked commit) or "directory" (a directory source
	// or a local registry: the files are only on this machine).
	Kind string `json:"kind"`
	// Source is the package's source as Cargo.lock names it ("registry+…",
	// "sparse+…", "git+…").
	Source string `json:"source,omitempty"`
	// Checksum is Cargo.lock's sha256 of the .crate (hex), "" if it has none.
	Checksum string `json:"checksum,omitempty"`
	// URL is the .crate's download URL (the registry's config.json dl
	// template, filled in), "" when it could not be found.
	URL string `json:"url,omitempty"`
	// Git is the repository, Rev the locked commit and Subdir the package's
	// directory in the repository ("" at its top).
	Git    string `json:"git,omitempty"`
	Rev    string `json:"rev,omitempty"`
	Subdir string `json:"subdir,omitempty"`
}

// Checked is a file the plan follows from, with the SHA-256 of its contents
// (hex), so a stale plan file can be told: Cargo.lock and the manifests.
type Checked struct {
	File   string `json:"file"` // relative to the workspace root, slash-separated
	SHA256 string `json:"sha256"`
}
