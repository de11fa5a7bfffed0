package buildscript

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Options describe the package whose build script ran: what Cargo consults while
// parsing its output (cargo: core/compiler/custom_build.rs, build_work and
// BuildOutput::parse).
type Options struct {
	PackageName string `json:"package"`               // for messages
	RustVersion string `json:"rustVersion,omitempty"` // the package's rust-version, "" if unset
	// Targets are all the package's targets (cargo: Package::targets). Nil skips
	// the checks that rustc-link-arg-{bin,bins,tests,benches,examples} name
	// existing targets and the warning for rustc-link-arg-cdylib without a cdylib.
	Targets []TargetInfo `json:"targets,omitempty"`
	// Nightly is set when Cargo allows nightly features: a nightly or dev
	// toolchain. RUSTC_BOOTSTRAP=1 in RustcBootstrap counts as well.
	Nightly bool `json:"nightly,omitempty"`
	// RustcBootstrap is RUSTC_BOOTSTRAP in Cargo's own environment. It turns a
	// script's rustc-env=RUSTC_BOOTSTRAP into a warning when it is "1" or lists the
	// package's lib crate name.
	RustcBootstrap string `json:"rustcBootstrap,omitempty"`
}

// Directives whose legacy `cargo:KEY=` form is not metadata (cargo: custom_build.rs,
// RESERVED_PREFIXES). No new key may join this list.
var reservedPrefixes = []string{
	"rustc-flags=", "rustc-link-lib=", "rustc-link-search=", "rustc-link-arg-cdylib=",
	"rustc-cdylib-link-arg=", "rustc-link-arg-bins=", "rustc-link-arg-bin=",
	"rustc-link-arg-tests=", "rustc-link-arg-benches=", "rustc-link-arg-examples=",
	"rustc-link-arg=", "rustc-cfg=", "rustc-check-cfg=", "rustc-env=", "warning=",
	"rerun-if-changed=", "rerun-if-env-changed=",
}

// Parse reads a build script's stdout as Cargo does (cargo: custom_build.rs,
// BuildOutput::parse): lines split at '\n'; a line that is not valid UTF-8 is
// skipped; each line is trimmed of Unicode white space at both ends; lines not
// starting with `cargo:` are ignored. Errors name the line number and the line.
// If a line begins with exactly `cargo::error=`, the result has Fail set and
// holds only the streamed messages (see Output.Fail), with no parse error.
func Parse(r io.Reader, opts Options) (*Output, error) {
	msrv, err := parseRustVersion(opts.RustVersion)
	if err != nil {
		return nil, err
	}
	p := &parser{opts: opts, msrv: msrv, out: &Output{}}
	var streamed Output
	var parseErr error
	br := bufio.NewReader(r)
	for n := 1; ; n++ {
		raw, rerr := br.ReadBytes('\n')
		if rerr != nil && rerr != io.EOF {
			return nil, fmt.Errorf("reading build script output: %w", rerr)
		}
		if len(raw) > 0 {
			line, terminated := bytes.CutSuffix(raw, []byte("\n"))
			stream(&streamed, line, terminated)
			if parseErr == nil && utf8.Valid(line) {
				text := strings.TrimFunc(string(line), unicode.IsSpace)
				if err := p.line(text); err != nil {
					parseErr = fmt.Errorf("line %d: `%s`: %w", n, text, err)
				}
			}
		}
		if rerr == io.EOF {
			break
		}
	}
	if streamed.Fail {
		return &streamed, nil
	}
	if parseErr != nil {
		return nil, parseErr
	}
	return p.out, nil
}

// stream records the messages Cargo picks out of stdout as it streams, before
// parsing: lines as Rust's lines() gives them after a lossy UTF-8 conversion, and
// matched with no trimming (cargo: custom_build.rs, build_work).
func stream(o *Output, raw []byte, terminated bool) {
	if !bytes.HasPrefix(raw, []byte("cargo:")) {
		return
	}
	if terminated {
		raw = bytes.TrimSuffix(raw, []byte("\r"))
	}
	line := lossyUTF8(raw)
	if msg, ok := strings.CutPrefix(line, "cargo::error="); ok {
		o.Errors = append(o.Errors, msg)
		o.Fail = true
	}
	if msg, ok := strings.CutPrefix(line, "cargo:warning="); ok {
		o.Warnings = append(o.Warnings, msg)
	} else if msg, ok := strings.CutPrefix(line, "cargo::warning="); ok {
		o.Warnings = append(o.Warnings, msg)
	}
}

type parser struct {
	opts Options
	msrv *rustVersion
	out  *Output
}

// line parses one trimmed, valid UTF-8 line.
func (p *parser) line(line string) error {
	var key, value, syntax string
	if data, ok := strings.CutPrefix(line, "cargo::"); ok {
		syntax = "cargo::"
		if err := p.checkNewSyntax(data); err != nil {
			return err
		}
		k, v, ok := strings.Cut(data, "=")
		if !ok {
			return errors.New("expected a line with `cargo::KEY=VALUE` with an `=` character, but none was found")
		}
		key, value = k, trimEnd(v)
	} else if data, ok := strings.CutPrefix(line, "cargo:"); ok {
		syntax = "cargo:"
		if hasReservedPrefix(data) {
			k, v, _ := strings.Cut(data, "=")
			key, value = k, trimEnd(v)
		} else {
			key, value = "metadata", data // `cargo:KEY=VALUE` with any other key
		}
	} else {
		return nil
	}
	return p.directive(syntax, key, value)
}

func (p *parser) directive(syntax, key, value string) error {
	o := p.out
	linkArg := func(only, arg string) error {
		if p.opts.Targets != nil {
			if err := checkLinkArgTarget(only, p.opts.Targets); err != nil {
				return err
			}
		}
		o.LinkArgs = append(o.LinkArgs, LinkArg{Only: only, Arg: arg})
		return nil
	}
	switch key {
	case "rustc-flags":
		return p.rustcFlags(value)
	case "rustc-link-lib":
		o.LinkLibs = append(o.LinkLibs, value)
	case "rustc-link-search":
		o.LinkSearch = append(o.LinkSearch, value)
	case "rustc-link-arg-cdylib", "rustc-cdylib-link-arg":
		if w, ok := cdylibWarning(syntax, key, p.opts.PackageName, p.opts.Targets); ok {
			o.Warnings = append(o.Warnings, w)
		}
		return linkArg(OnlyCdylib, value)
	case "rustc-link-arg-bins":
		return linkArg(OnlyBins, value)
	case "rustc-link-arg-bin":
		bin, arg, ok := strings.Cut(value, "=")
		if !ok {
			return fmt.Errorf("invalid instruction `%s%s=%s`: the instruction should have the form %s%s=BIN=ARG", syntax, key, value, syntax, key)
		}
		if bin == "" && p.opts.Targets == nil {
			return errors.New("invalid instruction `rustc-link-arg-bin`: the package does not have a bin target with the name ``")
		}
		return linkArg(onlyBinPfx+bin, arg)
	case "rustc-link-arg-tests":
		return linkArg(OnlyTests, value)
	case "rustc-link-arg-benches":
		return linkArg(OnlyBenches, value)
	case "rustc-link-arg-examples":
		return linkArg(OnlyExamples, value)
	case "rustc-link-arg":
		return linkArg(OnlyAll, value)
	case "rustc-cfg":
		o.Cfgs = append(o.Cfgs, value)
	case "rustc-check-cfg":
		o.CheckCfgs = append(o.CheckCfgs, value)
	case "rustc-env":
		return p.rustcEnv(value)
	case "error":
		o.Errors = append(o.Errors, value)
	case "warning":
		o.Warnings = append(o.Warnings, value)
	case "rerun-if-changed":
		o.RerunIfChanged = append(o.RerunIfChanged, value)
	case "rerun-if-env-changed":
		o.RerunIfEnvChanged = append(o.RerunIfEnvChanged, value)
	case "metadata":
		k, v, ok := strings.Cut(value, "=")
		if !ok {
			want := "cargo::metadata=KEY=VALUE"
			if syntax == "cargo:" {
				want = "cargo:KEY=VALUE"
			}
			return fmt.Errorf("expected a line with `%s` with an `=` character, but none was found", want)
		}
		o.Metadata = append(o.Metadata, EnvVar{k, trimEnd(v)})
	default:
		return fmt.Errorf("unknown key `%s`; custom metadata needs `cargo::metadata=KEY=VALUE`", key)
	}
	return nil
}

// rustcFlags accepts only -l and -L, with the value attached or as the next word
// (cargo: custom_build.rs, BuildOutput::parse_rustc_flags).
func (p *parser) rustcFlags(value string) error {
	words := strings.FieldsFunc(value, unicode.IsSpace)
	for i := 0; i < len(words); i++ {
		w := words[i]
		if !strings.HasPrefix(w, "-l") && !strings.HasPrefix(w, "-L") {
			return fmt.Errorf("only `-l` and `-L` flags are allowed in rustc-flags: `%s`", value)
		}
		flag, arg := w[:2], w[2:]
		if arg == "" {
			if i+1 == len(words) {
				return fmt.Errorf("flag `%s` in rustc-flags has no value", flag)
			}
			i++
			arg = words[i]
		}
		if flag == "-l" {
			p.out.LinkLibs = append(p.out.LinkLibs, arg)
		} else {
			p.out.LinkSearch = append(p.out.LinkSearch, arg)
		}
	}
	return nil
}

// rustcEnv handles rustc-env=KEY=VALUE; a script may not set RUSTC_BOOTSTRAP
// unless Cargo allows nightly features or the user opted in (cargo issue 7088).
func (p *parser) rustcEnv(value string) error {
	k, v, ok := strings.Cut(value, "=")
	if !ok {
		return fmt.Errorf("variable rustc-env has no value: %s", value)
	}
	if k != "RUSTC_BOOTSTRAP" {
		p.out.Env = append(p.out.Env, EnvVar{k, v})
		return nil
	}
	lib := libCrateName(p.opts.Targets)
	const note = "note: crates cannot set `RUSTC_BOOTSTRAP` themselves, as doing so would subvert the stability guarantees of Rust for your project."
	if p.opts.Nightly || p.opts.RustcBootstrap == "1" || (lib != "" && listed(p.opts.RustcBootstrap, lib)) {
		p.out.Warnings = append(p.out.Warnings, fmt.Sprintf("cannot set `RUSTC_BOOTSTRAP=%s` from build script of `%s`.\n%s", v, p.opts.PackageName, note))
		return nil
	}
	if lib == "" {
		lib = "1"
	}
	return fmt.Errorf("cannot set `RUSTC_BOOTSTRAP=%s` from the build script.\n%s\nhelp: If you're sure you want to do this in your project, set the environment variable `RUSTC_BOOTSTRAP=%s` before running cargo instead", v, note, lib)
}

func listed(commaList, name string) bool {
	for s := range strings.SplitSeq(commaList, ",") {
		if s == name {
			return true
		}
	}
	return false
}

func hasReservedPrefix(data string) bool {
	for _, p := range reservedPrefixes {
		if strings.HasPrefix(data, p) {
			return true
		}
	}
	return false
}

// trimEnd is Rust's str::trim_end: Unicode White_Space.
func trimEnd(s string) string { return strings.TrimRightFunc(s, unicode.IsSpace) }
