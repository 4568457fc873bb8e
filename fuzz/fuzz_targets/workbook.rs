//! A workbook (.xlsx, .ods) read for the import, and each of its sheets imported, on any bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| sendlog_core::hostile::workbook(bytes));
