//! Greetings, shaped by what build.rs decided.

include!(concat!(env!("OUT_DIR"), "/generated.rs"));

/// Who built the library, as build.rs told rustc.
pub const BUILT_BY: &str = env!("GREETER_BUILT_BY");

#[cfg(greeter_polite)]
pub fn greet(name: &str) -> String {
    format!("Good day, {name}!")
}

#[cfg(not(greeter_polite))]
pub fn greet(name: &str) -> String {
    format!("hi {name}")
}
