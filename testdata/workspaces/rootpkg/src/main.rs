fn main() { println!("{} {}", sub::x(), env!("ROOT_OUT").len()); }
