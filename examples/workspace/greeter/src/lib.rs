//! Greetings, shaped by what build.rs decided.

include!(concat!(env!("OUT_DIR"), "/generated.rs"));

/// Who built the library, as build.rs told rustc.
pub const BUILT_BY: &str = env!("GREETER_BUILT_BY");

/// Greets `name` politely: build.rs set `greeter_polite`.
///
/// ```
/// assert_eq!(greeter::greet("Nix"), "Good day, Nix!");
/// ```
#[cfg(greeter_polite)]
pub fn greet(name: &str) -> String {
    format!("Good day, {name}!")
}

#[cfg(not(greeter_polite))]
pub fn greet(name: &str) -> String {
    format!("hi {name}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn greets_by_name() {
        assert!(super::greet("Ferris").ends_with("Ferris!"));
    }

    #[test]
    fn squares_come_from_out_dir() {
        assert_eq!(super::SQUARES, [1, 4, 9, 16, 25]);
    }

    // Cargo gives a test the build script's OUT_DIR and rustc-env pairs when
    // it runs, too.
    #[test]
    fn sees_its_build_script_when_running() {
        assert_eq!(std::env::var("GREETER_BUILT_BY").unwrap(), super::BUILT_BY);
        let out_dir = std::env::var("OUT_DIR").unwrap();
        assert!(std::path::Path::new(&out_dir).join("generated.rs").exists());
    }
}
