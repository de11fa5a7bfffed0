fn main() { println!("ex2 {}", h::help()); }
