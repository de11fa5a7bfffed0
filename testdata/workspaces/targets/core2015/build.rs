extern crate helper;

fn main() {
    println!("cargo:rustc-env=HELP={}", helper::help());
}
