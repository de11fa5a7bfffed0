package builder

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
)

// prepareDoc fills rustdoc's output directory with links to the crate
// directories of every documented dependency, so that rustdoc links to their
// pages as it does in Cargo's shared target/doc.
func (b *builder) prepareDoc() error {
	dir := job.DocDir(b.out)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, dep := range depClosure(b.job.Doc.Deps) {
		entries, err := os.ReadDir(job.DocDir(dep))
		if err != nil {
			return fmt.Errorf("documented dependency %s: %w", dep, err)
		}
		for _, e := range entries {
			if !e.IsDir() || e.Name() == "src" {
				continue // only crate directories: rustdoc rewrites the rest
			}
			link := filepath.Join(dir, e.Name())
			if err := os.Symlink(filepath.Join(job.DocDir(dep), e.Name()), link); err != nil && !errors.Is(err, os.ErrExist) {
				return err
			}
		}
	}
	return nil
}

// finishDoc keeps what is the unit's own in rustdoc's output directory: its
// crate's pages and sources, help.html and settings.html. The links to
// dependencies and the cross-crate files rustdoc wrote for this crate alone
// go; the result merges the parts instead. deps/ links the documented
// dependencies, so dependents find them all.
func (b *builder) finishDoc() error {
	dir := job.DocDir(b.out)
	keep := map[string]bool{b.job.Doc.Crate: true, "src": true, "help.html": true, "settings.html": true}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !keep[e.Name()] || e.Type()&os.ModeSymlink != 0 {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	srcs, _ := os.ReadDir(filepath.Join(dir, "src"))
	for _, e := range srcs {
		if e.Name() != b.job.Doc.Crate {
			if err := os.RemoveAll(filepath.Join(dir, "src", e.Name())); err != nil {
				return err
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, b.job.Doc.Crate)); err != nil {
		return fmt.Errorf("rustdoc wrote no pages for %s: %w", b.job.Doc.Crate, err)
	}
	return exportDeps(b.out, b.job.Doc.Deps)
}

// mergeDocs runs rustdoc's final merge of every documented crate's parts:
// the search index, crates.js, src-files.js, trait.impl/, type.impl/ and the
// static files, next to the crates' directories.
func (b *builder) mergeDocs() error {
	d := b.job.DocIndex
	if err := os.MkdirAll(d.Dir, 0o755); err != nil {
		return err
	}
	args := []string{"-Zunstable-options", "--merge=finalize", "-o", d.Dir}
	for _, p := range d.Parts {
		args = append(args, "--include-parts-dir="+p)
	}
	cmd := exec.Command(d.Program, args...)
	cmd.Dir = b.scratch
	cmd.Env = b.envOf(d.Env, nil)
	cmd.Stdout, cmd.Stderr = b.stderr, b.stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("merging the documentation failed (%v)\n  %s", err, commandLine(d.Program, args))
	}
	return nil
}
