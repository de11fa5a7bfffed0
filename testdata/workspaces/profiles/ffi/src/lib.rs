#[unsafe(no_mangle)]
pub extern "C" fn ffi_len() -> usize {
    dep::profile().len()
}
