#[test]
fn reads_data_next_to_the_package() {
    let text = std::fs::read_to_string("tests/data/input.txt").unwrap();
    assert_eq!(text.trim(), "forty-two");
    assert_eq!(tested::add(40, 2), 42);
}

#[test]
fn sees_its_manifest_dir() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    assert!(std::path::Path::new(&dir).join("Cargo.toml").exists());
}
