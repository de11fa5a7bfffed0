package builder

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cargo-nix-unit/cargo-nix-unit/internal/job"
)

// rustc 1.95's JSON for `fn main(){ let x = 1; }`, shortened: a warning, then its count.
const rustcJSON = `{"$message_type":"diagnostic","message":"unused variable: ` + "`x`" + `","level":"warning","spans":[{"file_name":"m.rs"}],"rendered":"\u001b[33mwarning\u001b[0m: unused variable: ` + "`x`" + `\n"}
{"$message_type":"diagnostic","message":"1 warning emitted","level":"warning","spans":[],"children":[],"rendered":"\u001b[33mwarning\u001b[0m: 1 warning emitted\n\n"}
{"$message_type":"artifact","artifact":"/out/libm.rlib","emit":"link"}
not json: passed through
`

func TestDiagnostics(t *testing.T) {
	var log strings.Builder
	d := &diagnostics{w: &log}
	// Fed in pieces, as a pipe delivers them.
	for _, part := range []string{rustcJSON[:50], rustcJSON[50:300], rustcJSON[300:]} {
		d.Write([]byte(part))
	}
	d.flush()
	if !strings.Contains(log.String(), "unused variable") || !strings.Contains(log.String(), "not json: passed through") {
		t.Errorf("log:\n%s", log.String())
	}
	if strings.Contains(log.String(), "artifact") {
		t.Errorf("artifact notices reached the log:\n%s", log.String())
	}
	path := filepath.Join(t.TempDir(), "out", "nix-unit", "diagnostics.json")
	if err := d.save(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var saved job.Diagnostics
	if err := json.Unmarshal(b, &saved); err != nil {
		t.Fatal(err)
	}
	if saved.Warnings != 1 || strings.Contains(saved.Rendered, "emitted") || !strings.Contains(saved.Rendered, "\x1b[33mwarning") {
		t.Errorf("saved %+v: want one warning, with colours, without rustc's count", saved)
	}

	silent := &diagnostics{w: &log}
	path = filepath.Join(t.TempDir(), "diagnostics.json")
	if err := silent.save(path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("a unit without diagnostics got a diagnostics file")
	}
}
