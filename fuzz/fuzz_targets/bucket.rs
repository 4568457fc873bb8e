//! A stored bucket read as each kind of row (and written back) on any bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| sendlog_core::hostile::bucket(bytes));
