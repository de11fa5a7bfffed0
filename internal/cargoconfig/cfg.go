package cargoconfig

import (
	"fmt"
	"strings"
)

// MatchCfg evaluates a target.'cfg(...)' key against `rustc --print cfg` lines
// (`unix`, `target_os="linux"`): all(), any(), not(), names and name = "value".
func MatchCfg(key string, cfg []string) (bool, error) {
	p := &cfgParser{s: key}
	p.space()
	if !p.eat("cfg") || !p.eat("(") {
		return false, fmt.Errorf("not a cfg() expression")
	}
	have := map[string]bool{}
	for _, l := range cfg {
		have[l] = true
	}
	ok, err := p.expr(have)
	if err != nil {
		return false, err
	}
	ok2 := p.eat(")")
	p.space()
	if !ok2 || p.i != len(p.s) {
		return false, fmt.Errorf("unexpected %q at the end", p.s[p.i:])
	}
	return ok, nil
}

type cfgParser struct {
	s string
	i int
}

func (p *cfgParser) space() {
	for p.i < len(p.s) && strings.ContainsRune(" \t\n", rune(p.s[p.i])) {
		p.i++
	}
}

func (p *cfgParser) eat(tok string) bool {
	p.space()
	if strings.HasPrefix(p.s[p.i:], tok) {
		p.i += len(tok)
		return true
	}
	return false
}

func (p *cfgParser) ident() string {
	p.space()
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			p.i++
			continue
		}
		break
	}
	return p.s[start:p.i]
}

func (p *cfgParser) expr(have map[string]bool) (bool, error) {
	name := p.ident()
	if name == "" {
		return false, fmt.Errorf("expected a cfg name at %q", p.s[p.i:])
	}
	switch {
	case (name == "all" || name == "any" || name == "not") && p.eat("("):
		var vals []bool
		for !p.eat(")") {
			v, err := p.expr(have)
			if err != nil {
				return false, err
			}
			vals = append(vals, v)
			if !p.eat(",") {
				if !p.eat(")") {
					return false, fmt.Errorf("expected ',' or ')' at %q", p.s[p.i:])
				}
				break
			}
		}
		switch name {
		case "not":
			if len(vals) != 1 {
				return false, fmt.Errorf("not() takes one predicate")
			}
			return !vals[0], nil
		case "all":
			for _, v := range vals {
				if !v {
					return false, nil
				}
			}
			return true, nil
		}
		for _, v := range vals {
			if v {
				return true, nil
			}
		}
		return false, nil
	case p.eat("="):
		p.space()
		if !p.eat(`"`) {
			return false, fmt.Errorf("expected a quoted value after %s =", name)
		}
		end := strings.IndexByte(p.s[p.i:], '"')
		if end < 0 {
			return false, fmt.Errorf("unterminated string")
		}
		val := p.s[p.i : p.i+end]
		p.i += end + 1
		return have[name+`="`+val+`"`], nil
	}
	return have[name], nil
}
