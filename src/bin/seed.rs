//! Prints a fictional record as the IndexedDB buckets SEND Log stores, as JSON
//! `[[key, value], …]`, for the browser tests and the benchmark to load into a browser:
//!
//! `cargo run --bin sendlog-seed -- --actions 50000 --pupils 2000 --seed 1 --today 2026-04-23`
//!
//! Every option may be left out: 500 actions, one pupil per 25 actions, seed 1, today. A value
//! stored as JSON is printed as its text; a compact bucket (actions, history) as
//! `{"base64": "…"}`, its bytes. With `--json`, every bucket is printed as JSON text, as
//! versions before the compact form stored them.
//!
//! `cargo run --bin sendlog-seed -- --as-json` reads `[[key, value], …]` as printed (or as the
//! browser tests read them from a page) on its standard input, and prints it with each compact
//! bucket written as its JSON text instead, for a test to read; a value that does not decode is
//! printed as it came.
//!
//! `cargo run --bin sendlog-seed -- --layout` prints instead the fields of each kind of stored
//! row, in the order a bucket's arrays hold them, and the schema it writes
//! (`{"schema": 3, "pupils": ["id", "name", …], …}`): the
//! browser tests read stored rows by it, so they never keep a copy of the layout.

use base64::Engine;
use sendlog::core::bucket::{compact, Row};
use sendlog::core::sample::{parse_today, sample, SampleSize};
use sendlog::core::{Action, HistoryEntry, Meeting, Pupil};
use sendlog::store::layout::{as_json_text, encode_all};
use serde_json::Value;
use std::io::Write;

fn main() {
    let mut actions = 500;
    let mut pupils = None;
    let mut seed = 1;
    let mut json = false;
    let mut today = chrono::Local::now().date_naive();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--layout" => return print(&layout()),
            "--as-json" => return print(&as_json_from_stdin()),
            "--json" => {
                json = true;
                continue;
            }
            _ => {}
        }
        let value = args.next().unwrap_or_default();
        let bad = || -> ! {
            eprintln!(
                "{flag} {value:?} is not understood; see the comment at the top of src/bin/seed.rs"
            );
            std::process::exit(2)
        };
        match flag.as_str() {
            "--actions" => actions = value.parse().unwrap_or_else(|_| bad()),
            "--pupils" => pupils = Some(value.parse().unwrap_or_else(|_| bad())),
            "--seed" => seed = value.parse().unwrap_or_else(|_| bad()),
            "--today" => today = parse_today(&value).unwrap_or_else(|| bad()),
            _ => bad(),
        }
    }
    let size = SampleSize {
        pupils: pupils.unwrap_or(actions / 25 + 1),
        actions,
    };
    let buckets: Vec<(String, Value)> = encode_all(&sample(seed, size, today))
        .into_iter()
        .map(|(key, value)| {
            let as_json = json.then(|| as_json_text(&key, &value)).flatten();
            (key, as_json.map_or_else(|| printed(value), Value::String))
        })
        .collect();
    print(&buckets);
}

fn print(value: &impl serde::Serialize) {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer(&mut out, value).expect("stdout is writable");
    out.flush().expect("stdout is writable");
}

fn layout() -> Value {
    serde_json::json!({
        "schema": sendlog::core::SCHEMA_VERSION,
        "pupils": Pupil::ROW_FIELDS,
        "meetings": Meeting::ROW_FIELDS,
        "actions": Action::ROW_FIELDS,
        "history": HistoryEntry::ROW_FIELDS,
    })
}

/// A stored value as printed: its text when it is JSON (UTF-8, not a compact bucket), else its
/// bytes in base64.
fn printed(value: Vec<u8>) -> Value {
    if value.first() == Some(&compact::MARK) {
        return base64_of(&value);
    }
    match String::from_utf8(value) {
        Ok(text) => Value::String(text),
        Err(bytes) => base64_of(bytes.as_bytes()),
    }
}

fn base64_of(bytes: &[u8]) -> Value {
    serde_json::json!({ "base64": base64::engine::general_purpose::STANDARD.encode(bytes) })
}

fn as_json_from_stdin() -> Vec<(String, Value)> {
    let entries: Vec<(String, Value)> = serde_json::from_reader(std::io::stdin().lock())
        .unwrap_or_else(|e| {
            eprintln!("--as-json reads [[key, value], …] on its standard input: {e}");
            std::process::exit(2)
        });
    entries
        .into_iter()
        .map(|(key, value)| {
            let bytes = value["base64"]
                .as_str()
                .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok());
            let json = bytes.and_then(|bytes| as_json_text(&key, &bytes));
            (key, json.map_or(value, Value::String))
        })
        .collect()
}
