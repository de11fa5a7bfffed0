pub fn help() -> u8 { 7 }
