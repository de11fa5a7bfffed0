fn main() {
    // Cargo evaluates the cfgs with the rustflags.
    assert!(std::env::var("CARGO_ENCODED_RUSTFLAGS").is_ok());
    println!("cargo::rustc-check-cfg=cfg(from_config, from_env)");
    println!("cargo::rustc-cfg=from_build_rs");
    println!("cargo::rustc-check-cfg=cfg(from_build_rs)");
}
