package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/run"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/store"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/toolchain"
)

// Builder is one remote builder of Nix's `builders` setting (nix:
// libstore/machines.cc): URI, systems, SSH key, max jobs, speed factor,
// supported and mandatory features, host key; "-" leaves a field at its default.
type Builder struct {
	URI       string
	Systems   []string // empty: this machine's system
	SSHKey    string
	Supported []string
	HostKey   string // base64 public host key
}

// ParseBuilders reads a `builders` value: specs separated by newlines or
// ';', fields by whitespace, `#` starting a comment. An `@FILE` entry is read
// through readFile; a missing file is no builders, as for Nix (Nix's default
// is @/etc/nix/machines).
func ParseBuilders(spec string, readFile func(string) ([]byte, error)) ([]Builder, error) {
	var out []Builder
	for _, line := range strings.FieldsFunc(spec, func(r rune) bool { return r == '\n' || r == ';' }) {
		line, _, _ = strings.Cut(line, "#")
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if file, ok := strings.CutPrefix(f[0], "@"); ok && len(f) == 1 {
			b, err := readFile(file)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			} else if err != nil {
				return nil, fmt.Errorf("builders: %w", err)
			}
			more, err := ParseBuilders(string(b), readFile)
			if err != nil {
				return nil, err
			}
			out = append(out, more...)
			continue
		}
		field := func(k int) string {
			if k < len(f) && f[k] != "-" {
				return f[k]
			}
			return ""
		}
		list := func(k int) []string {
			if v := field(k); v != "" {
				return strings.Split(v, ",")
			}
			return nil
		}
		out = append(out, Builder{URI: f[0], Systems: list(1), SSHKey: field(2), Supported: list(5), HostKey: field(7)})
	}
	return out, nil
}

// StoreURI is the store Nix opens for the builder: the SSH key and host key
// of the spec become store parameters, as Nix does (machines.cc, openStore).
func (b Builder) StoreURI() string {
	u, err := url.Parse(b.URI)
	if err != nil || (u.Scheme != "ssh" && u.Scheme != "ssh-ng") {
		return b.URI
	}
	add := func(k, v string) string {
		if v == "" || u.Query().Has(k) {
			return ""
		}
		return k + "=" + v
	}
	var params []string
	for _, p := range []string{add("ssh-key", b.SSHKey), add("base64-ssh-public-host-key", b.HostKey)} {
		if p != "" {
			params = append(params, p)
		}
	}
	if len(params) == 0 {
		return b.URI
	}
	sep := "?"
	if strings.Contains(b.URI, "?") {
		sep = "&"
	}
	return b.URI + sep + strings.Join(params, "&")
}

// builderTimeout bounds how long one builder may take to answer.
const builderTimeout = 60 * time.Second

// builders checks each remote builder Nix is configured with (nix.conf's
// builders, or --builders): that it answers (nix store info), which Nix it
// runs and whether it trusts this user, that it takes this machine's system,
// that it declares and accepts ca-derivations, and what a host toolchain
// needs on it. No builders: no findings.
func builders(ctx context.Context, nix, system string, ca bool, tc *toolchain.Toolchain) []Finding {
	out, err := run.Output(ctx, run.Cmd{Args: nixArgs(nix, "config", "show", "builders")})
	if err != nil {
		return []Finding{{Note, "builders", "cannot read Nix's builders setting: " + err.Error(), ""}}
	}
	bs, err := ParseBuilders(string(out), os.ReadFile)
	if err != nil {
		return []Finding{{Fail, "builders", err.Error(), "fix the builders setting (nix.conf, or --builders)"}}
	}
	var found []Finding
	for _, b := range bs {
		found = append(found, checkBuilder(ctx, nix, system, ca, tc, b))
	}
	return found
}

func checkBuilder(ctx context.Context, nix, system string, ca bool, tc *toolchain.Toolchain, b Builder) Finding {
	ctx, cancel := context.WithTimeout(ctx, builderTimeout)
	defer cancel()
	uri := b.StoreURI()
	out, err := run.Output(ctx, run.Cmd{Args: nixArgs(nix, "store", "info", "--json", "--store", uri)})
	if err != nil {
		reason := oneLine(err)
		var re *run.Error
		if errors.As(err, &re) && strings.TrimSpace(re.Stderr) != "" {
			reason = strings.Join(strings.Fields(re.Stderr), " ")
		}
		return Finding{Fail, "builder", fmt.Sprintf("%s does not answer: %s", b.URI, reason),
			"check that `ssh` reaches it as the user who builds (NIX_SSHOPTS, ~/.ssh/config, the key in the spec's 3rd field) and that nix-daemon is on its PATH"}
	}
	var info struct {
		Version string `json:"version"`
		Trusted *int   `json:"trusted"`
	}
	json.Unmarshal(out, &info)
	detail := b.URI + ": Nix " + info.Version
	if info.Trusted != nil && *info.Trusted == 1 {
		detail += ", trusted"
	}
	systems := b.Systems
	if len(systems) == 0 {
		systems = []string{system}
	}
	detail += ", systems " + strings.Join(systems, ",")
	var missing, fixes []string
	if !slices.Contains(systems, system) {
		missing = append(missing, "it does not take "+system+" builds")
		fixes = append(fixes, "list "+system+" in the spec's 2nd field, or build on a machine of its system")
	}
	if ca {
		if !slices.Contains(b.Supported, "ca-derivations") {
			missing = append(missing, "it does not declare the ca-derivations feature, so content-addressed units never go to it")
			fixes = append(fixes, "add ca-derivations to the spec's 6th field (supported features)")
		}
		rst := &store.CLI{Nix: nix, Store: uri}
		if v, err := store.NewCLI(ctx, nix); err == nil {
			rst.Version = v.Version
		}
		if ok, err := store.ProbeCA(ctx, rst, system, strconv.FormatInt(time.Now().UnixNano(), 36)); err != nil {
			missing = append(missing, "registering a test derivation there failed: "+oneLine(err))
		} else if !ok {
			missing = append(missing, "its Nix rejects content-addressed derivations")
			fixes = append(fixes, "add `experimental-features = nix-command ca-derivations` to its nix.conf")
		} else {
			detail += ", accepts ca-derivations"
		}
	}
	if tc != nil && !tc.InStore {
		what := "the toolchain is on this host"
		if len(tc.HostSpecific()) == 0 {
			what = "the linker and system libraries are on this host"
		}
		fixes = append(fixes, what+": the builder needs them at the same paths, and `extra-sandbox-paths = "+
			strings.Join(tc.SandboxPaths, " ")+"` in its own nix.conf (Nix passes no settings to ssh-ng builders)")
	}
	if len(missing) > 0 {
		return Finding{Fail, "builder", detail + "; " + strings.Join(missing, "; "), strings.Join(fixes, "; ")}
	}
	if len(fixes) > 0 {
		return Finding{Note, "builder", detail, strings.Join(fixes, "; ")}
	}
	return Finding{OK, "builder", detail, ""}
}

// oneLine is an error's text on one line: a failed ssh says why on later lines.
func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }
