fn main() { assert!(!multi::name().is_empty()); }
