package plan

import (
	"slices"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/derivation"
	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
)

func TestCommand(t *testing.T) {
	ia := &Node{Key: "dep-1.0.0-lib", Drv: &derivation.Drv{Ref: "/nix/store/aaa-dep-1.0.0-lib"}}
	ca := &Node{Key: "mac-1.0.0-proc-macro", Drv: &derivation.Drv{Ref: "/1rz4g4znpzjwh1xymhjpm42vipw92pr73vdgl6xs1hycac8kf2n9"}}
	src := &Source{Name: "app-0.1.0-source", Path: "/nix/store/bbb-app-0.1.0-source"}
	for _, tc := range []struct {
		name string
		n    *Node
		want []string
	}{
		{"refs replaced", &Node{
			Job:    &job.Job{Program: "rustc", Args: []string{"--crate-name", "app", OutRef("dep-1.0.0-lib") + "/lib/libdep.rlib", "--extern", "mac=" + OutRef("mac-1.0.0-proc-macro") + "/lib/libmac.so", SourceRef("app-0.1.0-source") + "/src/main.rs"}},
			Deps:   []*Node{ia, ca},
			Source: src,
		}, []string{"rustc", "--crate-name", "app", "/nix/store/aaa-dep-1.0.0-lib/lib/libdep.rlib", "--extern", "mac=/1rz4g4znpzjwh1xymhjpm42vipw92pr73vdgl6xs1hycac8kf2n9/lib/libmac.so", "/nix/store/bbb-app-0.1.0-source/src/main.rs"}},
		{"no refs", &Node{Job: &job.Job{Program: "/nix/store/ccc-build-script/build-script-build"}},
			[]string{"/nix/store/ccc-build-script/build-script-build"}},
		{"a ref of no dependency stays", &Node{Job: &job.Job{Program: "rustc", Args: []string{OutRef("other-1.0.0-lib")}}},
			[]string{"rustc", OutRef("other-1.0.0-lib")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := slices.Clone(tc.n.Job.Args)
			if got := tc.n.Command(); !slices.Equal(got, tc.want) {
				t.Errorf("Command = %q, want %q", got, tc.want)
			}
			if !slices.Equal(tc.n.Job.Args, args) {
				t.Errorf("Command changed the job's arguments: %q", tc.n.Job.Args)
			}
		})
	}
}
