package builder

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/buildscript"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
)

// Main runs the job described by the environment Nix gives the builder.
func Main(getenv func(string) string, stderr io.Writer) error {
	out := getenv("out")
	if out == "" {
		return errors.New("no $out: cargo-nix-unit-builder runs inside a Nix derivation")
	}
	enc := getenv(job.EnvVar)
	if path := getenv(job.EnvVar + "Path"); path != "" {
		// passAsFile: a large job comes as a file (see derivation.passAsFileOver).
		b, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("reading the job: %w", err)
		}
		enc = string(b)
	}
	j, err := job.Decode(enc, out)
	if err != nil {
		return err
	}
	scratch := getenv("NIX_BUILD_TOP")
	if scratch == "" {
		scratch = os.TempDir()
	}
	b := &builder{job: j, out: out, scratch: scratch, stderr: stderr, getenv: getenv}
	start := time.Now()
	if err := b.run(); err != nil {
		return fmt.Errorf("%s: %w", j.Unit, err)
	}
	total := time.Since(start)
	t, _ := json.Marshal(job.Timings{"setup": (total - b.runTime - b.outputTime).Seconds(),
		"run": b.runTime.Seconds(), "output": b.outputTime.Seconds()})
	fmt.Fprintf(stderr, "%s%s\n", job.TimingsPrefix, t)
	return nil
}

type builder struct {
	job     *job.Job
	out     string
	scratch string
	stderr  io.Writer
	getenv  func(string) string
	// runTime is how long the program (rustc, a build script) ran; outputTime
	// how long putting its output in place took.
	runTime, outputTime time.Duration
}

func (b *builder) run() error {
	for _, l := range b.job.Links {
		if err := link(filepath.Join(b.scratch, l.Path), l); err != nil {
			return err
		}
	}
	switch b.job.Action {
	case job.Rustc, job.Rustdoc:
		return b.rustc()
	case job.RunBuildScript:
		return b.runBuildScript()
	case job.Collect:
		return b.collect()
	case job.Override:
		return b.override()
	case job.RunTest:
		return b.runTest()
	case job.UnpackCrate:
		return b.unpackCrate()
	case job.Plan:
		return b.plan()
	case job.Instantiate:
		return b.instantiate()
	}
	return fmt.Errorf("unknown action %q", b.job.Action)
}

// link creates l at p: one symlink, or with Entries a directory of them.
func link(p string, l job.Link) error {
	if !l.Entries {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.Symlink(l.Target, p)
	}
	if err := os.MkdirAll(p, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(l.Target)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.Symlink(filepath.Join(l.Target, e.Name()), filepath.Join(p, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// env is the job's environment plus what the sandbox provides for scratch space.
func (b *builder) env(extra map[string]string) []string { return b.envOf(b.job.Env, extra) }

// envOf is base plus the sandbox's scratch space and extra.
func (b *builder) envOf(base, extra map[string]string) []string {
	m := map[string]string{}
	for k, v := range base {
		m[k] = v
	}
	for _, k := range []string{"TMPDIR", "TMP", "TEMP", "TEMPDIR", "HOME", "NIX_BUILD_TOP"} {
		if v := b.getenv(k); v != "" {
			m[k] = v
		}
	}
	for k, v := range extra {
		m[k] = v
	}
	env := make([]string, 0, len(m))
	for k, v := range m {
		env = append(env, k+"="+v)
	}
	sort.Strings(env)
	return env
}

func (b *builder) dir() string {
	if b.job.Dir == "" || filepath.IsAbs(b.job.Dir) {
		return b.job.Dir
	}
	return filepath.Join(b.scratch, b.job.Dir)
}

func (b *builder) rustc() error {
	var own *buildscript.Run
	var recv buildscript.Receiver
	if o := b.job.Own; o != nil {
		out, err := buildscript.Read(job.DirectivesFile(o.Run))
		if err != nil {
			return err
		}
		own, recv = &buildscript.Run{Output: out, OutDir: job.OutDir(o.Run)}, o.Receiver
	}
	var deps []buildscript.Run
	for _, run := range b.job.LinkSearch {
		out, err := buildscript.Read(job.DirectivesFile(run))
		if err != nil {
			return err
		}
		deps = append(deps, buildscript.Run{Output: out, OutDir: job.OutDir(run)})
	}
	extra, env := buildscript.Args(own, recv, deps)
	args := append(append([]string{}, b.job.Args...), extra...)
	extraEnv := map[string]string{}
	for _, e := range env {
		extraEnv[e.Key] = e.Value
	}
	for i, a := range args {
		if a == "--out-dir" && i+1 < len(args) {
			if err := os.MkdirAll(args[i+1], 0o755); err != nil {
				return err
			}
		}
	}
	if b.job.Doc != nil {
		if err := b.prepareDoc(); err != nil {
			return err
		}
	}
	diag, err := b.compile(args, extraEnv)
	if err != nil {
		diag.replay()
		return err
	}
	if b.job.Doc != nil {
		if err := b.finishDoc(); err != nil {
			return err
		}
	}
	defer func(start time.Time) { b.outputTime = time.Since(start) }(time.Now())
	for _, r := range b.job.Rename {
		if err := os.MkdirAll(filepath.Dir(r.To), 0o755); err != nil {
			return err
		}
		if err := os.Rename(r.From, r.To); err != nil {
			return err
		}
	}
	if err := removeDepInfo(b.out); err != nil {
		return err
	}
	if b.job.Incremental != "" {
		if err := normalizeArchives(args); err != nil {
			return err
		}
	}
	if b.job.ExportDeps {
		if err := exportDeps(b.out, b.job.DepSearch); err != nil {
			return err
		}
	}
	return diag.save(job.DiagnosticsFile(b.out))
}

// depClosure lists the outputs reached from direct through deps/ links,
// direct ones included, sorted.
func depClosure(direct []string) []string {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(out string) {
		if seen[out] {
			return
		}
		seen[out] = true
		entries, _ := os.ReadDir(job.DepsDir(out))
		for _, e := range entries {
			if target, err := os.Readlink(filepath.Join(job.DepsDir(out), e.Name())); err == nil {
				walk(target)
			}
		}
	}
	for _, d := range direct {
		walk(d)
	}
	outs := make([]string, 0, len(seen))
	for o := range seen {
		outs = append(outs, o)
	}
	sort.Strings(outs)
	return outs
}

// exportDeps links a library's direct library dependencies into its output:
// its dependents reach the whole closure through them, and Nix keeps them as
// references of this output.
func exportDeps(out string, direct []string) error {
	if len(direct) == 0 {
		return nil
	}
	dir := job.DepsDir(out)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, d := range direct {
		if err := os.Symlink(d, filepath.Join(dir, filepath.Base(d))); err != nil {
			return err
		}
	}
	return nil
}

// removeDepInfo deletes rustc's .d files: Nix tracks inputs itself, and they only
// add references from the output to the sources.
func removeDepInfo(out string) error {
	return filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".d") {
			return os.Remove(p)
		}
		return err
	})
}

func (b *builder) runBuildScript() error {
	outDir := job.OutDir(b.out)
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	extra := map[string]string{}
	for _, dm := range b.job.DepMetadata {
		o, err := buildscript.Read(job.DirectivesFile(dm.Run))
		if err != nil {
			return err
		}
		for _, e := range o.DepEnv(dm.Links) {
			extra[e.Key] = e.Value
		}
	}
	jobs := b.getenv("NIX_BUILD_CORES")
	if jobs == "" || jobs == "0" {
		jobs = "1"
	}
	extra["NUM_JOBS"] = jobs
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(b.job.Program)
	cmd.Dir = b.dir()
	cmd.Env = b.env(extra)
	cmd.Stdout = &stdout
	cmd.Stderr = io.MultiWriter(&stderr, b.stderr)
	runStart := time.Now()
	runErr := cmd.Run()
	b.runTime = time.Since(runStart)
	defer func(start time.Time) { b.outputTime = time.Since(start) }(time.Now())
	if err := os.WriteFile(filepath.Join(b.out, "output"), stdout.Bytes(), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(b.out, "stderr"), stderr.Bytes(), 0o644); err != nil {
		return err
	}
	if runErr != nil {
		status := runErr.Error()
		var ee *exec.ExitError
		if errors.As(runErr, &ee) && ee.ExitCode() >= 0 {
			status = fmt.Sprintf("exit status: %d", ee.ExitCode())
		}
		msg := fmt.Sprintf("failed to run custom build command: process didn't exit successfully: `%s` (%s)", b.job.Program, status)
		if stdout.Len() > 0 {
			msg += "\n--- stdout\n" + stdout.String()
		}
		return errors.New(msg)
	}
	opts := buildscript.Options{}
	if b.job.BuildScript != nil {
		opts = *b.job.BuildScript
	}
	o, err := buildscript.Parse(bytes.NewReader(stdout.Bytes()), opts)
	if err != nil {
		return fmt.Errorf("build script output: %w", err)
	}
	pkg := b.job.Env["CARGO_PKG_NAME"] + "@" + b.job.Env["CARGO_PKG_VERSION"]
	for _, w := range o.Warnings {
		fmt.Fprintf(b.stderr, "warning: %s: %s\n", pkg, w)
	}
	for _, e := range o.Errors {
		fmt.Fprintf(b.stderr, "error: %s: %s\n", pkg, e)
	}
	if o.Fail {
		return fmt.Errorf("the build script of %s reported errors (cargo::error)", pkg)
	}
	return o.Write(job.DirectivesFile(b.out))
}

// override stands in for a build script that Cargo's configuration replaces:
// its directives, an empty OUT_DIR and no output.
func (b *builder) override() error {
	if b.job.Output == nil {
		return errors.New("override job without output")
	}
	if err := os.MkdirAll(job.OutDir(b.out), 0o755); err != nil {
		return err
	}
	for _, f := range []string{"output", "stderr"} {
		if err := os.WriteFile(filepath.Join(b.out, f), nil, 0o644); err != nil {
			return err
		}
	}
	return b.job.Output.Write(job.DirectivesFile(b.out))
}

func (b *builder) collect() error {
	for _, c := range b.job.Copy {
		if _, err := os.Stat(c.From); c.Optional && errors.Is(err, os.ErrNotExist) {
			continue
		}
		if c.Link {
			if err := os.MkdirAll(filepath.Dir(c.To), 0o755); err != nil {
				return err
			}
			if err := os.Symlink(c.From, c.To); err != nil {
				return err
			}
			continue
		}
		if err := copyFile(c.From, c.To); err != nil {
			return err
		}
	}
	if b.job.DocIndex != nil {
		if err := b.mergeDocs(); err != nil {
			return err
		}
	}
	return os.MkdirAll(b.out, 0o755)
}

func copyFile(from, to string) error {
	fi, err := os.Stat(from)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	return os.WriteFile(to, data, fi.Mode().Perm())
}

func commandLine(prog string, args []string) string {
	q := make([]string, 0, len(args)+1)
	for _, a := range append([]string{prog}, args...) {
		if strings.ContainsAny(a, " \"'\\$") {
			a = fmt.Sprintf("%q", a)
		}
		q = append(q, a)
	}
	return strings.Join(q, " ")
}

// diagnostics renders rustc's JSON messages as the text Cargo would print, and
// keeps the warnings so a cached unit can show them again.
type diagnostics struct {
	w        io.Writer
	buf      bytes.Buffer
	warnings int
	rendered strings.Builder
	messages []json.RawMessage // rustc's JSON of each diagnostic kept
	// incrementalError: rustc reported an error about its incremental state.
	incrementalError bool
}

func (d *diagnostics) Write(p []byte) (int, error) {
	d.buf.Write(p)
	for {
		line, err := d.buf.ReadBytes('\n')
		if err != nil {
			d.buf.Write(line) // incomplete line: keep for later
			return len(p), nil
		}
		d.line(line)
	}
}

func (d *diagnostics) flush() {
	if d.buf.Len() > 0 {
		d.line(d.buf.Bytes())
		d.buf.Reset()
	}
}

// summaryRe matches rustc's closing counts, which Cargo replaces by its own line.
var summaryRe = regexp.MustCompile(`^(\d+ warnings? emitted|aborting due to .*)$`)

func (d *diagnostics) line(line []byte) {
	var msg struct {
		Type     string            `json:"$message_type"`
		Message  string            `json:"message"`
		Level    string            `json:"level"`
		Spans    []json.RawMessage `json:"spans"`
		Rendered string            `json:"rendered"`
	}
	if len(line) > 0 && line[0] == '{' && json.Unmarshal(line, &msg) == nil {
		if msg.Type == "diagnostic" && msg.Rendered != "" {
			// With colours, as on a terminal: the CLI strips them when its
			// output is not one.
			io.WriteString(d.w, msg.Rendered)
			if msg.Level == "error" && strings.Contains(msg.Message, "incremental") {
				d.incrementalError = true
			}
			if len(msg.Spans) > 0 || !summaryRe.MatchString(msg.Message) {
				if msg.Level == "warning" {
					d.warnings++
				}
				d.rendered.WriteString(msg.Rendered)
				d.messages = append(d.messages, json.RawMessage(bytes.TrimSpace(line)))
			}
		}
		return
	}
	w := bufio.NewWriter(d.w)
	w.Write(line)
	w.Flush()
}

// replay prints each diagnostic's JSON once more, after a failure: the
// failed unit keeps no output, and its log is how the CLI gets them for
// Cargo's compiler-message (job.DiagnosticPrefix).
func (d *diagnostics) replay() {
	for _, m := range d.messages {
		fmt.Fprintf(d.w, "%s%s\n", job.DiagnosticPrefix, m)
	}
}

// save writes the diagnostics of a unit that warned; a silent unit gets no file.
func (d *diagnostics) save(path string) error {
	if d.rendered.Len() == 0 {
		return nil
	}
	b, err := json.Marshal(job.Diagnostics{Warnings: d.warnings, Rendered: d.rendered.String(), Messages: d.messages})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
