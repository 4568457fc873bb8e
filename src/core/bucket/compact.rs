//! The compact form of a stored bucket of actions, history entries or meetings, the kinds a
//! large school holds tens of thousands of (a meeting for every four actions or so): opening the
//! app reads and decodes every one of them.
//!
//! A compact bucket is the byte [`MARK`], then the bucket in `postcard` (a kept serde format:
//! lengths before text, numbers as varints), `(format, schema, rows)`. Each row is a tuple of
//! its fields in the order of `ROW_FIELDS`, as the JSON form's arrays are, but an id is its
//! sixteen bytes, a day its number counted from 1 Jan of year 1, a moment its seconds and
//! nanoseconds since 1970, and a choice (status, item type, statutory step, the field a change
//! touched, a meeting's type) its stable code as text: the same codes as in a bundle, so a reordered list never
//! reads a stored choice as another. Text has no escapes to undo and ids and dates no digits to
//! parse, which halves the time to decode a bucket compared with its JSON. Every day and moment
//! read is held to the years SEND Log accepts, as the JSON form's are.

use super::Bucket;
use crate::action::LastUpdate;
use crate::choice::Choice;
use crate::dates;
use crate::history::{Field, FieldChange};
use crate::record::{FORMAT_NAME, SCHEMA_VERSION};
use crate::statutory::{Statutory, Step};
use crate::{
    Action, ActionId, EntryId, HistoryEntry, ItemType, Meeting, MeetingId, MeetingType, PupilId,
    Status,
};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The first byte of a compact bucket. A bucket's JSON text starts with `{` or with white
/// space, never with a zero byte, so the first byte tells the two forms apart.
pub const MARK: u8 = 0;

type Id = [u8; 16];
/// A day as chrono counts it from 1 Jan of year 1 (`num_days_from_ce`).
type Day = i32;
/// Seconds since 1970 and the nanoseconds past them.
type Moment = (i64, u32);

/// What a compact bucket holds after its mark. The rows follow what it says of itself, which
/// is read first: a row of a later schema (with a field added) is then read by the schema the
/// bucket names, and a bucket of a schema newer than this version's is refused as such (its
/// rows left unread) rather than as damaged.
#[derive(Serialize)]
struct Compact<'a, R> {
    format: &'a str,
    schema: u32,
    rows: Vec<R>,
}

/// An action's row, its fields in the order of `Action::ROW_FIELDS`.
type ActionRow<'a> = (
    Id,
    Id,
    Day,
    Option<Id>,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    Day,
    &'a str,
    Moment,
    &'a str,
    &'a str,
    Option<Day>,
    bool,
    Option<(Day, &'a str)>,
);

/// A history entry's row, its fields in the order of `HistoryEntry::ROW_FIELDS`; each change
/// is `(field, before, after)`.
type EntryRow<'a> = (
    Id,
    Id,
    Moment,
    &'a str,
    Option<Id>,
    Vec<(&'a str, &'a str, &'a str)>,
);

/// A meeting's row, its fields in the order of `Meeting::ROW_FIELDS`.
type MeetingRow<'a> = (Id, Day, Id, &'a str, Vec<&'a str>, &'a str, &'a str, Moment);

fn encode<R: Serialize>(rows: Vec<R>) -> Vec<u8> {
    let bucket = Compact {
        format: FORMAT_NAME,
        schema: SCHEMA_VERSION,
        rows,
    };
    // Measured first (a pass that only counts bytes), so that the bytes are written once into
    // a vector of their size rather than copied each time it grows: a bucket of a thousand
    // actions is about a quarter of a megabyte.
    let size = postcard::experimental::serialized_size(&bucket).expect("rows always encode");
    let mut out = Vec::with_capacity(1 + size);
    out.push(MARK);
    postcard::to_extend(&bucket, out).expect("rows always encode")
}

/// Reads a compact bucket (the mark already seen), every row through `row`.
fn decode<'a, R: Deserialize<'a>, T>(
    bytes: &'a [u8],
    row: impl Fn(R) -> Result<T, String>,
) -> Result<Bucket<T>, String> {
    let damaged = |e: postcard::Error| format!("the stored bucket is cut short or damaged ({e})");
    let body = bytes.get(1..).unwrap_or_default();
    let ((format, schema), body): ((&str, u32), _) =
        postcard::take_from_bytes(body).map_err(damaged)?;
    let format = format.to_string();
    if schema > SCHEMA_VERSION {
        // Refused by the caller for its schema; its rows may be laid out otherwise.
        let records = Vec::new();
        return Ok(Bucket {
            format,
            schema,
            records,
        });
    }
    // The rows as postcard writes a sequence (its length, then each row), each turned into its
    // record as it is read, with no list of rows in between. Every row holds at least two ids,
    // so a damaged count never makes room for more rows than the bucket's bytes could hold.
    let (count, mut body): (usize, _) = postcard::take_from_bytes(body).map_err(damaged)?;
    let mut records = Vec::with_capacity(count.min(body.len() / (2 * size_of::<Id>())));
    for _ in 0..count {
        let (read, rest): (R, _) = postcard::take_from_bytes(body).map_err(damaged)?;
        records.push(row(read)?);
        body = rest;
    }
    if !body.is_empty() {
        return Err(format!(
            "the stored bucket has {} bytes after its last row",
            body.len()
        ));
    }
    Ok(Bucket {
        format,
        schema,
        records,
    })
}

fn day(date: NaiveDate) -> Day {
    date.num_days_from_ce()
}

fn read_day(number: Day) -> Result<NaiveDate, String> {
    let date = NaiveDate::from_num_days_from_ce_opt(number)
        .ok_or_else(|| dates::outside_years(&format!("The day numbered {number}")))?;
    dates::check_year(date, "The date")
}

fn moment(at: DateTime<Utc>) -> Moment {
    (at.timestamp(), at.timestamp_subsec_nanos())
}

fn read_moment((seconds, nanos): Moment) -> Result<DateTime<Utc>, String> {
    let at = DateTime::from_timestamp(seconds, nanos)
        .ok_or_else(|| format!("{seconds} seconds and {nanos} nanoseconds is not a time"))?;
    dates::check_moment(at)
}

fn choice<C: Choice>(code: &str, what: &str) -> Result<C, String> {
    C::ALL
        .iter()
        .copied()
        .find(|c| c.code() == code)
        .ok_or_else(|| format!("\"{code}\" is not a {what} SEND Log knows"))
}

pub fn encode_actions(rows: &[Action]) -> Vec<u8> {
    encode(rows.iter().map(action_row).collect())
}

fn action_row(action: &Action) -> ActionRow<'_> {
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
    (
        id.to_bytes(),
        pupil.to_bytes(),
        day(*raised),
        meeting.map(MeetingId::to_bytes),
        item_type.code(),
        decision,
        next_step,
        owner,
        day(*due),
        status.code(),
        moment(*at),
        note,
        evidence,
        next_review.map(day),
        *escalate,
        statutory.map(|s| (day(s.review), s.step.rule().code)),
    )
}

pub fn decode_actions(bytes: &[u8]) -> Result<Bucket<Action>, String> {
    decode(
        bytes,
        |(
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
        ): ActionRow| {
            Ok(Action {
                id: ActionId::from_stored_bytes(id),
                pupil: PupilId::from_stored_bytes(pupil),
                raised: read_day(raised)?,
                meeting: meeting.map(MeetingId::from_stored_bytes),
                item_type: choice::<ItemType>(item_type, "type of item")?,
                decision: decision.to_string(),
                next_step: next_step.to_string(),
                owner: owner.to_string(),
                due: read_day(due)?,
                status: choice::<Status>(status, "status")?,
                last_update: LastUpdate {
                    at: read_moment(at)?,
                    note: note.to_string(),
                },
                evidence: evidence.to_string(),
                next_review: next_review.map(read_day).transpose()?,
                escalate,
                statutory: statutory
                    .map(|(review, step)| {
                        Ok::<_, String>(Statutory {
                            review: read_day(review)?,
                            step: Step::from_code(step)
                                .ok_or_else(|| format!("\"{step}\" is not a statutory step"))?,
                        })
                    })
                    .transpose()?,
            })
        },
    )
}

pub fn encode_history(rows: &[HistoryEntry]) -> Vec<u8> {
    encode(rows.iter().map(entry_row).collect())
}

fn entry_row(entry: &HistoryEntry) -> EntryRow<'_> {
    let HistoryEntry {
        id,
        action,
        at,
        note,
        meeting,
        changes,
    } = entry;
    (
        id.to_bytes(),
        action.to_bytes(),
        moment(*at),
        note,
        meeting.map(MeetingId::to_bytes),
        changes
            .iter()
            .map(|c| (c.field.code(), c.before.as_str(), c.after.as_str()))
            .collect(),
    )
}

pub fn decode_history(bytes: &[u8]) -> Result<Bucket<HistoryEntry>, String> {
    decode(
        bytes,
        |(id, action, at, note, meeting, changes): EntryRow| {
            Ok(HistoryEntry {
                id: EntryId::from_stored_bytes(id),
                action: ActionId::from_stored_bytes(action),
                at: read_moment(at)?,
                note: note.to_string(),
                meeting: meeting.map(MeetingId::from_stored_bytes),
                changes: changes
                    .into_iter()
                    .map(|(field, before, after)| {
                        Ok(FieldChange {
                            field: Field::from_code(field).ok_or_else(|| {
                                format!("\"{field}\" is not a field of an action")
                            })?,
                            before: before.to_string(),
                            after: after.to_string(),
                        })
                    })
                    .collect::<Result<_, String>>()?,
            })
        },
    )
}

pub fn encode_meetings(rows: &[Meeting]) -> Vec<u8> {
    encode(rows.iter().map(meeting_row).collect())
}

fn meeting_row(meeting: &Meeting) -> MeetingRow<'_> {
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
    (
        id.to_bytes(),
        day(*date),
        pupil.to_bytes(),
        meeting_type.code(),
        attendees.iter().map(String::as_str).collect(),
        summary,
        working_notes,
        moment(*updated_at),
    )
}

pub fn decode_meetings(bytes: &[u8]) -> Result<Bucket<Meeting>, String> {
    decode(
        bytes,
        |(id, date, pupil, meeting_type, attendees, summary, working_notes, updated_at): MeetingRow| {
            Ok(Meeting {
                id: MeetingId::from_stored_bytes(id),
                date: read_day(date)?,
                pupil: PupilId::from_stored_bytes(pupil),
                meeting_type: choice::<MeetingType>(meeting_type, "type of meeting")?,
                attendees: attendees.into_iter().map(str::to_string).collect(),
                summary: summary.to_string(),
                working_notes: working_notes.to_string(),
                updated_at: read_moment(updated_at)?,
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::record;
    use super::super::Row;
    use super::*;
    use crate::Pupil;

    #[test]
    fn actions_history_and_meetings_are_stored_compact_and_their_json_still_reads() {
        let record = record();
        let actions = Action::encode_bucket(record.actions());
        let history = HistoryEntry::encode_bucket(record.history());
        for stored in [&actions, &history] {
            assert_eq!(stored.first(), Some(&MARK));
        }
        let json = Action::encode_json(record.actions());
        assert!(
            actions.len() * 3 < json.len() * 2,
            "{} {}",
            actions.len(),
            json.len()
        );
        assert_eq!(
            Action::decode_bucket(json.as_bytes()).unwrap().records,
            record.actions()
        );
        let json = HistoryEntry::encode_json(record.history());
        assert_eq!(
            HistoryEntry::decode_bucket(json.as_bytes())
                .unwrap()
                .records,
            record.history()
        );
        let meetings = Meeting::encode_bucket(record.meetings());
        assert_eq!(meetings.first(), Some(&MARK));
        let json = Meeting::encode_json(record.meetings());
        assert!(
            meetings.len() < json.len(),
            "{} {}",
            meetings.len(),
            json.len()
        );
        assert_eq!(
            Meeting::decode_bucket(json.as_bytes()).unwrap().records,
            record.meetings()
        );
        // Pupils stay JSON: one for every 25 actions or so, read in no time.
        assert_eq!(Pupil::encode_bucket(record.pupils()).first(), Some(&b'{'));
    }

    #[test]
    fn a_compact_bucket_cut_short_or_with_more_after_it_is_refused() {
        let record = record();
        let actions = Action::encode_bucket(record.actions());
        for end in [1, 2, 10, actions.len() / 2, actions.len() - 1] {
            let error = Action::decode_bucket(&actions[..end])
                .map(|_| ())
                .unwrap_err();
            assert!(error.contains("cut short or damaged"), "{end}: {error}");
        }
        let mut longer = actions.clone();
        longer.push(7);
        let error = Action::decode_bucket(&longer).map(|_| ()).unwrap_err();
        assert!(error.contains("1 bytes after its last row"), "{error}");
        let history = HistoryEntry::encode_bucket(record.history());
        assert!(HistoryEntry::decode_bucket(&history[..history.len() - 3]).is_err());
        let meetings = Meeting::encode_bucket(record.meetings());
        assert!(Meeting::decode_bucket(&meetings[..meetings.len() - 3]).is_err());
        // A bucket of one kind is not read as another.
        assert!(HistoryEntry::decode_bucket(&actions).is_err());
        assert!(Action::decode_bucket(&history).is_err());
        assert!(Meeting::decode_bucket(&actions).is_err());
        assert!(Action::decode_bucket(&meetings).is_err());
    }

    #[test]
    fn a_compact_bucket_of_a_newer_schema_says_its_schema_whatever_its_rows() {
        let record = record();
        let mut stored = Action::encode_bucket(record.actions());
        // The schema follows the mark and the format name (its length, then its letters).
        let at = 2 + FORMAT_NAME.len();
        assert_eq!(u32::from(stored[at]), SCHEMA_VERSION, "a one-byte varint");
        stored[at] = u8::try_from(SCHEMA_VERSION + 1).unwrap();
        stored.truncate(at + 5);
        let bucket = Action::decode_bucket(&stored).unwrap();
        assert_eq!(bucket.schema, SCHEMA_VERSION + 1);
        assert_eq!(bucket.format, FORMAT_NAME);
    }

    #[test]
    fn a_compact_day_or_choice_this_version_does_not_accept_is_refused_by_name() {
        let record = record();
        let mut action = record.actions()[0].clone();
        action.due = NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
        let stored = Action::encode_bucket(&[action]);
        let error = Action::decode_bucket(&stored).map(|_| ()).unwrap_err();
        assert!(error.contains("is outside the years"), "{error}");
        let action = &record.actions()[0];
        let stored = Action::encode_bucket(std::slice::from_ref(action));
        let code = crate::choice::Choice::code(action.status).as_bytes();
        let at = stored.windows(code.len()).position(|w| w == code).unwrap();
        let mut changed = stored.clone();
        changed[at] = b'X';
        let error = Action::decode_bucket(&changed).map(|_| ()).unwrap_err();
        assert!(error.contains("is not a status SEND Log knows"), "{error}");
        let mut meeting = record.meetings()[0].clone();
        meeting.meeting_type = MeetingType::TransitionMeeting;
        let stored = Meeting::encode_bucket(&[meeting]);
        let code = b"transition_meeting";
        let at = stored.windows(code.len()).position(|w| w == code).unwrap();
        let mut changed = stored.clone();
        changed[at] = b'X';
        let error = Meeting::decode_bucket(&changed).map(|_| ()).unwrap_err();
        assert!(
            error.contains("is not a type of meeting SEND Log knows"),
            "{error}"
        );
    }
}
