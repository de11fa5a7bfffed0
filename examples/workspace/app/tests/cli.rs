//! Runs the binary Cargo built, as a user would.

#[test]
fn greets_and_serves_ice_cream() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_app")).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Good day, Nix!\n"), "{text}");
    assert!(text.contains("from greeter's links metadata: 3 scoops of vanilla"), "{text}");
}
