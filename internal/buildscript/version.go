package buildscript

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// rustVersion is a package's rust-version: major[.minor[.patch]] (cargo:
// cargo-util-schemas manifest/rust_version.rs, RustVersion).
type rustVersion struct {
	text                string
	major, minor, patch uint64 // missing parts are 0
}

// parseRustVersion accepts what Cargo accepts in rust-version; nil for "".
func parseRustVersion(s string) (*rustVersion, error) {
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ".")
	if len(parts) > 3 {
		return nil, fmt.Errorf("invalid rust-version %q", s)
	}
	var nums [3]uint64
	for i, part := range parts {
		if part == "" || strings.TrimLeft(part, "0123456789") != "" || (len(part) > 1 && part[0] == '0') {
			return nil, fmt.Errorf("invalid rust-version %q", s)
		}
		n, err := strconv.ParseUint(part, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("invalid rust-version %q: %w", s, err)
		}
		nums[i] = n
	}
	return &rustVersion{text: s, major: nums[0], minor: nums[1], patch: nums[2]}, nil
}

// checkNewSyntax refuses `cargo::` when the rust-version predates it. Cargo asks
// whether 1.77.0 "is compatible with" the rust-version, i.e. whether the
// rust-version matches ^1.77.0 with missing parts as 0, so "1", "1.76.9" and also
// "2" are refused (cargo: custom_build.rs,
// check_minimum_supported_rust_version_for_new_syntax; RustVersion::is_compatible_with).
func (p *parser) checkNewSyntax(data string) error {
	v := p.msrv
	if v == nil || (v.major == 1 && v.minor >= 77) {
		return nil
	}
	hint := ""
	if hasReservedPrefix(data) {
		hint = fmt.Sprintf("\nswitch to the old `cargo:%s` syntax (note the single colon)", data)
	} else if kv, ok := strings.CutPrefix(data, "metadata="); ok {
		hint = fmt.Sprintf("\nswitch to the old `cargo:%s` syntax instead of `cargo::%s` (note the single colon)", kv, data)
	}
	return fmt.Errorf("the `cargo::` syntax for build script output instructions was added in Rust 1.77.0, "+
		"but the minimum supported Rust version of `%s` is %s%s", p.opts.PackageName, v.text, hint)
}

// lossyUTF8 is Rust's String::from_utf8_lossy: each maximal prefix of a valid
// sequence that is cut short, or each other invalid byte, becomes one U+FFFD.
func lossyUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r != utf8.RuneError || size > 1 {
			sb.Write(b[:size])
			b = b[size:]
			continue
		}
		sb.WriteRune(utf8.RuneError)
		b = b[invalidPrefix(b):]
	}
	return sb.String()
}

// invalidPrefix is the length of the maximal subpart at the start of b, which does
// not begin with a valid sequence (Unicode §3.9, as Rust's Utf8Chunks).
func invalidPrefix(b []byte) int {
	c := b[0]
	var need int
	lo, hi := byte(0x80), byte(0xBF)
	switch {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		need, lo = 2, 0xA0
	case c >= 0xE1 && c <= 0xEC, c == 0xEE, c == 0xEF:
		need = 2
	case c == 0xED:
		need, hi = 2, 0x9F
	case c == 0xF0:
		need, lo = 3, 0x90
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	case c == 0xF4:
		need, hi = 3, 0x8F
	default:
		return 1
	}
	n := 1
	for i := 1; i <= need && i < len(b); i++ {
		if b[i] < lo || b[i] > hi {
			break
		}
		lo, hi = 0x80, 0xBF
		n++
	}
	return n
}
