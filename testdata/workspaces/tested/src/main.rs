fn main() {
    let args: Vec<u32> = std::env::args().skip(1).map(|a| a.parse().unwrap()).collect();
    println!("{}", tested::add(args[0], args[1]));
}
