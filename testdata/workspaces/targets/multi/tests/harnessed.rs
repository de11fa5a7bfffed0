#[test] fn t() { assert!(!multi::name().is_empty()); }
