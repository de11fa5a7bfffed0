fn main() { println!("{}", mylib::f()); }
