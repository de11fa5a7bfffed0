package buildscript

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Output is one build script run's parsed output (cargo: custom_build.rs, BuildOutput).
type Output struct {
	LinkSearch        []string  `json:"linkSearch,omitempty"` // rustc -L values as given: "native=/p", "/p"
	LinkLibs          []string  `json:"linkLibs,omitempty"`   // rustc -l values
	LinkArgs          []LinkArg `json:"linkArgs,omitempty"`
	Cfgs              []string  `json:"cfgs,omitempty"`      // --cfg values
	CheckCfgs         []string  `json:"checkCfgs,omitempty"` // --check-cfg values
	Env               []EnvVar  `json:"env,omitempty"`       // rustc-env
	Metadata          []EnvVar  `json:"metadata,omitempty"`  // for DEP_<LINKS>_<KEY>
	Warnings          []string  `json:"warnings,omitempty"`
	Errors            []string  `json:"errors,omitempty"`
	RerunIfChanged    []string  `json:"rerunIfChanged,omitempty"`
	RerunIfEnvChanged []string  `json:"rerunIfEnvChanged,omitempty"`
}

// LinkArg is a linker argument and the targets it is for: "" (all), "bin=NAME",
// "bins", "tests", "examples", "benches" or "cdylib".
type LinkArg struct {
	Only string `json:"only,omitempty"`
	Arg  string `json:"arg"`
}

// EnvVar is one KEY=VALUE pair.
type EnvVar struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Options describe the package whose build script ran.
type Options struct {
	PackageName string `json:"package"`
	RustVersion string `json:"rustVersion,omitempty"` // the package's rust-version, "" if unset
}

// Parse reads a build script's stdout. Errors name the line.
func Parse(r io.Reader, opts Options) (*Output, error) {
	o := &Output{}
	br := bufio.NewReader(r)
	for n := 1; ; n++ {
		raw, err := br.ReadString('\n')
		if raw != "" {
			line := strings.TrimRight(raw, "\r\n")
			if perr := o.parseLine(line, opts); perr != nil {
				return nil, fmt.Errorf("line %d: %q: %w", n, line, perr)
			}
		}
		if err == io.EOF {
			return o, nil
		} else if err != nil {
			return nil, err
		}
	}
}

func (o *Output) parseLine(line string, opts Options) error {
	var data string
	newSyntax := false
	switch {
	case strings.HasPrefix(line, "cargo::"):
		data, newSyntax = line[len("cargo::"):], true
		if !allowsNewSyntax(opts.RustVersion) {
			return fmt.Errorf("the `cargo::` syntax for build script output instructions was added in Rust 1.77.0, but the minimum supported Rust version of `%s` is %s", opts.PackageName, opts.RustVersion)
		}
	case strings.HasPrefix(line, "cargo:"):
		data = line[len("cargo:"):]
	default:
		return nil // not a directive: Cargo ignores it
	}
	key, value, ok := strings.Cut(data, "=")
	if !ok {
		return fmt.Errorf("expected a line with `KEY=VALUE` with an `=` character, but none was found")
	}
	value = strings.TrimRight(value, " \t\n\r\v\f")
	switch key {
	case "rustc-flags":
		return o.parseFlags(value)
	case "rustc-link-lib":
		o.LinkLibs = append(o.LinkLibs, value)
	case "rustc-link-search":
		o.LinkSearch = append(o.LinkSearch, value)
	case "rustc-link-arg":
		o.LinkArgs = append(o.LinkArgs, LinkArg{Arg: value})
	case "rustc-link-arg-cdylib", "rustc-cdylib-link-arg":
		o.LinkArgs = append(o.LinkArgs, LinkArg{Only: "cdylib", Arg: value})
	case "rustc-link-arg-bins":
		o.LinkArgs = append(o.LinkArgs, LinkArg{Only: "bins", Arg: value})
	case "rustc-link-arg-tests":
		o.LinkArgs = append(o.LinkArgs, LinkArg{Only: "tests", Arg: value})
	case "rustc-link-arg-benches":
		o.LinkArgs = append(o.LinkArgs, LinkArg{Only: "benches", Arg: value})
	case "rustc-link-arg-examples":
		o.LinkArgs = append(o.LinkArgs, LinkArg{Only: "examples", Arg: value})
	case "rustc-link-arg-bin":
		bin, arg, ok := strings.Cut(value, "=")
		if !ok || bin == "" {
			return fmt.Errorf("rustc-link-arg-bin wants `BIN=ARG`")
		}
		o.LinkArgs = append(o.LinkArgs, LinkArg{Only: "bin=" + bin, Arg: arg})
	case "rustc-cfg":
		o.Cfgs = append(o.Cfgs, value)
	case "rustc-check-cfg":
		o.CheckCfgs = append(o.CheckCfgs, value)
	case "rustc-env":
		k, v, ok := strings.Cut(value, "=")
		if !ok {
			return fmt.Errorf("rustc-env wants `KEY=VALUE`")
		}
		if k == "RUSTC_BOOTSTRAP" {
			return fmt.Errorf("cannot set `RUSTC_BOOTSTRAP=%s` from the build script of `%s`: it would enable unstable features on a stable compiler", v, opts.PackageName)
		}
		o.Env = append(o.Env, EnvVar{k, v})
	case "warning":
		o.Warnings = append(o.Warnings, value)
	case "rerun-if-changed":
		o.RerunIfChanged = append(o.RerunIfChanged, value)
	case "rerun-if-env-changed":
		o.RerunIfEnvChanged = append(o.RerunIfEnvChanged, value)
	case "metadata":
		if !newSyntax {
			o.Metadata = append(o.Metadata, EnvVar{key, value})
			break
		}
		k, v, ok := strings.Cut(value, "=")
		if !ok {
			return fmt.Errorf("metadata wants `KEY=VALUE`")
		}
		o.Metadata = append(o.Metadata, EnvVar{k, v})
	case "error":
		if !newSyntax {
			o.Metadata = append(o.Metadata, EnvVar{key, value})
			break
		}
		o.Errors = append(o.Errors, value)
	default:
		if newSyntax {
			return fmt.Errorf("unknown build script instruction `cargo::%s`; for custom metadata use `cargo::metadata=%s=...`", key, key)
		}
		// Legacy `cargo:KEY=VALUE` with an unknown key is metadata for dependents.
		o.Metadata = append(o.Metadata, EnvVar{key, value})
	}
	return nil
}

// parseFlags accepts the -l and -L flags of `rustc-flags`, with or without a space.
func (o *Output) parseFlags(value string) error {
	fields := strings.Fields(value)
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		var flag, arg string
		switch {
		case f == "-l" || f == "-L":
			if i+1 >= len(fields) {
				return fmt.Errorf("rustc-flags: %s needs a value", f)
			}
			flag, arg = f, fields[i+1]
			i++
		case strings.HasPrefix(f, "-l") || strings.HasPrefix(f, "-L"):
			flag, arg = f[:2], f[2:]
		default:
			return fmt.Errorf("rustc-flags only supports -l and -L, not %q", f)
		}
		if flag == "-l" {
			o.LinkLibs = append(o.LinkLibs, arg)
		} else {
			o.LinkSearch = append(o.LinkSearch, arg)
		}
	}
	return nil
}

// allowsNewSyntax reports whether rust-version permits `cargo::` (1.77 or newer, or unset).
func allowsNewSyntax(rustVersion string) bool {
	if rustVersion == "" {
		return true
	}
	parts := strings.SplitN(rustVersion, ".", 3)
	major, err1 := strconv.Atoi(parts[0])
	minor := 0
	var err2 error
	if len(parts) > 1 {
		minor, err2 = strconv.Atoi(parts[1])
	}
	if err1 != nil || err2 != nil {
		return true
	}
	return major > 1 || (major == 1 && minor >= 77)
}

// Read loads an Output written by Write.
func Read(path string) (*Output, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading build script output: %w", err)
	}
	var o Output
	if err := json.Unmarshal(b, &o); err != nil {
		return nil, fmt.Errorf("reading build script output %s: %w", path, err)
	}
	return &o, nil
}

// Write saves o as JSON.
func (o *Output) Write(path string) error {
	b, err := json.MarshalIndent(o, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
