use greeter_macros::Describe;
use serde::{Deserialize, Serialize};
use std::ffi::CString;

#[derive(Serialize, Deserialize, Debug, PartialEq, Describe)]
struct Order {
    customer: String,
    scoops: u8,
    toppings: Vec<String>,
}

fn main() {
    println!("{}", greeter::greet("Nix"));
    println!("built by: {}", greeter::BUILT_BY);
    println!("squares from OUT_DIR: {:?}", greeter::SQUARES);
    println!("proc-macro: {}", Order::describe());

    let order = Order { customer: "Ferris".into(), scoops: 2, toppings: vec!["nuts".into(), "sauce".into()] };
    let json = serde_json::to_string(&order).unwrap();
    println!("serde_json: {json}");
    let back: Order = serde_json::from_str(&json).unwrap();
    println!("round trip equal: {}", back == order);

    let c = CString::new("cargo-nix-unit").unwrap();
    println!("libc strlen: {}", unsafe { libc::strlen(c.as_ptr()) });
    println!("from greeter's links metadata: {}", env!("APP_ICE_CREAM"));
    println!("{} {}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"));
}
