package builder

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// plan runs `cargo nix-unit plan` (Program, Args) with the fetched crates on
// its standard input, writing the plan file to the output: the flake's
// derivation for a workspace without a plan file, read by
// import-from-derivation. The workspace is first copied (Copy: the store
// path to a directory of the scratch space named as the user's checkout, as
// the name of a workspace's result follows it), and Dir is that copy.
// Cargo's home and the tool's caches are scratch too.
func (b *builder) plan() error {
	for _, c := range b.job.Copy {
		if err := copyTree(c.From, filepath.Join(b.scratch, c.To)); err != nil {
			return fmt.Errorf("copying %s: %w", c.From, err)
		}
	}
	cmd := exec.Command(b.job.Program, b.job.Args...)
	cmd.Dir = b.dir()
	cmd.Env = b.env(map[string]string{
		"CARGO_HOME":     filepath.Join(b.scratch, "cargo-home"),
		"XDG_CACHE_HOME": filepath.Join(b.scratch, "cache"),
	})
	cmd.Stdin = strings.NewReader(b.job.Stdin)
	cmd.Stdout, cmd.Stderr = b.stderr, b.stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", b.job.Program, err)
	}
	return nil
}

// copyTree copies the directory from to to, writable: files with their
// executable bit, directories and symlinks.
func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(dst, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, dst)
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, fi.Mode().Perm()|0o200)
	})
}

// instantiate runs nix-instantiate (Program, Args) inside a recursive-Nix
// build, which adds the derivations it instantiates to the store, and writes
// the .drv it prints to the output: the flake's derivation producing the
// result's derivation (dynamic derivations).
func (b *builder) instantiate() error {
	cmd := exec.Command(b.job.Program, b.job.Args...)
	cmd.Env = b.env(map[string]string{
		"NIX_REMOTE":     b.getenv("NIX_REMOTE"),
		"XDG_CACHE_HOME": filepath.Join(b.scratch, "cache"),
	})
	cmd.Stderr = b.stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("%s: %w", b.job.Program, err)
	}
	lines := strings.Fields(string(out))
	if len(lines) == 0 {
		return fmt.Errorf("%s printed no derivation", b.job.Program)
	}
	drv, err := os.ReadFile(lines[len(lines)-1])
	if err != nil {
		return err
	}
	return os.WriteFile(b.out, drv, 0o444)
}
