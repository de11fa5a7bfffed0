fn main() {
    println!("cargo::rustc-env=DEP_PROFILE={}", std::env::var("PROFILE").unwrap());
}
