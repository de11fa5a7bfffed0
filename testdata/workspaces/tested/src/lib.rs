/// Adds two numbers.
///
/// ```
/// assert_eq!(tested::add(2, 3), 5);
/// ```
#[cfg_attr(feature = "fail", doc = "```\nassert_eq!(tested::add(1, 1), 3, \"a doctest failing on demand\");\n```")]
pub fn add(a: u32, b: u32) -> u32 {
    a + b
}

#[cfg(test)]
mod tests {
    #[test]
    fn adds() {
        assert_eq!(super::add(2, 2), 4);
    }

    #[test]
    fn fails_on_demand() {
        assert!(!cfg!(feature = "fail"), "the fail feature is on");
    }

    #[test]
    fn prints_where_it_runs() {
        println!("running in {}", std::env::current_dir().unwrap().display());
    }
}
