const GREETING: &str = include_str!("../data/greeting.txt");
const BLOB: &[u8] = include_bytes!("../data/blob.bin");

fn main() {
    #[cfg(feature = "loud")]
    let greeting = util::shout(GREETING.trim());
    #[cfg(not(feature = "loud"))]
    let greeting = GREETING.trim().to_string();
    println!("{greeting}");
    println!("blob: {BLOB:?}");
    println!(
        "{} {} by {} ({}, {})",
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_AUTHORS"),
        env!("CARGO_PKG_DESCRIPTION"),
        env!("CARGO_PKG_LICENSE")
    );
}
