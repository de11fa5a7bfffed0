fn main() {
    println!("extra bin, features: extra={}", cfg!(feature = "extra"));
}
