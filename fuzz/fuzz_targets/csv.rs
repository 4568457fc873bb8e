//! A spreadsheet import (and its export read back) on any bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| sendlog_core::hostile::csv(bytes));
