//! A library.

/// One.
pub fn f() -> u32 {
    1
}
