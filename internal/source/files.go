package source

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/nix-community/go-nix/pkg/nar"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/aterm"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/cache"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/run"
)

// Tree is a package directory and the files of it that go into the store.
type Tree struct {
	Dir   string   // absolute
	Name  string   // store path name
	Files []string // relative to Dir, slash-separated, sorted; regular files and symlinks
	Path  string   // the store path Nix gives this tree
	// NarHash is the NAR hash of the tree (SRI, sha256-…): a fixed-output
	// derivation with this recursive hash and Name has Path as its output.
	NarHash string

	cache *cache.HashCache // nil: hash every time
}

// Select lists the files of the package in dir that belong in the store: what git
// would track (so ignored files, .git and target/ stay out), never .env files or
// .cargo/credentials(.toml), and nothing of packages nested below dir, which have
// their own sources.
func Select(ctx context.Context, dir, name string) (*Tree, error) {
	return new(Lister).Select(ctx, dir, name)
}

// Lister selects the sources of many packages, asking git once per repository
// instead of once per package. It is safe for concurrent use.
type Lister struct {
	Cache *cache.HashCache // remembers tree hashes across runs; nil hashes every time
	// Unpacked says the directories are crates Cargo unpacked or a directory
	// source holds: the files Cargo adds to them stay out (addedByCargo).
	Unpacked bool
	// Exclude are absolute paths that never enter a source, nor anything below
	// them: what the tool and Cargo write (the target directory wherever it is
	// configured, the result link, the tool's cache).
	Exclude []string

	mu    sync.Mutex
	repos map[string]*repoFiles // git top-level directory → its files
}

type repoFiles struct {
	once  sync.Once
	files []string // relative to the top level, slash-separated
	err   error
}

// Select is the package-level Select, sharing git's answers.
func (l *Lister) Select(ctx context.Context, dir, name string) (*Tree, error) {
	skip := excludedBelow(dir, l.Exclude)
	files, err := l.gitFiles(ctx, dir)
	if err != nil || len(files) == 0 {
		// Not in a git work tree, or a directory git ignores as a whole.
		files, err = walkFiles(dir, skip)
	}
	if err != nil {
		return nil, fmt.Errorf("listing sources of %s: %w", dir, err)
	}
	nested := map[string]bool{}
	for _, f := range files {
		if d := filepath.Dir(f); d != "." && filepath.Base(f) == "Cargo.toml" {
			nested[d] = true
		}
	}
	var keep []string
	for _, f := range files {
		if excluded(f, nested) || below(f, skip) || l.Unpacked && addedByCargo[f] {
			continue
		}
		fi, err := os.Lstat(filepath.Join(dir, f))
		if err != nil || !(fi.Mode().IsRegular() || fi.Mode()&fs.ModeSymlink != 0) {
			continue // deleted but still in git's index, or not a file
		}
		if cache.IsResultLink(filepath.Join(dir, f)) {
			continue // an earlier `nix build`'s GC root, whatever git says
		}
		keep = append(keep, f)
	}
	sort.Strings(keep)
	t := &Tree{Dir: dir, Name: name, Files: keep, cache: l.Cache}
	if err := t.hash(); err != nil {
		return nil, fmt.Errorf("hashing sources of %s: %w", dir, err)
	}
	return t, nil
}

func excluded(f string, nested map[string]bool) bool {
	parts := strings.Split(f, "/")
	// The plan file (cargo nix-unit plan) describes the sources: it is not one.
	if parts[0] == "target" || f == "nix-unit.json" {
		return true
	}
	for i, p := range parts {
		if p == ".git" || (i == len(parts)-1 && strings.HasPrefix(p, ".env")) {
			return true
		}
		// Cargo's registry tokens (cargo: util/context, credentials file).
		if i == len(parts)-2 && p == ".cargo" && (parts[i+1] == "credentials" || parts[i+1] == "credentials.toml") {
			return true
		}
		if i < len(parts)-1 && nested[strings.Join(parts[:i+1], "/")] {
			return true
		}
	}
	return false
}

// gitFiles lists what git tracks or would track (untracked, not ignored) below
// dir; nil when dir is not in a git work tree.
func (l *Lister) gitFiles(ctx context.Context, dir string) ([]string, error) {
	top := gitTop(dir)
	if top == "" {
		return nil, nil
	}
	l.mu.Lock()
	if l.repos == nil {
		l.repos = map[string]*repoFiles{}
	}
	r := l.repos[top]
	if r == nil {
		r = &repoFiles{}
		l.repos[top] = r
	}
	l.mu.Unlock()
	r.once.Do(func() { r.files, r.err = lsFiles(ctx, top) })
	if r.err != nil {
		return nil, r.err
	}
	rel, err := filepath.Rel(top, dir)
	if err != nil {
		return nil, err
	}
	prefix := filepath.ToSlash(rel) + "/"
	if rel == "." {
		prefix = ""
	}
	var files []string
	for _, f := range r.files {
		if strings.HasPrefix(f, prefix) {
			files = append(files, f[len(prefix):])
		}
	}
	return files, nil
}

// gitTop finds the work tree holding dir by looking for .git upwards, without
// starting git: most registry packages are in none.
func gitTop(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if d == filepath.Dir(d) {
			return ""
		}
	}
}

func lsFiles(ctx context.Context, top string) ([]string, error) {
	out, err := run.Output(ctx, run.Cmd{Dir: top, Args: []string{"git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"}})
	if err != nil {
		return nil, err
	}
	var files []string
	for _, f := range bytes.Split(out, []byte{0}) {
		if len(f) > 0 {
			files = append(files, string(f))
		}
	}
	return files, nil
}

// excludedBelow returns the paths of exclude inside dir, relative to it and
// slash-separated. Both sides are compared as given and with symlinks
// resolved, since Cargo may name the target directory either way.
func excludedBelow(dir string, exclude []string) []string {
	var rels []string
	realDir, _ := filepath.EvalSymlinks(dir)
	for _, e := range exclude {
		realE, _ := filepath.EvalSymlinks(e)
		for _, pair := range [][2]string{{dir, e}, {realDir, realE}} {
			if pair[0] == "" || pair[1] == "" {
				continue
			}
			rel, err := filepath.Rel(pair[0], pair[1])
			if err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, "../") {
				rels = append(rels, filepath.ToSlash(rel))
			}
		}
	}
	return rels
}

// below reports whether f is one of paths or inside one of them.
func below(f string, paths []string) bool {
	for _, p := range paths {
		if f == p || strings.HasPrefix(f, p+"/") {
			return true
		}
	}
	return false
}

func walkFiles(dir string, skip []string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			if rel == "target" || d.Name() == ".git" || below(filepath.ToSlash(rel), skip) {
				return filepath.SkipDir
			}
			return nil
		}
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	return files, err
}

// hash computes the NAR hash of the selected files and the store path
// `nix store add-path` gives them.
func (t *Tree) hash() error {
	sum, err := t.cache.Lookup("tree", t.Dir, t.Files, t.narHash)
	if err != nil {
		return err
	}
	t.Path = aterm.StorePathForSource(sum, t.Name)
	t.NarHash = "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
	return nil
}

// narHash is the SHA-256 of the NAR of the selected files.
func (t *Tree) narHash() ([32]byte, error) {
	var sum [32]byte
	keep := map[string]bool{t.Dir: true}
	for _, f := range t.Files {
		p := filepath.Join(t.Dir, f)
		for ; p != t.Dir && !keep[p]; p = filepath.Dir(p) {
			keep[p] = true
		}
	}
	h := sha256.New()
	if err := nar.DumpPathFilter(h, t.Dir, func(p string, _ nar.NodeType) bool { return keep[filepath.Clean(p)] }); err != nil {
		return sum, err
	}
	copy(sum[:], h.Sum(nil))
	return sum, nil
}

// Stage copies the selected files into a new directory below tmp, for `nix store add-path`.
func (t *Tree) Stage(tmp string) (string, error) {
	root, err := os.MkdirTemp(tmp, "src-")
	if err != nil {
		return "", err
	}
	root = filepath.Join(root, t.Name)
	if err := os.Mkdir(root, 0o755); err != nil {
		return "", err
	}
	for _, f := range t.Files {
		from, to := filepath.Join(t.Dir, f), filepath.Join(root, f)
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return "", err
		}
		fi, err := os.Lstat(from)
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(from)
			if err != nil {
				return "", err
			}
			if err := os.Symlink(target, to); err != nil {
				return "", err
			}
			continue
		}
		// A hard link costs nothing whatever the size (a toolchain is 600 MB);
		// the store reads the file and the staged name goes away afterwards.
		if os.Link(from, to) == nil {
			continue
		}
		if err := copyFile(from, to, fi.Mode().Perm()); err != nil {
			return "", err
		}
	}
	return root, nil
}

func copyFile(from, to string, perm fs.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// NewTree is the tree of the given files below dir (relative, slash-separated),
// with its store path; cache remembers the hash by the files' identity (nil:
// hash every time). For trees selected by other rules than a package's.
func NewTree(dir, name string, files []string, hashes *cache.HashCache) (*Tree, error) {
	t := &Tree{Dir: dir, Name: name, Files: append([]string(nil), files...), cache: hashes}
	sort.Strings(t.Files)
	if err := t.hash(); err != nil {
		return nil, fmt.Errorf("hashing %s: %w", dir, err)
	}
	return t, nil
}
