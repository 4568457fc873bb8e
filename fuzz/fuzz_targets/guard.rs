//! The row guards (owner split, vague phrases, long narrative, the whole draft) on any text.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| sendlog_core::hostile::guard(bytes));
