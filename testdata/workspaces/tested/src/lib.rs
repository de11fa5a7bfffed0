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
        assert!(std::env::var_os("TESTED_FAIL").is_none(), "TESTED_FAIL is set");
    }
}
