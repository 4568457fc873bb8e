//! An encrypted file's header and lengths read apart on any bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| sendlog_core::hostile::sealed(bytes));
