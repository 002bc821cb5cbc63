#![no_main]

#[path = "../../examples/parity/app.rs"]
mod parity;
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::request(data));
