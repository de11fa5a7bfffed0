fn main() {
    panic!("the configuration overrides this build script; it must not run");
}
