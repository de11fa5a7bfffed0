pub fn profile() -> &'static str {
    env!("DEP_PROFILE")
}
