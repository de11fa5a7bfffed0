fn main() { println!("ex1 {}", multi::name()); }
