extern "C" {
    fn native_answer() -> i32;
}

fn main() {
    println!("C says {}", unsafe { native_answer() });
    println!("rustc probed: {}", cfg!(probed_rustc));
}
