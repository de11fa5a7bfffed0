fn main() {
    println!("{}", sys::describe());
}
