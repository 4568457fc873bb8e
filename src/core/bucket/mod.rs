//! A stored bucket, a run of rows of one kind: as JSON,
//! `{"format":"sendlog","schema":1,"rows":[[…],[…]]}`, or for actions, history entries and
//! meetings in the compact form of [`compact`]. How buckets are keyed and laid out is the store's business;
//! the rows are written and read here, in the domain's crate, because it is the work done for
//! every row at start-up and after an import, and this crate is compiled for speed (see
//! Cargo.toml).
//!
//! Each row is an array of its fields in a fixed order (`ROW_FIELDS`), not an object naming
//! them: a quarter less to write, store and read at 50,000 actions. Buckets written before
//! that hold objects under `"records"`, named as in a JSON bundle; they are still read, and are
//! written as arrays the next time they change. Buckets of actions, history and meetings written
//! as JSON, as every bucket was before the compact form, are read the same way and written compact
//! the next time they change.

pub mod compact;

use crate::action::LastUpdate;
use crate::dates;
use crate::key_adults::KeyAdult;
use crate::record::{FORMAT_NAME, SCHEMA_VERSION};
use crate::statutory::Statutory;
use crate::{
    Action, ActionId, EntryId, HistoryEntry, ItemType, Meeting, MeetingId, MeetingType, Pupil,
    PupilId, SendStatus, Status, YearGroup,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A bucket as read: what it says about itself, and its rows.
pub struct Bucket<T> {
    pub format: String,
    pub schema: u32,
    pub records: Vec<T>,
}

#[derive(Serialize)]
struct BucketOut<R> {
    format: &'static str,
    schema: u32,
    rows: Vec<R>,
}

#[derive(Deserialize)]
struct BucketIn<T, R> {
    format: String,
    schema: u32,
    /// Rows as objects, as buckets were written before rows were arrays.
    records: Option<Vec<T>>,
    rows: Option<Vec<R>>,
}

/// A kind of row kept in buckets: pupils, meetings, actions and history entries.
pub trait Row: Sized {
    /// The field names, in the order a row's array holds them (the README lists them too).
    const ROW_FIELDS: &'static [&'static str];
    /// The rows as one bucket's JSON, with this version's format name and schema.
    fn encode_json(rows: &[Self]) -> String;
    /// Reads a bucket's JSON, rows as arrays or as objects; what it says of its format and
    /// schema is for the caller to check.
    fn decode_json(json: &[u8]) -> Result<Bucket<Self>, serde_json::Error>;
    /// The rows as this version stores them: JSON, or for actions, history and meetings the compact form.
    fn encode_bucket(rows: &[Self]) -> Vec<u8> {
        Self::encode_json(rows).into_bytes()
    }
    /// Reads a stored bucket in either form; the error says what is wrong with it.
    fn decode_bucket(bytes: &[u8]) -> Result<Bucket<Self>, String> {
        Self::decode_json(bytes).map_err(|e| e.to_string())
    }
}

/// A bucket of a kind stored compact: read as compact when it starts with the mark, else as
/// the JSON that earlier versions stored.
fn compact_or_json<T: Row>(
    bytes: &[u8],
    compact: fn(&[u8]) -> Result<Bucket<T>, String>,
) -> Result<Bucket<T>, String> {
    match bytes.first() {
        Some(&compact::MARK) => compact(bytes),
        _ => T::decode_json(bytes).map_err(|e| e.to_string()),
    }
}

/// Encodes rows through their array form `R`, and decodes either form.
fn encode<'a, T, R: Serialize>(rows: &'a [T], array: impl Fn(&'a T) -> R) -> String {
    serde_json::to_string(&BucketOut {
        format: FORMAT_NAME,
        schema: SCHEMA_VERSION,
        rows: rows.iter().map(array).collect(),
    })
    .expect("rows always encode")
}

fn decode<T, R>(json: &[u8], row: impl Fn(R) -> T) -> Result<Bucket<T>, serde_json::Error>
where
    T: for<'de> Deserialize<'de>,
    R: for<'de> Deserialize<'de>,
{
    let bucket: BucketIn<T, R> = serde_json::from_slice(json)?;
    let records = match (bucket.records, bucket.rows) {
        (None, Some(rows)) => rows.into_iter().map(row).collect(),
        (Some(records), None) => records,
        _ => {
            return Err(serde::de::Error::custom(
                "a bucket holds either \"rows\" or \"records\", and this one does not",
            ))
        }
    };
    Ok(Bucket {
        format: bucket.format,
        schema: bucket.schema,
        records,
    })
}

/// A pupil's row: `S` is its text and `K` its key adults, borrowed to write and owned when
/// read.
#[derive(Serialize, Deserialize)]
struct PupilRow<S, K>(
    PupilId,
    S,
    YearGroup,
    SendStatus,
    #[serde(with = "dates::maybe_day")] Option<NaiveDate>,
    #[serde(with = "dates::moment")] DateTime<Utc>,
    /// Left the school on: not in rows of schema 1, which read as not left.
    #[serde(default, with = "dates::maybe_day")]
    Option<NaiveDate>,
    /// Key adults: not in rows of schemas 1 and 2, which read as none.
    #[serde(default)]
    K,
    /// Date of birth: not in rows of schemas 1 to 3, which read as not recorded.
    #[serde(default, with = "dates::maybe_day")]
    Option<NaiveDate>,
);

impl Row for Pupil {
    const ROW_FIELDS: &'static [&'static str] = &[
        "id",
        "name",
        "year_group",
        "send_status",
        "annual_review",
        "updated_at",
        "left_on",
        "key_adults",
        "born",
    ];
    fn encode_json(rows: &[Self]) -> String {
        encode(rows, |pupil| {
            let Pupil {
                id,
                name,
                year_group,
                send_status,
                annual_review,
                left_on,
                key_adults,
                born,
                updated_at,
            } = pupil;
            PupilRow(
                *id,
                name.as_str(),
                *year_group,
                *send_status,
                *annual_review,
                *updated_at,
                *left_on,
                key_adults.as_slice(),
                *born,
            )
        })
    }
    fn decode_json(json: &[u8]) -> Result<Bucket<Self>, serde_json::Error> {
        decode(
            json,
            |PupilRow::<String, Vec<KeyAdult>>(
                id,
                name,
                year_group,
                send_status,
                annual_review,
                updated_at,
                left_on,
                key_adults,
                born,
            )| Pupil {
                id,
                name,
                year_group,
                send_status,
                annual_review,
                left_on,
                key_adults,
                born,
                updated_at,
            },
        )
    }
}

/// A meeting's row: `S` is its text and `L` its list of attendees, borrowed to write and
/// owned when read.
#[derive(Serialize, Deserialize)]
struct MeetingRow<S, L>(
    MeetingId,
    #[serde(with = "dates::day")] NaiveDate,
    PupilId,
    MeetingType,
    L,
    S,
    S,
    #[serde(with = "dates::moment")] DateTime<Utc>,
);

impl Row for Meeting {
    const ROW_FIELDS: &'static [&'static str] = &[
        "id",
        "date",
        "pupil",
        "meeting_type",
        "attendees",
        "summary",
        "working_notes",
        "updated_at",
    ];
    fn encode_bucket(rows: &[Self]) -> Vec<u8> {
        compact::encode_meetings(rows)
    }
    fn decode_bucket(bytes: &[u8]) -> Result<Bucket<Self>, String> {
        compact_or_json(bytes, compact::decode_meetings)
    }
    fn encode_json(rows: &[Self]) -> String {
        encode(rows, |meeting| {
            let Meeting {
                id,
                date,
                pupil,
                meeting_type,
                attendees,
                summary,
                working_notes,
                updated_at,
            } = meeting;
            MeetingRow(
                *id,
                *date,
                *pupil,
                *meeting_type,
                attendees.as_slice(),
                summary.as_str(),
                working_notes.as_str(),
                *updated_at,
            )
        })
    }
    fn decode_json(json: &[u8]) -> Result<Bucket<Self>, serde_json::Error> {
        decode(
            json,
            |MeetingRow(
                id,
                date,
                pupil,
                meeting_type,
                attendees,
                summary,
                working_notes,
                updated_at,
            )| {
                Meeting {
                    id,
                    date,
                    pupil,
                    meeting_type,
                    attendees,
                    summary,
                    working_notes,
                    updated_at,
                }
            },
        )
    }
}

/// An action's row: `S` is its text, borrowed to write and owned when read.
#[derive(Serialize, Deserialize)]
struct ActionRow<S>(
    ActionId,
    PupilId,
    #[serde(with = "dates::day")] NaiveDate,
    Option<MeetingId>,
    ItemType,
    S,
    S,
    S,
    #[serde(with = "dates::day")] NaiveDate,
    Status,
    #[serde(with = "dates::moment")] DateTime<Utc>,
    S,
    S,
    #[serde(with = "dates::maybe_day")] Option<NaiveDate>,
    bool,
    /// The statutory step: not in rows of schemas 1 to 4, which read as ordinary actions.
    #[serde(default)]
    Option<Statutory>,
);

impl Row for Action {
    const ROW_FIELDS: &'static [&'static str] = &[
        "id",
        "pupil",
        "raised",
        "meeting",
        "item_type",
        "decision",
        "next_step",
        "owner",
        "due",
        "status",
        "last_update.at",
        "last_update.note",
        "evidence",
        "next_review",
        "escalate",
        "statutory",
    ];
    fn encode_bucket(rows: &[Self]) -> Vec<u8> {
        compact::encode_actions(rows)
    }
    fn decode_bucket(bytes: &[u8]) -> Result<Bucket<Self>, String> {
        compact_or_json(bytes, compact::decode_actions)
    }
    fn encode_json(rows: &[Self]) -> String {
        encode(rows, |action| {
            let Action {
                id,
                pupil,
                raised,
                meeting,
                item_type,
                decision,
                next_step,
                owner,
                due,
                status,
                last_update: LastUpdate { at, note },
                evidence,
                next_review,
                escalate,
                statutory,
            } = action;
            ActionRow(
                *id,
                *pupil,
                *raised,
                *meeting,
                *item_type,
                decision.as_str(),
                next_step.as_str(),
                owner.as_str(),
                *due,
                *status,
                *at,
                note.as_str(),
                evidence.as_str(),
                *next_review,
                *escalate,
                *statutory,
            )
        })
    }
    fn decode_json(json: &[u8]) -> Result<Bucket<Self>, serde_json::Error> {
        decode(
            json,
            |ActionRow(
                id,
                pupil,
                raised,
                meeting,
                item_type,
                decision,
                next_step,
                owner,
                due,
                status,
                at,
                note,
                evidence,
                next_review,
                escalate,
                statutory,
            )| Action {
                id,
                pupil,
                raised,
                meeting,
                item_type,
                decision,
                next_step,
                owner,
                due,
                status,
                last_update: LastUpdate { at, note },
                evidence,
                next_review,
                escalate,
                statutory,
            },
        )
    }
}

/// A history entry's row: `S` is its note and `C` its changes, borrowed to write and owned
/// when read.
#[derive(Serialize, Deserialize)]
struct EntryRow<S, C>(
    EntryId,
    ActionId,
    #[serde(with = "dates::moment")] DateTime<Utc>,
    S,
    Option<MeetingId>,
    C,
);

impl Row for HistoryEntry {
    const ROW_FIELDS: &'static [&'static str] =
        &["id", "action", "at", "note", "meeting", "changes"];
    fn encode_bucket(rows: &[Self]) -> Vec<u8> {
        compact::encode_history(rows)
    }
    fn decode_bucket(bytes: &[u8]) -> Result<Bucket<Self>, String> {
        compact_or_json(bytes, compact::decode_history)
    }
    fn encode_json(rows: &[Self]) -> String {
        encode(rows, |entry| {
            let HistoryEntry {
                id,
                action,
                at,
                note,
                meeting,
                changes,
            } = entry;
            EntryRow(
                *id,
                *action,
                *at,
                note.as_str(),
                *meeting,
                changes.as_slice(),
            )
        })
    }
    fn decode_json(json: &[u8]) -> Result<Bucket<Self>, serde_json::Error> {
        decode(json, |EntryRow(id, action, at, note, meeting, changes)| {
            HistoryEntry {
                id,
                action,
                at,
                note,
                meeting,
                changes,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::{sample, SampleSize};

    /// A sample record, its first pupil with key adults (a Welsh and a Greek name).
    pub(super) fn record() -> crate::Record {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut record = sampled(today);
        let adults = vec![
            KeyAdult {
                role: crate::key_adults::KeyRole::ClassTeacher,
                name: "Mrs Siân ap Gwilym".into(),
            },
            KeyAdult {
                role: crate::key_adults::KeyRole::KeyWorker,
                name: "Κος Δημητρίου".into(),
            },
        ];
        let first = record.pupils()[0].id;
        record
            .edit_pupil(first, crate::PupilEdit::KeyAdults(adults), Utc::now())
            .unwrap();
        record
    }

    fn sampled(today: NaiveDate) -> crate::Record {
        sample(
            3,
            SampleSize {
                pupils: 8,
                actions: 60,
            },
            today,
        )
    }

    /// The bucket as it was written before rows were arrays: objects under "records".
    fn as_records<T: Serialize>(rows: &[T]) -> String {
        serde_json::json!({"format": FORMAT_NAME, "schema": SCHEMA_VERSION, "records": rows})
            .to_string()
    }

    fn reads_back<T: Row + Serialize + PartialEq + std::fmt::Debug>(rows: &[T]) {
        let json = T::encode_json(rows);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let first = &value["rows"][0];
        assert_eq!(
            first.as_array().map(Vec::len),
            Some(T::ROW_FIELDS.len()),
            "each row is an array of its fields: {first}"
        );
        assert_eq!(T::decode_bucket(json.as_bytes()).unwrap().records, rows);
        let old = as_records(rows);
        assert_eq!(T::decode_bucket(old.as_bytes()).unwrap().records, rows);
        assert!(json.len() < old.len() * 9 / 10, "arrays are smaller");
        let stored = T::encode_bucket(rows);
        assert_eq!(T::decode_bucket(&stored).unwrap().records, rows);
        assert!(stored.len() <= json.len(), "stored no larger than its JSON");
    }

    #[test]
    fn every_kind_reads_back_from_arrays_and_from_the_objects_written_before() {
        let record = record();
        reads_back(record.pupils());
        reads_back(record.meetings());
        reads_back(record.actions());
        reads_back(record.history());
    }

    /// The row's fields as a bundle names them, an object's fields as `outer.inner`, in the
    /// order the bundle writes them.
    fn bundle_fields<T: Serialize>(row: &T) -> Vec<(String, serde_json::Value)> {
        let text = serde_json::to_string(row).unwrap();
        // serde_json's objects sort their keys: the order is read from where each one is
        // written in the text instead.
        let at =
            |name: &str, from: usize| text[from..].find(&format!("\"{name}\":")).unwrap() + from;
        let serde_json::Value::Object(object) = serde_json::from_str(&text).unwrap() else {
            panic!("a row is an object in a bundle");
        };
        let mut fields = Vec::new();
        for (name, value) in object {
            let outer = at(&name, 0);
            match value {
                serde_json::Value::Object(inner) => fields.extend(
                    inner
                        .into_iter()
                        .map(|(n, v)| ((outer, at(&n, outer)), format!("{name}.{n}"), v)),
                ),
                value => fields.push(((outer, outer), name, value)),
            }
        }
        fields.sort_by_key(|(place, _, _)| *place);
        fields
            .into_iter()
            .map(|(_, name, value)| (name, value))
            .collect()
    }

    /// ROW_FIELDS names every field of the bundle's row, in the order the array holds them,
    /// and each cell is that field's value: a field added to a row and not to its array (or
    /// listed out of order) fails here. The README and the browser tests read arrays by it.
    fn fields_in_order<T: Row + Serialize>(row: &T, optional: &[&str]) {
        let json = T::encode_json(std::slice::from_ref(row));
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let cells = value["rows"][0].as_array().unwrap().clone();
        let named = bundle_fields(row);
        let mut listed = T::ROW_FIELDS.to_vec();
        listed.retain(|field| !optional.contains(field) || named.iter().any(|(n, _)| n == field));
        assert_eq!(
            named.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
            listed,
            "the bundle's fields and the stored row's"
        );
        for (field, cell) in T::ROW_FIELDS.iter().zip(&cells) {
            let value = named
                .iter()
                .find(|(n, _)| n == field)
                .map_or(serde_json::Value::Null, |(_, v)| v.clone());
            assert_eq!(&value, cell, "{field}");
        }
        assert_eq!(cells.len(), T::ROW_FIELDS.len());
    }

    #[test]
    fn an_array_holds_every_field_of_the_bundle_in_the_order_listed() {
        let record = record();
        fields_in_order(&record.pupils()[0], &[]);
        fields_in_order(&record.meetings()[0], &[]);
        fields_in_order(&record.actions()[0], &[]);
        // A history entry's meeting is left out of a bundle when it has none.
        for with_meeting in [true, false] {
            let entry = record
                .history()
                .iter()
                .find(|h| h.meeting.is_some() == with_meeting);
            fields_in_order(entry.expect("the sample has both"), &["meeting"]);
        }
    }

    #[test]
    fn a_bucket_without_rows_is_refused_not_read_as_empty() {
        for json in [
            r#"{"format":"sendlog","schema":1}"#,
            r#"{"format":"sendlog","schema":1,"rows":[],"records":[]}"#,
        ] {
            assert!(Action::decode_bucket(json.as_bytes()).is_err(), "{json}");
        }
        let row_too_short = r#"{"format":"sendlog","schema":1,"rows":[["x"]]}"#;
        assert!(Pupil::decode_bucket(row_too_short.as_bytes()).is_err());
    }
}
