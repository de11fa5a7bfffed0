#[cfg(feature = "extra")]
extern crate helper;

pub fn name() -> &'static str {
    if cfg!(feature = "std") { "std" } else { "core" }
}
