//! Prints a tally.

fn main() {
    let t = tally::Tally { count: 3 };
    println!("{}", tally::format(t.count));
}
