//! Everything stored, as one file a person or a later version can read: what "Download what is
//! stored" gives when the record cannot be opened, so the record is never trapped on a device.
//!
//! The file is JSON: `{"format": "sendlog-storage", "written_at", "database", "values": [...]}`,
//! one value per stored key, in key order. A value that is UTF-8 text (every value this version
//! writes is a JSON text) is kept as `"text"`; anything else as `"hex"`, its bytes in
//! hexadecimal, so that nothing is lost or changed on the way out. Plain Rust, tested natively.

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
}

/// The file of every `(key, value)` stored, whatever the values hold.
pub fn dump(entries: &[(String, Vec<u8>)], now: DateTime<Utc>) -> Vec<u8> {
    let mut values: Vec<Value> = entries
        .iter()
        .map(|(key, bytes)| match std::str::from_utf8(bytes) {
            Ok(text) => Value {
                key,
                text: Some(text),
                hex: None,
            },
            Err(_) => Value {
                key,
                text: None,
                hex: Some(bytes.iter().map(|b| format!("{b:02x}")).collect()),
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
}
