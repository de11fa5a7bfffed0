pub fn d() -> u8 { 3 }
