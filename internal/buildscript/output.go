package buildscript

import (
	"encoding/json"
	"fmt"
	"os"
)

// Output is one build script run's parsed output (cargo: core/compiler/custom_build.rs,
// BuildOutput). It is written as JSON next to OUT_DIR; the field names are stable.
// Every list keeps the order of the script's lines.
type Output struct {
	LinkSearch []string  `json:"linkSearch,omitempty"` // rustc -L values as given: "native=/p", "/p", "dependency=/p"
	LinkLibs   []string  `json:"linkLibs,omitempty"`   // rustc -l values
	LinkArgs   []LinkArg `json:"linkArgs,omitempty"`
	Cfgs       []string  `json:"cfgs,omitempty"`      // --cfg values: `foo` or `foo="bar"`
	CheckCfgs  []string  `json:"checkCfgs,omitempty"` // --check-cfg values
	Env        []EnvVar  `json:"env,omitempty"`       // rustc-env; a later pair overrides an earlier one
	Metadata   []EnvVar  `json:"metadata,omitempty"`  // cargo::metadata=K=V and legacy cargo:K=V, for DEP_<LINKS>_<K>
	Warnings   []string  `json:"warnings,omitempty"`  // cargo::warning=, and Cargo's own warnings about the output
	Errors     []string  `json:"errors,omitempty"`    // cargo::error=
	// Fail is set when a line of stdout began with exactly `cargo::error=`: Cargo
	// then fails the run once the script exits, shows only the messages it saw
	// while streaming (Warnings and Errors hold those, untrimmed) and parses nothing
	// else (cargo: custom_build.rs, build_work). An error line with leading
	// whitespace is parsed and shown but does not fail the run.
	Fail              bool     `json:"fail,omitempty"`
	RerunIfChanged    []string `json:"rerunIfChanged,omitempty"`
	RerunIfEnvChanged []string `json:"rerunIfEnvChanged,omitempty"`
}

// LinkArg is a linker argument and the targets it is for (cargo: custom_build.rs,
// LinkArgTarget).
type LinkArg struct {
	// Only is "" (every target), "bin=NAME", "bins", "tests", "examples",
	// "benches" or "cdylib".
	Only string `json:"only,omitempty"`
	Arg  string `json:"arg"`
}

// EnvVar is one KEY=VALUE pair.
type EnvVar struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// The values of LinkArg.Only.
const (
	OnlyAll      = ""
	OnlyCdylib   = "cdylib"
	OnlyBins     = "bins"
	OnlyTests    = "tests"
	OnlyBenches  = "benches"
	OnlyExamples = "examples"
	onlyBinPfx   = "bin=" // followed by the bin's name
)

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

// Write saves o as indented JSON.
func (o *Output) Write(path string) error {
	b, err := json.MarshalIndent(o, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding build script output: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing build script output: %w", err)
	}
	return nil
}
