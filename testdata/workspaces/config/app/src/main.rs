fn main() {
    println!("{} {}", lib1::plain(), env!("FORCED"));
}
