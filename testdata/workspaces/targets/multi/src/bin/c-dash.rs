fn main() { println!("c"); }
