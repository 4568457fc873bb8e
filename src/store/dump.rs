//! Everything stored, as one file a person or a later version can read: what "Download what is
//! stored" gives when the record cannot be opened, so the record is never trapped on a device.
//!
//! The file is JSON: `{"format": "sendlog-storage", "written_at", "database", "values": [...]}`,
//! one value per stored key, in key order. A value that is UTF-8 text (a JSON text: every value
//! this version writes but the compact buckets of actions, history and meetings) is kept as
//! `"text"`; anything else as `"hex"`, its bytes in hexadecimal, so that nothing is lost or
//! changed on the way out. A compact bucket that can be read has its rows beside its bytes as well, as
//! `"rows"`, named as in a JSON bundle, for a person to read. Plain Rust, tested natively.

use crate::core::bucket::{compact, Row};
use crate::core::{Action, HistoryEntry, Kind, Meeting};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

/// The name in every such file.
pub const DUMP_FORMAT: &str = "sendlog-storage";

#[derive(Serialize)]
struct Dump<'a> {
    format: &'static str,
    written_at: String,
    /// The IndexedDB database and object store the values came from.
    database: &'static str,
    values: Vec<Value<'a>>,
}

#[derive(Serialize)]
struct Value<'a> {
    key: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hex: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rows: Option<serde_json::Value>,
}

/// The rows of a compact bucket that can be read, as a bundle writes them.
fn rows_of(key: &str, bytes: &[u8]) -> Option<serde_json::Value> {
    let rows = match super::layout::parse_key(key)?.0 {
        Kind::Actions => serde_json::to_value(Action::decode_bucket(bytes).ok()?.records),
        Kind::History => serde_json::to_value(HistoryEntry::decode_bucket(bytes).ok()?.records),
        Kind::Meetings => serde_json::to_value(Meeting::decode_bucket(bytes).ok()?.records),
        Kind::Pupils => return None,
    };
    rows.ok()
}

/// The file of every `(key, value)` stored, whatever the values hold.
pub fn dump(entries: &[(String, Vec<u8>)], now: DateTime<Utc>) -> Vec<u8> {
    let mut values: Vec<Value> = entries
        .iter()
        .map(|(key, bytes)| match std::str::from_utf8(bytes) {
            Ok(text) if bytes.first() != Some(&compact::MARK) => Value {
                key,
                text: Some(text),
                hex: None,
                rows: None,
            },
            _ => Value {
                key,
                text: None,
                hex: Some(bytes.iter().map(|b| format!("{b:02x}")).collect()),
                rows: rows_of(key, bytes),
            },
        })
        .collect();
    values.sort_by(|a, b| a.key.cmp(b.key));
    let dump = Dump {
        format: DUMP_FORMAT,
        written_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        database: "sendlog/buckets",
        values,
    };
    serde_json::to_vec_pretty(&dump).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn every_value_comes_out_as_it_was_stored_text_or_not() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 9, 30, 0).unwrap();
        let entries = vec![
            (
                "pupils/000000".to_string(),
                br#"{"rows":[["Zo\u00eb"]]}"#.to_vec(),
            ),
            (
                "meta".to_string(),
                br#"{"format":"sendlog","schema":99}"#.to_vec(),
            ),
            ("actions/000000".to_string(), vec![0xff, 0x00, 0x7b]),
            (
                "journal/000000001".to_string(),
                "Siân Öztürk".as_bytes().to_vec(),
            ),
        ];
        let file: serde_json::Value = serde_json::from_slice(&dump(&entries, now)).unwrap();
        assert_eq!(file["format"], DUMP_FORMAT);
        assert_eq!(file["written_at"], "2026-12-01T09:30:00Z");
        let values = file["values"].as_array().unwrap();
        let keys: Vec<&str> = values.iter().map(|v| v["key"].as_str().unwrap()).collect();
        assert_eq!(
            keys,
            [
                "actions/000000",
                "journal/000000001",
                "meta",
                "pupils/000000"
            ]
        );
        assert_eq!(values[0]["hex"], "ff007b");
        assert!(values[0].get("text").is_none());
        assert_eq!(values[1]["text"], "Siân Öztürk");
        // A text value is kept exactly, so a later version can read it as it was stored.
        assert_eq!(
            values[2]["text"].as_str().unwrap().as_bytes(),
            entries[1].1.as_slice()
        );
    }

    #[test]
    fn a_compact_bucket_comes_out_as_its_bytes_and_its_rows() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 9, 30, 0).unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let size = crate::core::sample::SampleSize {
            pupils: 2,
            actions: 3,
        };
        let record = crate::core::sample::sample(4, size, today);
        let bucket = Action::encode_bucket(record.actions());
        let mut cut = bucket.clone();
        cut.truncate(20);
        let entries = vec![
            ("actions/000000".to_string(), bucket.clone()),
            ("actions/000001".to_string(), cut),
            (
                "meetings/000000".to_string(),
                Meeting::encode_bucket(record.meetings()),
            ),
        ];
        let file: serde_json::Value = serde_json::from_slice(&dump(&entries, now)).unwrap();
        let [whole, cut, meetings] = &file["values"].as_array().unwrap()[..] else {
            panic!("three values");
        };
        assert_eq!(
            meetings["rows"],
            serde_json::to_value(record.meetings()).unwrap()
        );
        assert!(meetings["hex"]
            .as_str()
            .is_some_and(|h| h.starts_with("00")));
        let hex: String = bucket.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(whole["hex"], hex.as_str());
        assert_eq!(
            whole["rows"],
            serde_json::to_value(record.actions()).unwrap()
        );
        let step = &record.actions()[1].next_step;
        assert_eq!(whole["rows"][1]["next_step"], step.as_str());
        assert!(
            cut.get("rows").is_none(),
            "a bucket cut short has only its bytes"
        );
        assert!(cut["hex"].as_str().is_some_and(|h| h.len() == 40));
    }
}
