// Reads the metadata greeter's build script published (greeter has `links`).
fn main() {
    let flavour = std::env::var("DEP_GREETER_FLAVOUR").expect("DEP_GREETER_FLAVOUR");
    let scoops = std::env::var("DEP_GREETER_SCOOPS").expect("DEP_GREETER_SCOOPS");
    println!("cargo::rustc-env=APP_ICE_CREAM={scoops} scoops of {flavour}");
}
