use std::{env, process::Command};

fn main() {
    println!("cargo:rerun-if-changed=csrc/answer.c");
    cc::Build::new().file("csrc/answer.c").compile("answer");

    // Probe the compiler the way anyhow's build script does.
    let rustc = env::var("RUSTC").unwrap();
    let out = Command::new(rustc).arg("--version").output().unwrap();
    let version = String::from_utf8(out.stdout).unwrap();
    if version.starts_with("rustc 1.") {
        println!("cargo:rustc-cfg=probed_rustc");
    }
    println!("cargo:rustc-check-cfg=cfg(probed_rustc)");
}
