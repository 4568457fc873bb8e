//! Prints a fictional record as the IndexedDB buckets SEND Log stores, as JSON
//! `[[key, value], …]`, for the browser tests and the benchmark to load into a browser:
//!
//! `cargo run --bin sendlog-seed -- --actions 50000 --pupils 2000 --seed 1 --today 2026-04-23`
//!
//! Every option may be left out: 500 actions, one pupil per 25 actions, seed 1, today.
//!
//! `cargo run --bin sendlog-seed -- --layout` prints instead the fields of each kind of stored
//! row, in the order a bucket's arrays hold them, and the schema it writes
//! (`{"schema": 3, "pupils": ["id", "name", …], …}`): the
//! browser tests read stored rows by it, so they never keep a copy of the layout.

use sendlog::core::bucket::Row;
use sendlog::core::sample::{parse_today, sample, SampleSize};
use sendlog::core::{Action, HistoryEntry, Meeting, Pupil};
use sendlog::store::layout::encode_all;
use std::io::Write;

fn main() {
    let mut actions = 500;
    let mut pupils = None;
    let mut seed = 1;
    let mut today = chrono::Local::now().date_naive();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--layout" {
            let layout = serde_json::json!({
                "schema": sendlog::core::SCHEMA_VERSION,
                "pupils": Pupil::ROW_FIELDS,
                "meetings": Meeting::ROW_FIELDS,
                "actions": Action::ROW_FIELDS,
                "history": HistoryEntry::ROW_FIELDS,
            });
            println!("{layout}");
            return;
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
    let buckets = encode_all(&sample(seed, size, today));
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer(&mut out, &buckets).expect("stdout is writable");
    out.flush().expect("stdout is writable");
}
