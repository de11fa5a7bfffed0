// Exercises the build-script directives a real crate uses.
use std::{env, fs, path::Path};

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    // A cfg the library switches on, declared so rustc does not warn.
    println!("cargo::rustc-check-cfg=cfg(greeter_polite)");
    println!("cargo::rustc-cfg=greeter_polite");
    // An environment variable the library reads with env!().
    println!("cargo::rustc-env=GREETER_BUILT_BY=build.rs of {}", env::var("CARGO_PKG_NAME").unwrap());
    // Metadata for dependents' build scripts, as DEP_GREETER_FLAVOUR (needs `links`).
    println!("cargo::metadata=flavour=vanilla");
    println!("cargo::metadata=scoops=3");

    // Code generated into OUT_DIR, included by the library.
    let squares: Vec<String> = (1..=5).map(|i| (i * i).to_string()).collect();
    let code = format!("pub const SQUARES: [u32; 5] = [{}];\n", squares.join(", "));
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("generated.rs");
    fs::write(out, code).unwrap();
}
