#![no_main]

#[path = "../checks.rs"]
mod checks;
#[path = "../../examples/parity/app.rs"]
mod parity;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::devalue_sequence(data));
