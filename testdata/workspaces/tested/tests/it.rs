use std::process::Command;

#[test]
fn reads_data_next_to_the_package() {
    let text = std::fs::read_to_string("tests/data/input.txt").unwrap();
    assert_eq!(text.trim(), "forty-two");
    assert_eq!(tested::add(40, 2), 42);
}

#[test]
fn sees_its_manifest_dir() {
    for dir in [std::env::var("CARGO_MANIFEST_DIR").unwrap().as_str(), env!("CARGO_MANIFEST_DIR")] {
        assert!(std::path::Path::new(dir).join("Cargo.toml").exists(), "{dir}");
    }
}

#[test]
fn runs_the_binary() {
    assert_eq!(std::env::var("CARGO_BIN_EXE_tested").unwrap(), env!("CARGO_BIN_EXE_tested"));
    let out = Command::new(env!("CARGO_BIN_EXE_tested")).args(["40", "2"]).output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "42\n");
}

#[test]
fn writes_to_its_scratch_directory() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("tested-{}", std::process::id()));
    std::fs::write(&path, "scratch").unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "scratch");
    std::fs::remove_file(&path).unwrap();
}
