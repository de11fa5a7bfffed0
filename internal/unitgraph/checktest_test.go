package unitgraph

import "testing"

// The unit graph writes cargo check's checks of tests as plain check units.
func TestMarkCheckTests(t *testing.T) {
	lib := Target{Kind: []string{"lib"}, Name: "a", SrcPath: "/a/src/lib.rs"}
	bin := Target{Kind: []string{"bin"}, Name: "a", SrcPath: "/a/src/main.rs"}
	it := Target{Kind: []string{"test"}, Name: "it", SrcPath: "/a/tests/it.rs"}
	dev := Profile{Name: "dev"}
	u := func(mode string, t Target, features ...string) Unit {
		return Unit{PkgID: "a", Mode: mode, Target: t, Profile: dev, Features: features}
	}
	g := &Graph{Units: []Unit{
		u("check", lib),          // plain
		u("check", lib),          // its test: the later of two
		u("check", bin),          // one check of the bin: plain
		u("check", it),           // an integration test: always a test
		u("build", lib),          // not a check
		u("build", lib),          // not a check either
		u("check", lib, "extra"), // other features: plain
	}}
	markCheckTests(g)
	want := []bool{false, true, false, true, false, false, false}
	for i, w := range want {
		if g.Units[i].CheckTest != w {
			t.Errorf("unit %d (%s %s): CheckTest %v, want %v", i, g.Units[i].Mode, g.Units[i].Target.Name, g.Units[i].CheckTest, w)
		}
	}
	if k := g.Units[1].Kind(); k != "lib-test" {
		t.Errorf("the test check of a lib is a %s, want lib-test", k)
	}
}
