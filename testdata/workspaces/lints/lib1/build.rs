fn main() { println!("cargo:rustc-cfg=has_foo"); }
