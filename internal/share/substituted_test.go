package share

import (
	"slices"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/plan"
)

func TestMarkSubstituted(t *testing.T) {
	for _, tc := range []struct {
		name        string
		out         string // the node's known output path; "" when content-addressed and not yet asked
		status      plan.Status
		substituted []string
		want        plan.Status
	}{
		{"input-addressed, by output path", "/nix/store/aaa-serde-1.0.0-lib", plan.StatusCached, []string{"/nix/store/aaa-serde-1.0.0-lib"}, plan.StatusSubstituted},
		{"content-addressed, by name", "", plan.StatusCached, []string{"/nix/store/bbb-serde-1.0.0-lib"}, plan.StatusSubstituted},
		{"built here stays built", "", plan.StatusBuilt, []string{"/nix/store/bbb-serde-1.0.0-lib"}, plan.StatusBuilt},
		{"another unit's output", "/nix/store/aaa-serde-1.0.0-lib", plan.StatusCached, []string{"/nix/store/ccc-log-0.4.0-lib"}, plan.StatusCached},
		{"nothing substituted", "", plan.StatusCached, nil, plan.StatusCached},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := &plan.Node{Name: "serde-1.0.0-lib", Out: tc.out, Status: tc.status}
			other := &plan.Node{Name: "log-0.4.0-lib", Out: "/nix/store/ddd-log-0.4.0-lib", Status: plan.StatusBuilt}
			MarkSubstituted([]*plan.Node{n, other}, tc.substituted)
			if n.Status != tc.want {
				t.Errorf("status %v, want %v", n.Status, tc.want)
			}
			if other.Status != plan.StatusBuilt {
				t.Errorf("the other node became %v", other.Status)
			}
		})
	}
}

func TestSampleNames(t *testing.T) {
	for _, tc := range []struct {
		paths []string
		want  []string
	}{
		{nil, nil},
		{[]string{"/nix/store/aaa-b-1.0.0-lib"}, []string{"b-1.0.0-lib"}},
		{[]string{"/nix/store/a-d", "/nix/store/b-c", "/nix/store/c-b", "/nix/store/d-a"}, []string{"a", "b", "c", "…"}},
	} {
		m := map[string]bool{}
		for _, p := range tc.paths {
			m[p] = true
		}
		if got := sampleNames(m); !slices.Equal(got, tc.want) {
			t.Errorf("sampleNames(%v) = %v, want %v", tc.paths, got, tc.want)
		}
	}
}
