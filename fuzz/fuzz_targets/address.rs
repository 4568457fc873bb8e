//! The address (screen and tracker filter) read from any text, and written back.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| sendlog_core::hostile::address(bytes));
