// Writes next to the package, which only a run on the host may: the package
// lists this test in [package.metadata.nix-unit] on-host.
#[test]
fn writes_next_to_the_package() {
    std::fs::create_dir_all("target").unwrap();
    std::fs::write("target/host-test-ran", "yes").unwrap();
}
