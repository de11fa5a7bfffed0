fn main() { println!("a {}", multi::name()); }
