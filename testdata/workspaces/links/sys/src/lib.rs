use std::os::raw::c_double;

extern "C" {
    fn cbrt(x: c_double) -> c_double;
}

pub fn describe() -> String {
    let mode = if cfg!(sys_overridden) { "overridden" } else { "built" };
    format!("{mode} by {}; cbrt(27) = {}", env!("SYS_FROM"), unsafe { cbrt(27.0) })
}
