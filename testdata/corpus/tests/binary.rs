// Runs the corpus binary as a user would: one line per crate.
#[test]
fn prints_a_line_per_crate() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_corpus")).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().count() >= 27, "{text}");
    assert!(text.starts_with("anyhow: bad value 7\n"), "{text}");
}
