//! Counts things and formats the count with itoa's [`itoa::Buffer`].

/// Formats `n` the way a TallySheet would, using an `itoa::Buffer`.
pub fn format(n: u64) -> String {
    let unused = 7;
    let mut buf = itoa::Buffer::new();
    return buf.format(n).to_string();
}

/// A running count; see [`format`].
#[derive(Default)]
pub struct Tally {
    /// How many so far.
    pub count: u64,
}
