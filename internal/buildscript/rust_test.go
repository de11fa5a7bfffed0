package buildscript

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// rustUnicode prints, for every char that is white space or changes in upper
// case, "HEX UPPER-HEX,... WS"; then, for each argument (hex bytes), "L " and
// the hex of String::from_utf8_lossy.
const rustUnicode = `fn main() {
    for cp in 0u32..=0x10FFFF {
        if let Some(c) = char::from_u32(cp) {
            let u: Vec<char> = c.to_uppercase().collect();
            if c.is_whitespace() || u != [c] {
                let hex: Vec<String> = u.iter().map(|x| format!("{:X}", *x as u32)).collect();
                println!("{:X} {} {}", cp, hex.join(","), c.is_whitespace() as u8);
            }
        }
    }
    for arg in std::env::args().skip(1) {
        let bytes: Vec<u8> = (0..arg.len()).step_by(2).map(|i| u8::from_str_radix(&arg[i..i + 2], 16).unwrap()).collect();
        let s = String::from_utf8_lossy(&bytes);
        println!("L {}", s.bytes().map(|b| format!("{:02x}", b)).collect::<String>());
    }
}
`

// TestRustUnicode compares envify (and so rustUpper), the white space Parse trims
// and lossyUTF8 with what rustc's standard library does.
func TestRustUnicode(t *testing.T) {
	rustc := needTool(t, "rustc")
	dir := t.TempDir()
	src, bin := filepath.Join(dir, "u.rs"), filepath.Join(dir, "u")
	writeFiles(t, dir, map[string]string{"u.rs": rustUnicode})
	if out, err := exec.Command(rustc, "-O", "-o", bin, src).CombinedOutput(); err != nil {
		t.Fatalf("rustc: %v\n%s", err, out)
	}
	lossyInputs := []string{"ok", "\xff", "\xe2\x82", "\xe2\x82\xe2\x82\xac", "\xe0\x80", "\xe0\xa0", "\xed\xa0\x80", "\xed\x9f\xbf",
		"\xf0\x8f\xbf\xbf", "\xf0\x90\x80", "\xf4\x90\x80\x80", "\xf4\x8f\xbf\xbf\xf5", "\xc0\xaf", "\xc2", "a\xc2b\xf1\x80\x80", "\x80\xbf\xfe"}
	args := make([]string, len(lossyInputs))
	for i, in := range lossyInputs {
		args[i] = hex.EncodeToString([]byte(in))
	}
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		t.Fatal(err)
	}
	upper, space := map[rune]string{}, map[rune]bool{}
	var lossy []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if f[0] == "L" {
			b, _ := hex.DecodeString(f[1])
			lossy = append(lossy, string(b))
			continue
		}
		cp, _ := strconv.ParseUint(f[0], 16, 32)
		var u []rune
		for _, h := range strings.Split(f[1], ",") {
			v, _ := strconv.ParseUint(h, 16, 32)
			u = append(u, rune(v))
		}
		upper[rune(cp)], space[rune(cp)] = string(u), f[2] == "1"
	}
	bad := 0
	for r := rune(0); r <= unicode.MaxRune && bad < 10; r++ {
		if r >= 0xD800 && r <= 0xDFFF || r == '-' {
			continue
		}
		want, ok := upper[r]
		if !ok {
			want = string(r)
		}
		if got := envify(string(r)); got != want {
			t.Errorf("envify(%U) = %q, Rust's to_uppercase gives %q", r, got, want)
			bad++
		}
		if unicode.IsSpace(r) != space[r] {
			t.Errorf("unicode.IsSpace(%U) = %v, Rust's is_whitespace %v", r, unicode.IsSpace(r), space[r])
			bad++
		}
	}
	if len(lossy) != len(lossyInputs) {
		t.Fatalf("got %d lossy results for %d inputs", len(lossy), len(lossyInputs))
	}
	for i, in := range lossyInputs {
		if got := lossyUTF8([]byte(in)); got != lossy[i] {
			t.Errorf("lossyUTF8(%q) = %q, Rust gives %q", in, got, lossy[i])
		}
	}
}
