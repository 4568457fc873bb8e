//! Typed and spreadsheet dates, stored days and moments, and the quick due dates, on any text.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| sendlog_core::hostile::dates(bytes));
