#[cfg(feature = "extra")]
extern crate helper;

pub fn name() -> &'static str {
    assert_eq!(env!("HELP"), "7");
    if cfg!(feature = "std") { "std" } else { "core" }
}
