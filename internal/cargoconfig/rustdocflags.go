package cargoconfig

import "strings"

// Rustdocflags returns the flags Cargo adds to every rustdoc call from the
// environment: CARGO_ENCODED_RUSTDOCFLAGS (split on 0x1f), else RUSTDOCFLAGS
// (split on spaces), as for rustflags (cargo: build_context/target_info.rs,
// extra_args). build.rustdocflags and target.<triple>.rustdocflags are not read.
func Rustdocflags(lookup func(string) (string, bool)) []string {
	if v, ok := lookup("CARGO_ENCODED_RUSTDOCFLAGS"); ok {
		if v == "" {
			return nil
		}
		return strings.Split(v, "\x1f")
	}
	v, _ := lookup("RUSTDOCFLAGS")
	if f := strings.Fields(v); len(f) > 0 {
		return f
	}
	return nil
}
