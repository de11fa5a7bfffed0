fn main() { println!("b {}", multi::name()); }
