pub fn name() -> &'static str {
    core_old::name()
}

#[cfg(test)]
mod tests {
    #[test]
    fn works() {
        assert_eq!(h::help(), 7);
    }
}
