fn main() { println!("{} {}", sub::x(), env!("ROOT_OUT").ends_with("/out")); }
