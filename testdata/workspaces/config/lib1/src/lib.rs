pub fn plain() -> &'static str {
    env!("PLAIN")
}
