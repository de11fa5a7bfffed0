package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

var completionsCommand = &cli.Command{
	Name:      "completions",
	Usage:     "print a shell completion script for cargo-nix-unit: bash, zsh or fish",
	ArgsUsage: "bash|zsh|fish",
	Description: `Examples:
   cargo-nix-unit completions bash > ~/.local/share/bash-completion/completions/cargo-nix-unit
   cargo-nix-unit completions zsh > "${fpath[1]}/_cargo-nix-unit"
   cargo-nix-unit completions fish > ~/.config/fish/completions/cargo-nix-unit.fish`,
	Action: func(c *cli.Context) error {
		var script string
		switch shell := c.Args().First(); shell {
		case "bash":
			script = bashCompletion
		case "zsh":
			script = zshCompletion
		case "fish":
			s, err := c.App.ToFishCompletion()
			if err != nil {
				return err
			}
			script = s
		default:
			return fmt.Errorf("completions %q: want bash, zsh or fish", shell)
		}
		_, err := fmt.Fprint(c.App.Writer, script)
		return err
	},
}

// The bash and zsh scripts ask the program itself (urfave/cli's
// --generate-bash-completion), so they always match its commands and flags.
const bashCompletion = `# bash completion for cargo-nix-unit
_cargo_nix_unit() {
  local cur="${COMP_WORDS[COMP_CWORD]}" opts
  if [[ "$cur" == -* ]]; then
    opts=$("${COMP_WORDS[@]:0:COMP_CWORD}" "$cur" --generate-bash-completion 2>/dev/null)
  else
    opts=$("${COMP_WORDS[@]:0:COMP_CWORD}" --generate-bash-completion 2>/dev/null)
  fi
  COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -o bashdefault -o default -F _cargo_nix_unit cargo-nix-unit
`

const zshCompletion = `#compdef cargo-nix-unit
_cargo_nix_unit() {
  local -a opts
  local cur="${words[CURRENT]}"
  if [[ "$cur" == -* ]]; then
    opts=("${(@f)$(${words[@]:0:$CURRENT-1} $cur --generate-bash-completion 2>/dev/null)}")
  else
    opts=("${(@f)$(${words[@]:0:$CURRENT-1} --generate-bash-completion 2>/dev/null)}")
  fi
  if [[ -n "${opts[*]}" ]]; then
    compadd -a opts
  else
    _files
  fi
}
compdef _cargo_nix_unit cargo-nix-unit
`
