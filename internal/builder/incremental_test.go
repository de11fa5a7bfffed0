package builder

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/testtool"
)

// crateFixture compiles one crate through the builder, as a derivation would.
type crateFixture struct {
	t     *testing.T
	rustc string
	src   string   // the crate's directory
	state string   // the persistent incremental directory the job names
	typ   string   // crate type
	deps  []string // outputs of dependencies, each with lib/libdep-<hash>.rlib
}

func newCrateFixture(t *testing.T, typ string) *crateFixture {
	testtool.Require(t, "rustc")
	rustc, err := exec.LookPath("rustc")
	if err != nil {
		t.Fatal(err)
	}
	f := &crateFixture{t: t, rustc: rustc, src: t.TempDir(), state: filepath.Join(t.TempDir(), "units", "fix-0123456789abcdef"), typ: typ}
	if err := os.MkdirAll(f.state, 0o755); err != nil {
		t.Fatal(err)
	}
	return f
}

// write sets the crate's source: n functions, the i-th returning i*factor.
func (f *crateFixture) write(factor int) {
	var b strings.Builder
	for i := 0; i < 40; i++ {
		b.WriteString("pub mod m" + itoa(i) + " { pub fn value() -> u64 { " + itoa(i) + " * " + itoa(factor) + " } }\n")
	}
	b.WriteString("pub fn total() -> u64 { 0")
	for i := 0; i < 40; i++ {
		b.WriteString(" + m" + itoa(i) + "::value()")
	}
	b.WriteString(" }\n")
	if f.typ == "bin" && len(f.deps) > 0 {
		b.WriteString("fn main() { println!(\"{}\", total() + dep::value()); }\n")
	} else if f.typ == "bin" {
		b.WriteString("fn main() { println!(\"{}\", total()); }\n")
	}
	if err := os.WriteFile(filepath.Join(f.src, "lib.rs"), []byte(b.String()), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// build runs the builder on a fresh output and returns it and what it printed.
func (f *crateFixture) build() (string, string) {
	f.t.Helper()
	out, log, err := f.tryBuild()
	if err != nil {
		f.t.Fatalf("builder: %v\n%s", err, log)
	}
	return out, log
}

// tryBuild is build for a build that may fail.
func (f *crateFixture) tryBuild() (string, string, error) {
	f.t.Helper()
	out := filepath.Join(f.t.TempDir(), "out")
	args := []string{"--crate-name", "fix", "--edition=2021", "lib.rs", "--error-format=json",
		"--json=diagnostic-rendered-ansi,artifacts,future-incompat", "--crate-type", f.typ,
		"--emit=dep-info,link", "-C", "debuginfo=2", "-C", "metadata=0123456789abcdef",
		"-C", "extra-filename=-0123456789abcdef", "--out-dir", job.Self + "/lib",
		"-C", "incremental=" + f.state}
	at := len(args)
	for _, d := range f.deps {
		args = append(args, "--extern", "dep="+filepath.Join(d, "lib", "libdep-fedcba9876543210.rlib"))
	}
	j := &job.Job{Unit: "fix", Action: job.Rustc, Program: f.rustc, Args: args, Dir: f.src,
		Env: map[string]string{"PATH": os.Getenv("PATH")}, Incremental: f.state,
		DepSearch: f.deps, DepSearchAt: at}
	enc, err := j.Encode()
	if err != nil {
		f.t.Fatal(err)
	}
	// The sandbox's build directory has the same path in every build (/build).
	top := filepath.Join(f.src, "..", "build-top")
	os.RemoveAll(top)
	os.Mkdir(top, 0o755)
	env := map[string]string{"out": out, job.EnvVar: enc, "NIX_BUILD_TOP": top}
	var log syncBuffer
	err = Main(func(k string) string { return env[k] }, &log)
	return out, log.String(), err
}

// syncBuffer collects what rustc's stdout and stderr copiers write at once.
// (A bytes.Buffer would not do: os/exec fills it through ReadFrom, which
// drops what another goroutine wrote in the meantime.)
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (f *crateFixture) artifact(out string) string {
	if f.typ == "bin" {
		return filepath.Join(out, "lib", "fix-0123456789abcdef")
	}
	return filepath.Join(out, "lib", "libfix-0123456789abcdef.rlib")
}

func sum(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// An rlib compiled with warm incremental state is byte for byte the rlib a
// compile from scratch gives, and so are the outputs of two compiles from
// scratch: a content-addressed unit keeps one store path per source.
func TestIncrementalOutputIsReproducible(t *testing.T) {
	f := newCrateFixture(t, "rlib")
	f.write(3)
	first, _ := f.build()
	f.write(5)
	f.build()
	f.write(3)
	warm, log := f.build()
	if strings.Contains(log, "note:") {
		t.Errorf("a warm build printed a note:\n%s", log)
	}
	if a, b := sum(t, f.artifact(first)), sum(t, f.artifact(warm)); a != b {
		t.Errorf("the rlib of a warm incremental compile differs from the first one's")
	}
	// Without the persistent directory (no mount, as on CI): scratch space.
	os.RemoveAll(f.state)
	cold, log := f.build()
	if strings.Contains(log, "note:") {
		t.Errorf("a build without the directory printed a note:\n%s", log)
	}
	if a, b := sum(t, f.artifact(first)), sum(t, f.artifact(cold)); a != b {
		t.Errorf("the rlib of a compile without state differs from the one with state")
	}
	names, err := archiveNames(mustOpen(t, f.artifact(cold)))
	if err != nil {
		t.Fatal(err)
	}
	objects := 0
	for _, n := range names {
		if strings.HasSuffix(n.name, ".rcgu.o") {
			objects++
			if !strings.HasSuffix(n.name, ".0000000.rcgu.o") {
				t.Errorf("member %q keeps its random part", n.name)
			}
		}
	}
	if objects < 2 {
		t.Errorf("%d object files in the rlib, want one per codegen unit", objects)
	}
}

func mustOpen(t *testing.T, path string) io.ReaderAt {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b)
}

// A damaged, foreign or busy incremental directory gives a compile from
// scratch whose output is right, never a failure.
func TestIncrementalStateFaults(t *testing.T) {
	f := newCrateFixture(t, "bin")
	f.write(3)
	out, _ := f.build()
	want := sum(t, f.artifact(out))
	run := func(out string) string {
		b, err := exec.Command(f.artifact(out)).Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(b))
	}
	if got := run(out); got != "2340" {
		t.Fatalf("the binary prints %s, want 2340", got)
	}

	// Garbage in the object files rustc keeps: rustc itself would reuse them,
	// since its dependency graph says they are up to date.
	filepath.Walk(f.state, func(p string, fi os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".o") {
			os.WriteFile(p, []byte("garbage"), 0o644)
		}
		return nil
	})
	out, log := f.build()
	if !strings.Contains(log, "is not as the last build left it") {
		t.Errorf("no note about the damaged state:\n%s", log)
		t.Log(run(out))
	}
	if got := run(out); got != "2340" {
		t.Errorf("after damaging the state the binary prints %s, want 2340", got)
	}
	f.write(5)
	if out, _ := f.build(); run(out) != "3900" {
		t.Errorf("after an edit the binary prints %s, want 3900", run(out))
	}

	// Another build holds the lock: this one compiles in scratch space.
	f.write(3)
	lock, err := os.OpenFile(filepath.Join(f.state, stateLock), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	out, log = f.build()
	lock.Close()
	if !strings.Contains(log, "another build of this unit is using it") {
		t.Errorf("no note about the busy state:\n%s", log)
	}
	if got := sum(t, f.artifact(out)); got != want {
		t.Error("the binary built while the state was busy differs from the first")
	}

	// Not a directory.
	os.RemoveAll(f.state)
	os.WriteFile(f.state, []byte("x"), 0o644)
	out, log = f.build()
	if !strings.Contains(log, "not a directory") || sum(t, f.artifact(out)) != want {
		t.Errorf("a file instead of the directory: log\n%s", log)
	}

	// A directory of another user (a build user of a multi-user daemon would
	// see the user's directory so): only root can make one here.
	if os.Getuid() == 0 {
		os.Remove(f.state)
		os.Mkdir(f.state, 0o777)
		os.Chown(f.state, 12345, 12345)
		out, log = f.build()
		if !strings.Contains(log, "owned by uid 12345") || sum(t, f.artifact(out)) != want {
			t.Errorf("a foreign directory: log\n%s", log)
		}
		if entries, _ := os.ReadDir(f.state); len(entries) != 0 {
			t.Errorf("the build wrote into a foreign directory: %v", entries)
		}
	}
}

// dependency compiles a library crate into a new directory laid out as a
// unit's output (lib/libdep-<hash>.rlib), as a rebuilt dependency gets a new
// store path.
func (f *crateFixture) dependency(value int) string {
	f.t.Helper()
	out := filepath.Join(f.t.TempDir(), "dep-out")
	src := filepath.Join(f.t.TempDir(), "dep.rs")
	os.WriteFile(src, []byte("pub fn value() -> u64 { "+strconv.Itoa(value)+" }\n"), 0o644)
	cmd := exec.Command(f.rustc, "--crate-name", "dep", "--edition=2021", src, "--crate-type", "rlib",
		"-C", "debuginfo=2", "-C", "metadata=fedcba9876543210", "-C", "extra-filename=-fedcba9876543210",
		"--out-dir", filepath.Join(out, "lib"))
	if b, err := cmd.CombinedOutput(); err != nil {
		f.t.Fatalf("compiling the dependency: %v\n%s", err, b)
	}
	return out
}

// The state is reused although the dependency and the output directory are
// at new paths, as they are after every rebuild in the store (rustc would
// generate every codegen unit again otherwise). Proof: the object files in the
// state are garbled, with the builder's stamp saying it left them so, and the
// next compile links them.
func TestIncrementalReuseAcrossPaths(t *testing.T) {
	f := newCrateFixture(t, "bin")
	f.deps = []string{f.dependency(1)}
	f.write(3)
	out, _ := f.build()
	if b, err := exec.Command(f.artifact(out)).Output(); err != nil || strings.TrimSpace(string(b)) != "2341" {
		t.Fatalf("the binary prints %q (%v), want 2341", b, err)
	}
	garbled := 0
	filepath.Walk(filepath.Join(f.state, "rustc"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".o") {
			os.WriteFile(p, []byte("garbage"), 0o644)
			garbled++
		}
		return nil
	})
	if garbled < 10 {
		t.Fatalf("%d object files in the state, want one per module", garbled)
	}
	fp, err := fingerprint(f.state)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(f.state, stateStamp), []byte(fp+"\n"), 0o644)
	f.deps = []string{f.dependency(2)} // rebuilt: a new path and new content
	_, log, err := f.tryBuild()
	if err == nil || !strings.Contains(log, "linking with") {
		t.Errorf("the compile after the dependency moved did not reuse the state's object files (err %v):\n%s", err, log)
	}
}
