//! The JSON bundle: the whole record (or the part a filter shows) in one file, an exact copy for
//! moving the record to another device. Its fields are described in the README.
//!
//! ```json
//! { "format": "sendlog", "schema": 3, "written_by": "SEND Log 0.1.0",
//!   "exported_at": "2026-04-23T15:04:05Z",
//!   "pupils": [...], "meetings": [...], "actions": [...], "history": [...] }
//! ```
//!
//! Reading one checks everything before the record is touched: the format name, a schema no
//! newer than this app's, the JSON itself, ids that appear twice, and rows that point at a
//! pupil, meeting or action that is neither in the file nor on this device.

use super::action::Action;
use super::choice::Choice;
use super::dates;
use super::guard::{self, OwnerCheck};
use super::history::HistoryEntry;
use super::id::{ActionId, MeetingId, PupilId};
use super::meeting::Meeting;
use super::merge::{new_history, Changes, ImportPlan, Problem};
use super::pupil::Pupil;
use super::record::{Record, APP_VERSION, FORMAT_NAME, SCHEMA_VERSION};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The largest bundle read: about three times a large school's whole record.
pub const JSON_LIMIT_BYTES: usize = 200 * 1024 * 1024;

/// Which rows a file holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Part<'a> {
    Everything,
    /// These actions (as a filter found them; any no longer in the record left out), with
    /// their pupils, meetings and history.
    Actions(&'a [ActionId]),
    /// One pupil: every action, meeting and history entry of theirs.
    Pupil(PupilId),
}

/// The rows of a [`Part`], borrowed from the record.
pub struct Selected<'a> {
    pub pupils: Vec<&'a Pupil>,
    pub meetings: Vec<&'a Meeting>,
    pub actions: Vec<&'a Action>,
    pub history: Vec<&'a HistoryEntry>,
}

/// The actions of a [`Part`]: in the record's order, or in the order a filter found them.
pub fn actions_of<'a>(record: &'a Record, part: &Part) -> Vec<&'a Action> {
    match part {
        Part::Everything => record.actions().iter().collect(),
        Part::Actions(ids) => ids.iter().filter_map(|&id| record.action(id)).collect(),
        Part::Pupil(pupil) => record
            .actions()
            .iter()
            .filter(|a| a.pupil == *pupil)
            .collect(),
    }
}

impl<'a> Selected<'a> {
    pub fn of(record: &'a Record, part: &Part) -> Self {
        let actions = actions_of(record, part);
        if *part == Part::Everything {
            return Selected {
                pupils: record.pupils().iter().collect(),
                meetings: record.meetings().iter().collect(),
                actions,
                history: record.history().iter().collect(),
            };
        }
        let action_ids: HashSet<ActionId> = actions.iter().map(|a| a.id).collect();
        let mut pupil_ids: HashSet<PupilId> = actions.iter().map(|a| a.pupil).collect();
        let mut meeting_ids: HashSet<MeetingId> =
            actions.iter().filter_map(|a| a.meeting).collect();
        if let Part::Pupil(pupil) = part {
            pupil_ids.insert(*pupil);
            meeting_ids.extend(
                record
                    .meetings()
                    .iter()
                    .filter(|m| m.pupil == *pupil)
                    .map(|m| m.id),
            );
        }
        Selected {
            pupils: record
                .pupils()
                .iter()
                .filter(|p| pupil_ids.contains(&p.id))
                .collect(),
            meetings: record
                .meetings()
                .iter()
                .filter(|m| meeting_ids.contains(&m.id))
                .collect(),
            actions,
            history: record
                .history()
                .iter()
                .filter(|h| action_ids.contains(&h.action))
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct BundleOut<'a> {
    format: &'static str,
    schema: u32,
    /// The release that wrote the file: "SEND Log 0.1.0".
    written_by: String,
    exported_at: DateTime<Utc>,
    pupils: Vec<&'a Pupil>,
    meetings: Vec<&'a Meeting>,
    actions: Vec<&'a Action>,
    history: Vec<&'a HistoryEntry>,
}

/// The bundle of `part` of the record, as UTF-8 JSON bytes.
pub fn export(record: &Record, part: &Part, now: DateTime<Utc>) -> Vec<u8> {
    let selected = Selected::of(record, part);
    serde_json::to_vec(&BundleOut {
        format: FORMAT_NAME,
        schema: SCHEMA_VERSION,
        written_by: written_by(),
        exported_at: now,
        pupils: selected.pupils,
        meetings: selected.meetings,
        actions: selected.actions,
        history: selected.history,
    })
    .expect("the record always encodes")
}

/// A file name that sorts by date, and says what it holds: `sendlog-actions-2026-04-23.csv`,
/// `sendlog-record-2026-04-23-siân-evans.json` for a part of the record.
pub fn file_name(word: &str, today: NaiveDate, about: Option<&str>, extension: &str) -> String {
    let mut name = format!("sendlog-{word}-{}", dates::iso(today));
    if let Some(about) = about {
        let slug: Vec<String> = about
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if !slug.is_empty() {
            name.push('-');
            name.push_str(&slug.join("-"));
        }
    }
    format!("{name}.{extension}")
}

/// What a bundle says wrote it: "SEND Log 0.1.0".
pub fn written_by() -> String {
    format!("SEND Log {APP_VERSION}")
}

/// Just the fields that say what a file is, read before the rest.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    schema: Option<u32>,
    /// Absent in files written before releases were numbered.
    written_by: Option<String>,
}

/// A bundle as read from a file.
#[derive(Deserialize)]
struct BundleIn {
    #[serde(default)]
    pupils: Vec<Pupil>,
    #[serde(default)]
    meetings: Vec<Meeting>,
    #[serde(default)]
    actions: Vec<Action>,
    #[serde(default)]
    history: Vec<HistoryEntry>,
}

/// Reads a bundle and works out what importing it would do. Nothing changes until the plan is
/// applied with [`super::merge::apply`].
// Never inlined into the app's views, which are compiled for size (see Cargo.toml).
#[inline(never)]
pub fn plan(record: &Record, source: &str, bytes: &[u8]) -> ImportPlan {
    match read(record, source, bytes) {
        Ok(plan) => plan,
        Err(problem) => ImportPlan::refused(record, source, problem),
    }
}

fn read(record: &Record, source: &str, bytes: &[u8]) -> Result<ImportPlan, Problem> {
    if bytes.len() > JSON_LIMIT_BYTES {
        return Err(Problem::with_file(format!(
            "it is {} MB; the largest file SEND Log reads is {} MB. Export a smaller part (one \
             pupil, or a filter) and import that.",
            bytes.len() / (1024 * 1024),
            JSON_LIMIT_BYTES / (1024 * 1024)
        )));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let not_bundle = || {
        Problem::with_file(
            "this is not a SEND Log bundle. Choose a .json file exported from SEND Log, or a \
             .csv spreadsheet.",
        )
    };
    let header: Header = serde_json::from_slice(bytes).map_err(|error| match error.classify() {
        serde_json::error::Category::Eof => Problem::with_file(format!(
            "it ends too soon (line {}): it may have been cut short while copying. Export it \
             again.",
            error.line()
        )),
        serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
            Problem::with_file(format!(
                "it is not valid JSON (line {}, column {}). Export it again from SEND Log.",
                error.line(),
                error.column()
            ))
        }
        serde_json::error::Category::Data => not_bundle(),
    })?;
    if header.format.as_deref() != Some(FORMAT_NAME) {
        return Err(not_bundle());
    }
    let schema = header.schema.ok_or_else(not_bundle)?;
    if schema > SCHEMA_VERSION {
        let by = header
            .written_by
            .as_deref()
            .map(|by| by.chars().take(40).collect::<String>())
            .filter(|by| !by.trim().is_empty())
            .unwrap_or_else(|| "a newer version of SEND Log".into());
        return Err(Problem::with_file(format!(
            "it was saved by {by} (schema {schema}; this version, {}, reads up to \
             {SCHEMA_VERSION}). Update SEND Log on this device (reload it while online), then \
             import again.",
            written_by()
        )));
    }
    let bundle: BundleIn = serde_json::from_slice(bytes).map_err(|error| {
        let (line, column, reason) = (error.line(), error.column(), error.to_string());
        let reason = plain(&reason);
        Problem::with_file(if dates::is_outside_years(reason) {
            format!(
                "a date on line {line}, column {column} cannot be read: {reason} Correct it in \
                 the file, or export the file again on the device it came from."
            )
        } else {
            format!(
                "a row is not as SEND Log writes it (line {line}, column {column}: {reason}). \
                 Export it again."
            )
        })
    })?;
    let mut plan = ImportPlan::new(record, source);
    check(record, &bundle, &mut plan.problems);
    let names = Names::new(record, &bundle.pupils);
    plan.pupils = Changes::merge(record, bundle.pupils, |p| p.name.clone());
    plan.meetings = Changes::merge(record, bundle.meetings, |m| {
        format!(
            "{} for {} on {}",
            m.meeting_type.label(),
            names.of(m.pupil),
            dates::uk(m.date)
        )
    });
    plan.actions = Changes::merge(record, bundle.actions, |a| {
        format!("Action for {}: {}", names.of(a.pupil), a.next_step)
    });
    plan.history = new_history(record, bundle.history);
    Ok(plan)
}

/// serde's message without its " at line 3 column 7" tail, which is said already.
fn plain(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}

/// Pupils' names, from this device and the file, to describe rows.
struct Names<'a> {
    record: &'a Record,
    incoming: std::collections::HashMap<PupilId, String>,
}

impl<'a> Names<'a> {
    fn new(record: &'a Record, incoming: &[Pupil]) -> Self {
        Names {
            record,
            incoming: incoming.iter().map(|p| (p.id, p.name.clone())).collect(),
        }
    }
    fn of(&self, pupil: PupilId) -> String {
        self.record
            .pupil(pupil)
            .map(|p| p.name.as_str())
            .or_else(|| self.incoming.get(&pupil).map(String::as_str))
            .unwrap_or("an unknown pupil")
            .to_string()
    }
}

/// Ids that appear twice, and rows that point at something neither here nor in the file.
fn check(record: &Record, bundle: &BundleIn, problems: &mut Vec<Problem>) {
    fn at(kind: &str, index: usize) -> String {
        format!("{kind} {} in the file", index + 1)
    }
    let mut problem = |place: String, column: &str, message: String| {
        problems.push(Problem {
            place,
            column: column.into(),
            message,
        })
    };
    let mut pupils = HashSet::new();
    for (i, pupil) in bundle.pupils.iter().enumerate() {
        if !pupils.insert(pupil.id) {
            problem(at("Pupil", i), "id", format!("{} appears twice.", pupil.id));
        }
        if pupil.name.trim().is_empty() {
            problem(at("Pupil", i), "name", "is empty.".into());
        }
    }
    let pupil_known = |id: PupilId| pupils.contains(&id) || record.pupil(id).is_some();
    let mut meetings = HashSet::new();
    for (i, meeting) in bundle.meetings.iter().enumerate() {
        if !meetings.insert(meeting.id) {
            problem(
                at("Meeting", i),
                "id",
                format!("{} appears twice.", meeting.id),
            );
        }
        if !pupil_known(meeting.pupil) {
            problem(
                at("Meeting", i),
                "pupil",
                format!(
                    "{} is neither in the file nor on this device.",
                    meeting.pupil
                ),
            );
        }
    }
    let meeting_known = |id: MeetingId| meetings.contains(&id) || record.meeting(id).is_some();
    let mut actions = HashSet::new();
    for (i, action) in bundle.actions.iter().enumerate() {
        if !actions.insert(action.id) {
            problem(
                at("Action", i),
                "id",
                format!("{} appears twice.", action.id),
            );
        }
        if !pupil_known(action.pupil) {
            problem(
                at("Action", i),
                "pupil",
                format!(
                    "{} is neither in the file nor on this device.",
                    action.pupil
                ),
            );
        }
        if let Some(meeting) = action.meeting.filter(|&m| !meeting_known(m)) {
            problem(
                at("Action", i),
                "meeting",
                format!("{meeting} is neither in the file nor on this device."),
            );
        }
        if let OwnerCheck::Refused(reason) = guard::check_owner(&action.owner) {
            problem(at("Action", i), "owner", reason);
        }
        if action.next_step.trim().is_empty() {
            problem(at("Action", i), "next_step", "is empty.".into());
        }
    }
    let mut entries = HashSet::new();
    for (i, entry) in bundle.history.iter().enumerate() {
        if !entries.insert(entry.id) {
            problem(
                at("History entry", i),
                "id",
                format!("{} appears twice.", entry.id),
            );
        }
        if !actions.contains(&entry.action) && record.action(entry.action).is_none() {
            problem(
                at("History entry", i),
                "action",
                format!(
                    "{} is neither in the file nor on this device.",
                    entry.action
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::example::example;

    #[test]
    fn the_rows_a_filter_found_are_the_same_rows_after_others_have_moved() {
        let today = NaiveDate::from_ymd_opt(2026, 4, 23).unwrap();
        let mut record = example(today);
        // Three later actions of other pupils, newest first, as a sorted list might hold them.
        let first = record.actions()[0].pupil;
        let count = record.actions().len();
        let mut others: Vec<usize> = (0..count)
            .rev()
            .filter(|&at| record.actions()[at].pupil != first)
            .take(3)
            .collect();
        others.swap(1, 2);
        let chosen: Vec<ActionId> = record.action_ids(&others);
        let kept: Vec<Action> = chosen
            .iter()
            .map(|&id| record.action(id).unwrap().clone())
            .collect();
        assert_eq!(kept.len(), 3);
        // Rows before them go: every position after them moves.
        record.remove_pupils(&[first]);
        assert!(record.actions().len() < count);
        let found: Vec<Action> = actions_of(&record, &Part::Actions(&chosen))
            .into_iter()
            .cloned()
            .collect();
        assert_eq!(found, kept, "the same rows, in the order found");
        // A row no longer in the record is left out, and a position past the end too.
        let gone = record.action_ids(&[0, record.actions().len()]);
        assert_eq!(gone.len(), 1);
        record.remove_pupils(&[record.actions()[0].pupil]);
        assert!(actions_of(&record, &Part::Actions(&gone)).is_empty());
    }

    #[test]
    fn key_adults_travel_in_a_bundle_and_one_of_schema_2_has_none() {
        use crate::key_adults::{KeyAdult, KeyRole};
        let today = NaiveDate::from_ymd_opt(2026, 4, 23).unwrap();
        let now = Utc::now();
        let mut record = example(today);
        let pupil = record.pupils()[1].id;
        let adults = vec![KeyAdult {
            role: KeyRole::ClassTeacher,
            name: "Mrs Öztürk".into(),
        }];
        record
            .edit_pupil(
                pupil,
                crate::record::PupilEdit::KeyAdults(adults.clone()),
                now,
            )
            .unwrap();
        let json = String::from_utf8(export(&record, &Part::Everything, now)).unwrap();
        let named = r#","key_adults":[{"role":"class_teacher","name":"Mrs Öztürk"}]"#;
        assert!(json.contains(named), "{json}");
        let mut copy = Record::default();
        let planned = plan(&copy, "record.json", json.as_bytes());
        crate::merge::apply(&mut copy, &planned).unwrap();
        assert_eq!(copy.pupil(pupil).unwrap().key_adults, adults);

        // The same bundle as schema 2 wrote it: no key_adults, and schema 2.
        let old = json
            .replace(named, "")
            .replace(",\"key_adults\":[]", "")
            .replace(&format!("\"schema\":{SCHEMA_VERSION}"), "\"schema\":2");
        assert!(!old.contains("key_adults"));
        let mut copy = Record::default();
        let planned = plan(&copy, "old.json", old.as_bytes());
        crate::merge::apply(&mut copy, &planned).unwrap();
        assert!(copy.pupils().iter().all(|p| p.key_adults.is_empty()));
        assert_eq!(copy.pupils().len(), record.pupils().len());
    }

    #[test]
    fn the_day_a_pupil_left_travels_in_a_bundle_and_one_of_schema_1_has_none() {
        let today = NaiveDate::from_ymd_opt(2026, 4, 23).unwrap();
        let now = Utc::now();
        let mut record = example(today);
        let pupil = record.pupils()[1].id;
        let left = NaiveDate::from_ymd_opt(2026, 7, 22);
        record
            .edit_pupil(pupil, crate::record::PupilEdit::LeftOn(left), now)
            .unwrap();
        let json = String::from_utf8(export(&record, &Part::Everything, now)).unwrap();
        assert!(json.contains("\"left_on\":\"2026-07-22\""));
        let mut copy = Record::default();
        let planned = plan(&copy, "record.json", json.as_bytes());
        crate::merge::apply(&mut copy, &planned).unwrap();
        assert_eq!(copy.pupil(pupil).unwrap().left_on, left);

        // The same bundle as schema 1 wrote it: no left_on, and schema 1.
        let old = json
            .replace(",\"left_on\":\"2026-07-22\"", "")
            .replace(",\"left_on\":null", "")
            .replace(&format!("\"schema\":{SCHEMA_VERSION}"), "\"schema\":1");
        assert!(!old.contains("left_on"));
        let mut copy = Record::default();
        let planned = plan(&copy, "old.json", old.as_bytes());
        crate::merge::apply(&mut copy, &planned).unwrap();
        assert!(copy.pupils().iter().all(|p| p.left_on.is_none()));
        assert_eq!(copy.pupils().len(), record.pupils().len());
    }
}
