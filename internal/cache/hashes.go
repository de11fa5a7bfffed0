package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// HashCache remembers the NAR hashes of trees by the identity of their files
// (name, size, modification time, inode, mode): hashing sources is most of
// planning's time, and most sources did not change since the last run.
type HashCache struct {
	path string
	mu   sync.Mutex
	old  map[string]string // identity → hex NAR sha256, as loaded
	used map[string]string // what this run used: the next file holds only these
}

// OpenHashCache loads the cache at path; a missing or broken file is an empty cache.
func OpenHashCache(path string) *HashCache {
	c := &HashCache{path: path, old: map[string]string{}, used: map[string]string{}}
	if b, err := os.ReadFile(path); err == nil {
		json.Unmarshal(b, &c.old)
	}
	return c
}

// Save writes what this run used, atomically, when it differs from what was loaded.
func (c *HashCache) Save() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	same := len(c.used) == len(c.old)
	for k, v := range c.used {
		same = same && c.old[k] == v
	}
	b, err := json.Marshal(c.used)
	c.mu.Unlock()
	if same {
		return nil
	}
	if err != nil {
		return err
	}
	return WriteAtomic(c.path, b)
}

// settle is how recent a change may be for its hash to be remembered: a file
// written again within the file system's timestamp granularity would keep its
// identity with new content.
const settle = 2 * time.Second

// Lookup returns the NAR hash of the files below dir, computing it with hash
// when their identity is new. kind keeps apart trees and single files.
func (c *HashCache) Lookup(kind, dir string, files []string, hash func() ([32]byte, error)) ([32]byte, error) {
	var sum [32]byte
	if c == nil {
		return hash()
	}
	key, recent := identity(kind, dir, files)
	c.mu.Lock()
	hexSum, ok := c.used[key]
	if !ok {
		hexSum, ok = c.old[key]
	}
	c.mu.Unlock()
	if ok {
		if b, err := hex.DecodeString(hexSum); err == nil && len(b) == len(sum) {
			copy(sum[:], b)
			c.remember(key, hexSum)
			return sum, nil
		}
	}
	sum, err := hash()
	if err != nil || recent {
		return sum, err
	}
	c.remember(key, hex.EncodeToString(sum[:]))
	return sum, nil
}

// File returns the NAR hash of one file (the builder), computed by hash when
// the file is new.
func (c *HashCache) File(path string, hash func() ([32]byte, error)) ([32]byte, error) {
	return c.Lookup("file", filepath.Dir(path), []string{filepath.Base(path)}, hash)
}

// Remembered is how many hashes this run would save.
func (c *HashCache) Remembered() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.used)
}

func (c *HashCache) remember(key, hexSum string) {
	c.mu.Lock()
	c.used[key] = hexSum
	c.mu.Unlock()
}

// identity digests the tree's file list and each file's metadata; recent is
// set when a file changed too lately to be trusted.
func identity(kind, dir string, files []string) (key string, recent bool) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", kind, dir)
	sorted := append([]string{}, files...)
	sort.Strings(sorted)
	now := time.Now()
	for _, f := range sorted {
		line, mtime := Identity(filepath.Join(dir, f))
		fmt.Fprintf(h, "%s\x00%s\n", f, line)
		if mtime.IsZero() || now.Sub(mtime) < settle {
			recent = true
		}
	}
	return hex.EncodeToString(h.Sum(nil)), recent
}
