fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rustc-env=ROOT_OUT={}", std::env::var("OUT_DIR").unwrap());
}
