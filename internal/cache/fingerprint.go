// Package cache makes repeated work nearly free: it fingerprints files by
// their metadata, remembers what earlier runs computed (source hashes, Cargo's
// answers) keyed by those fingerprints, and keeps the no-op stamp, with which
// an unchanged workspace's build is done without asking Cargo or Nix anything.
// Its files live in the user's cache directory and are written atomically.
package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Inputs name what the fingerprint reads. Missing files count too: creating one
// (a .cargo/config.toml, a rust-toolchain.toml) changes the fingerprint.
type Inputs struct {
	Dirs  []string `json:"dirs"`  // path packages: every file below, except target/ and .git/
	Files []string `json:"files"` // manifests, Cargo.lock, config files, programs
	// Skip are paths below Dirs the walk leaves out, as sources do: what the
	// build writes (the target directory wherever it is, the result link).
	Skip []string `json:"skip,omitempty"`
	// Layout are paths whose presence decides what Cargo plans, not their
	// content: a file counts as present or missing, a directory by the names
	// of the Rust files and directories it holds (see Presence).
	Layout []string `json:"layout,omitempty"`
}

// envPrefixes select the environment that can change what Cargo plans or how
// Nix builds. Other variables (HOME, tokens, ...) are neither read nor stored.
var envPrefixes = []string{"CARGO", "RUSTC", "RUSTDOC", "RUSTFLAGS", "RUSTUP_", "NIX_", "__CARGO"}

// Fingerprint hashes the arguments, the selected environment and the state of
// every input. It reads metadata only (size, mtime, inode, mode): no file
// content. newest is the latest modification time it saw: a file changed while
// the build read it may have kept its old content in the build, so a stamp is
// saved only when newest precedes the build's start.
func Fingerprint(args, environ []string, in Inputs) (key string, newest time.Time, err error) {
	h := sha256.New()
	fmt.Fprintf(h, "args\x00%q\n", args)
	// The program itself: another build of cargo-nix-unit may plan differently.
	if self, err := os.Executable(); err == nil {
		line, _ := Identity(self)
		fmt.Fprintf(h, "self\x00%s\x00%s\n", self, line)
	}
	var env []string
	for _, kv := range environ {
		for _, p := range envPrefixes {
			if strings.HasPrefix(kv, p) {
				env = append(env, kv)
				break
			}
		}
	}
	sort.Strings(env)
	fmt.Fprintf(h, "env\x00%q\n", env)
	note := func(p string) {
		line, mtime := Identity(p)
		fmt.Fprintf(h, "%s\x00%s\n", p, line)
		if mtime.After(newest) {
			newest = mtime
		}
	}
	for _, f := range in.Files {
		note(f)
	}
	for _, p := range in.Layout {
		line, mtime := Presence(p)
		fmt.Fprintf(h, "layout\x00%s\x00%s\n", p, line)
		if mtime.After(newest) {
			newest = mtime
		}
	}
	skip := map[string]bool{}
	for _, s := range in.Skip {
		skip[s] = true
	}
	for _, d := range in.Dirs {
		err := filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.IsDir() {
				if p != d && (e.Name() == "target" || e.Name() == ".git" || skip[p]) {
					return filepath.SkipDir
				}
				// The walk itself sees entries come and go; a directory's own
				// mtime also moves when the build creates its result link.
				return nil
			}
			if skip[p] || IsResultLink(p) {
				return nil // written by the build itself
			}
			note(p)
			return nil
		})
		if err != nil {
			return "", time.Time{}, fmt.Errorf("fingerprinting %s: %w", d, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), newest, nil
}

// IsResultLink reports whether p is a GC root `nix build` leaves: a symlink
// named result or result-<something> pointing into the Nix store. Such links
// are outputs, never sources.
func IsResultLink(p string) bool {
	name := filepath.Base(p)
	if name != "result" && !strings.HasPrefix(name, "result-") {
		return false
	}
	t, err := os.Readlink(p)
	return err == nil && strings.HasPrefix(t, "/nix/store/")
}

// Identity describes a file by its metadata (size, modification time, mode,
// inode, a symlink's target): any write, rename or replacement changes it.
// mtime is zero for a missing file.
func Identity(p string) (line string, mtime time.Time) {
	fi, err := os.Lstat(p)
	if err != nil {
		return "missing", time.Time{}
	}
	line = fmt.Sprintf("%d %d %o %s", fi.Size(), fi.ModTime().UnixNano(), fi.Mode(), inode(fi))
	if fi.Mode()&fs.ModeSymlink != 0 {
		target, _ := os.Readlink(p)
		line += " -> " + target
	}
	return line, fi.ModTime()
}

// Presence describes what Cargo's target discovery sees of p: "missing", "file",
// or for a directory the sorted names of the directories and .rs files in it
// (a new src/bin/x.rs or examples/y/ changes it; an edit of a file, or a
// temporary file an editor writes, does not). mtime is p's own, zero if missing.
func Presence(p string) (line string, mtime time.Time) {
	fi, err := os.Stat(p)
	if err != nil {
		return "missing", time.Time{}
	}
	if !fi.IsDir() {
		return "file", fi.ModTime()
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return "unreadable", fi.ModTime()
	}
	var names []string
	for _, e := range entries {
		switch {
		case e.IsDir():
			names = append(names, e.Name()+"/")
		case strings.HasSuffix(e.Name(), ".rs"):
			names = append(names, e.Name())
		case e.Type()&fs.ModeSymlink != 0:
			// A link to a directory or a file: Cargo follows it.
			if st, err := os.Stat(filepath.Join(p, e.Name())); err == nil && st.IsDir() {
				names = append(names, e.Name()+"/")
			}
		}
	}
	return "dir " + strings.Join(names, " "), fi.ModTime()
}

// StampPath is where the stamp of a command run in dir lives: the user's cache, so
// nothing is written into the workspace before Cargo tells where its target is.
func StampPath(dir string, args []string) (string, error) {
	return Location("noop", dir, args)
}

// Location names a file of kind (noop, graph) for a command run in dir.
func Location(kind, dir string, args []string) (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%q", dir, args)))
	return filepath.Join(cache, "cargo-nix-unit", kind, hex.EncodeToString(sum[:12])+".json"), nil
}
