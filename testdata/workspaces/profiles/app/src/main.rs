fn main() { println!("{}", dep::profile()); }
