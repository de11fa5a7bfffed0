package aterm

import (
	"errors"
	"fmt"
	"strings"

	nixdrv "github.com/nix-community/go-nix/pkg/derivation"
)

// Parse reads a derivation in Nix's ATerm (derivations.cc, parseDerivation),
// unescaping every string as Nix's parseString does (\n \r \t, and \c for any
// other c). Dynamic-derivation ATerms (DrvWithVersion) are not supported.
func Parse(b []byte) (*nixdrv.Derivation, error) {
	p := &parser{s: string(b)}
	d, err := p.derivation()
	if err != nil {
		return nil, fmt.Errorf("parsing derivation at byte %d: %w", p.i, err)
	}
	if p.i != len(p.s) {
		return nil, fmt.Errorf("parsing derivation: %d bytes after the end", len(p.s)-p.i)
	}
	return d, nil
}

type parser struct {
	s string
	i int
}

func (p *parser) derivation() (*nixdrv.Derivation, error) {
	d := &nixdrv.Derivation{
		Outputs:          map[string]*nixdrv.Output{},
		InputDerivations: map[string][]string{},
		InputSources:     []string{},
		Arguments:        []string{},
		Env:              map[string]string{},
	}
	if strings.HasPrefix(p.s, "DrvWithVersion(") {
		return nil, errors.New("dynamic-derivation ATerm (DrvWithVersion) is not supported")
	}
	if err := p.expect("Derive("); err != nil {
		return nil, err
	}
	err := p.list(func() error {
		var f [4]string
		if err := p.tuple(f[:]); err != nil {
			return err
		}
		d.Outputs[f[0]] = &nixdrv.Output{Path: f[1], HashAlgorithm: f[2], Hash: f[3]}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("outputs: %w", err)
	}
	if err := p.expect(","); err != nil {
		return nil, err
	}
	err = p.list(func() error {
		if err := p.expect("("); err != nil {
			return err
		}
		path, err := p.str()
		if err != nil {
			return err
		}
		if err := p.expect(","); err != nil {
			return err
		}
		outs, err := p.strings()
		if err != nil {
			return err
		}
		d.InputDerivations[path] = outs
		return p.expect(")")
	})
	if err != nil {
		return nil, fmt.Errorf("input derivations: %w", err)
	}
	if err := p.expect(","); err != nil {
		return nil, err
	}
	if d.InputSources, err = p.strings(); err != nil {
		return nil, fmt.Errorf("input sources: %w", err)
	}
	for _, f := range []*string{&d.Platform, &d.Builder} {
		if err := p.expect(","); err != nil {
			return nil, err
		}
		if *f, err = p.str(); err != nil {
			return nil, err
		}
	}
	if err := p.expect(","); err != nil {
		return nil, err
	}
	if d.Arguments, err = p.strings(); err != nil {
		return nil, fmt.Errorf("arguments: %w", err)
	}
	if err := p.expect(","); err != nil {
		return nil, err
	}
	err = p.list(func() error {
		var kv [2]string
		if err := p.tuple(kv[:]); err != nil {
			return err
		}
		d.Env[kv[0]] = kv[1]
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("environment: %w", err)
	}
	return d, p.expect(")")
}

// list reads "[" item ("," item)* "]".
func (p *parser) list(item func() error) error {
	if err := p.expect("["); err != nil {
		return err
	}
	for i := 0; ; i++ {
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			return nil
		}
		if i > 0 {
			if err := p.expect(","); err != nil {
				return err
			}
		}
		if err := item(); err != nil {
			return err
		}
	}
}

func (p *parser) strings() ([]string, error) {
	xs := []string{}
	err := p.list(func() error {
		s, err := p.str()
		xs = append(xs, s)
		return err
	})
	return xs, err
}

// tuple reads "(" string ("," string)* ")" into f.
func (p *parser) tuple(f []string) error {
	if err := p.expect("("); err != nil {
		return err
	}
	for i := range f {
		if i > 0 {
			if err := p.expect(","); err != nil {
				return err
			}
		}
		var err error
		if f[i], err = p.str(); err != nil {
			return err
		}
	}
	return p.expect(")")
}

// str reads a quoted string as Nix's parseString does.
func (p *parser) str() (string, error) {
	if err := p.expect(`"`); err != nil {
		return "", err
	}
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		switch c {
		case '"':
			return b.String(), nil
		case '\\':
			if p.i == len(p.s) {
				return "", errors.New("unterminated string")
			}
			c = p.s[p.i]
			p.i++
			switch c {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			}
		}
		b.WriteByte(c)
	}
	return "", errors.New("unterminated string")
}

func (p *parser) expect(tok string) error {
	if !strings.HasPrefix(p.s[p.i:], tok) {
		rest := p.s[p.i:]
		if len(rest) > 20 {
			rest = rest[:20] + "…"
		}
		return fmt.Errorf("expected %q, found %q", tok, rest)
	}
	p.i += len(tok)
	return nil
}
