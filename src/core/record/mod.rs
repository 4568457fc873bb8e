//! The school's whole SEND record in memory: its rows, and where each one is by id.
//!
//! Pupils, meetings, actions and their history are each kept in the order they were made. The
//! operations that change the record live beside it, a family to a file: `pupils` (adding,
//! editing, removing), `meetings`, `actions` (adding, editing, reviewing), `edits` (what an edit
//! changes, in words), `undo`, and `patch` (a change kept by position and put back over the
//! stored record). Each operation checks its rules, changes the record, writes a history entry
//! where a row changed, and says which stored positions it touched so that the store saves only
//! those.

mod actions;
mod announce;
mod edits;
mod meetings;
mod patch;
mod pupils;
mod undo;

pub use actions::Review;
pub use announce::Announced;
pub use edits::{check_edit, describe, edited, edits_from_draft, Edit};
pub use meetings::{MeetingEdit, NewMeeting};
pub use patch::Patch;
pub use pupils::{NewPupil, PupilEdit, Removed};
pub use undo::Undo;

use super::action::Action;
use super::guard::{self, Verdict};
use super::history::{Field, HistoryEntry};
use super::id::{ActionId, MeetingId, PupilId};
use super::meeting::Meeting;
use super::pupil::{Pupil, PupilProblem};
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;
use std::fmt;

/// The name written into every stored bucket and exported bundle.
pub const FORMAT_NAME: &str = "sendlog";

/// This release of SEND Log, from the workspace's Cargo.toml: shown in Settings and written into
/// every exported bundle as `written_by`.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The version of the stored and exported record layout. Raise it when a field is added or
/// changes meaning or shape, and teach the readers to read the older one; a version of SEND
/// Log that meets a newer one refuses it, saying so, rather than misread it.
///
/// - 1: the first.
/// - 2: a pupil's `left_on` (left the school on), last in a stored pupil row. A row or bundle of
///   schema 1 has none: the pupil has not left. Buckets of schema 1 are read as they are and
///   written as schema 2 when they next change; nothing is rewritten just to upgrade it.
/// - 3: a pupil's `key_adults` (their class teacher, key worker and others, by role and name),
///   last in a stored pupil row. A row or bundle of schema 1 or 2 has none: the pupil has no key
///   adults named. Read and upgraded as schema 2 was.
/// - 4: a pupil's `born` (date of birth, for a retention rule counted from it), last in a stored
///   pupil row. A row or bundle of schema 1 to 3 has none: not recorded. Read and upgraded as
///   schema 2 was.
/// - 5: an action's `statutory` (the statutory step of an EHC plan's annual review it is, and the
///   review's date), last in a stored action row. A row or bundle of schema 1 to 4 has none: an
///   ordinary action. Read and upgraded as schema 2 was.
pub const SCHEMA_VERSION: u32 = 5;

/// The four kinds of stored record, each kept in insertion order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Pupils,
    Meetings,
    Actions,
    History,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Pupils, Kind::Meetings, Kind::Actions, Kind::History];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Pupils => "pupils",
            Kind::Meetings => "meetings",
            Kind::Actions => "actions",
            Kind::History => "history",
        }
    }
}

/// The positions (in insertion order) that a change wrote, per kind of record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Touched(pub Vec<(Kind, usize)>);

impl Touched {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Why a change was not made. The record is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    NoSuchAction,
    NoSuchMeeting,
    NoSuchPupil,
    Pupil(PupilProblem),
    /// The guards refused the row; the verdict says why, field by field.
    Row(Verdict),
    /// One edited field was refused, with the reason a person reads.
    Field(Field, String),
    /// An import was not applied; the message says why and what to do.
    Import(String),
    /// No change can be made here just now; the message says why and what to do.
    NotHere(String),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NoSuchAction => f.write_str("That action is no longer in the record."),
            Refusal::NoSuchMeeting => f.write_str("That meeting is no longer in the record."),
            Refusal::NoSuchPupil => f.write_str("That pupil is no longer in the record."),
            Refusal::Pupil(problem) => problem.fmt(f),
            Refusal::Row(verdict) => {
                let reasons: Vec<&str> = verdict
                    .concerns
                    .iter()
                    .filter(|c| c.severity == guard::Severity::Refusal)
                    .map(|c| c.message.as_str())
                    .collect();
                f.write_str(&reasons.join(" "))
            }
            Refusal::Field(field, reason) => write!(f, "{}: {reason}", field.label()),
            Refusal::Import(reason) | Refusal::NotHere(reason) => f.write_str(reason),
        }
    }
}

/// A record that could not be put together from stored or imported parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordError {
    DuplicateId(Kind, String),
    /// The older history read after start-up is not as long as the newer history says.
    HistoryMissing {
        expected: usize,
        found: usize,
    },
    /// A patch puts a row past the end of its kind, or cuts a kind longer than it is.
    Gap(Kind, usize),
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::DuplicateId(kind, id) => {
                write!(f, "The record holds two {} with the id {id}.", kind.name())
            }
            RecordError::HistoryMissing { expected, found } => write!(
                f,
                "{expected} older history entries were expected and {found} were found."
            ),
            RecordError::Gap(kind, position) => write!(
                f,
                "A saved change puts one of the {} at position {position}, past the end.",
                kind.name()
            ),
        }
    }
}

/// The school's whole SEND record.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Record {
    pupils: Vec<Pupil>,
    meetings: Vec<Meeting>,
    actions: Vec<Action>,
    /// The history entries in memory: every one, or (while the rest loads after start-up) the
    /// newest, from position `history_from` on.
    history: Vec<HistoryEntry>,
    /// The position of `history[0]`: how many older entries are stored but not read yet.
    history_from: usize,
    pupil_at: HashMap<PupilId, usize>,
    meeting_at: HashMap<MeetingId, usize>,
    action_at: HashMap<ActionId, usize>,
}

fn index_of<T, K: std::hash::Hash + Eq + ToString>(
    rows: &[T],
    kind: Kind,
    key: impl Fn(&T) -> K,
) -> Result<HashMap<K, usize>, RecordError> {
    let mut at = HashMap::with_capacity_and_hasher(rows.len(), Default::default());
    for (position, row) in rows.iter().enumerate() {
        let id = key(row);
        if at.contains_key(&id) {
            return Err(RecordError::DuplicateId(kind, id.to_string()));
        }
        at.insert(id, position);
    }
    Ok(at)
}

impl Record {
    /// Puts a record together from its parts, each in insertion order.
    pub fn from_parts(
        pupils: Vec<Pupil>,
        meetings: Vec<Meeting>,
        actions: Vec<Action>,
        history: Vec<HistoryEntry>,
    ) -> Result<Self, RecordError> {
        Ok(Record {
            pupil_at: index_of(&pupils, Kind::Pupils, |p| p.id)?,
            meeting_at: index_of(&meetings, Kind::Meetings, |m| m.id)?,
            action_at: index_of(&actions, Kind::Actions, |a| a.id)?,
            pupils,
            meetings,
            actions,
            history,
            history_from: 0,
        })
    }

    /// A record whose history is in memory only from position `history_from` on: the app
    /// starts with the newest history, reads the rest afterwards and hands it over with
    /// [`Record::take_earlier_history`]. Adding history works meanwhile; reading all of it
    /// (a row's history, an import or export) waits for [`Record::history_complete`].
    pub fn with_newest_history(mut self, newest: Vec<HistoryEntry>, history_from: usize) -> Self {
        debug_assert!(self.history.is_empty());
        self.history = newest;
        self.history_from = history_from;
        self
    }

    /// Every history entry is in memory.
    pub fn history_complete(&self) -> bool {
        self.history_from == 0
    }

    /// Takes in the history entries stored before the ones in memory.
    pub fn take_earlier_history(
        &mut self,
        mut earlier: Vec<HistoryEntry>,
    ) -> Result<(), RecordError> {
        if earlier.len() != self.history_from {
            return Err(RecordError::HistoryMissing {
                expected: self.history_from,
                found: earlier.len(),
            });
        }
        earlier.reserve_exact(self.history.len());
        earlier.append(&mut self.history);
        self.history = earlier;
        self.history_from = 0;
        Ok(())
    }

    /// The position of the first history entry in memory (0 once all of it is).
    pub fn history_from(&self) -> usize {
        self.history_from
    }

    pub fn pupils(&self) -> &[Pupil] {
        &self.pupils
    }
    pub fn meetings(&self) -> &[Meeting] {
        &self.meetings
    }
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }
    /// The history entries in memory: all of them once [`Record::history_complete`], otherwise
    /// those from [`Record::history_from`] on.
    pub fn history(&self) -> &[HistoryEntry] {
        &self.history
    }

    pub fn pupil(&self, id: PupilId) -> Option<&Pupil> {
        self.pupil_at.get(&id).map(|&at| &self.pupils[at])
    }

    pub fn action(&self, id: ActionId) -> Option<&Action> {
        self.action_at.get(&id).map(|&at| &self.actions[at])
    }

    pub fn meeting(&self, id: MeetingId) -> Option<&Meeting> {
        self.meeting_at.get(&id).map(|&at| &self.meetings[at])
    }

    pub fn position_of_pupil(&self, id: PupilId) -> Option<usize> {
        self.pupil_at.get(&id).copied()
    }
    pub fn position_of_meeting(&self, id: MeetingId) -> Option<usize> {
        self.meeting_at.get(&id).copied()
    }
    pub fn position_of_action(&self, id: ActionId) -> Option<usize> {
        self.action_at.get(&id).copied()
    }

    /// The ids of the actions at `positions` (as a query found them), to hold on to across a
    /// wait or a tap: a later change may move rows, never change their ids. A position past the
    /// end is left out.
    pub fn action_ids(&self, positions: &[usize]) -> Vec<ActionId> {
        positions
            .iter()
            .filter_map(|&at| self.actions.get(at).map(|a| a.id))
            .collect()
    }

    /// How many pupils, meetings, actions and history entries the record holds, in
    /// [`Kind::ALL`] order.
    pub fn lengths(&self) -> [usize; 4] {
        [
            self.pupils.len(),
            self.meetings.len(),
            self.actions.len(),
            self.history_from + self.history.len(),
        ]
    }

    /// Finds every row by id again after rows were removed, and the rest moved up.
    fn reindex(&mut self) {
        fn positions<T, K: std::hash::Hash + Eq>(
            rows: &[T],
            key: impl Fn(&T) -> K,
        ) -> HashMap<K, usize> {
            rows.iter()
                .enumerate()
                .map(|(p, row)| (key(row), p))
                .collect()
        }
        self.pupil_at = positions(&self.pupils, |p| p.id);
        self.meeting_at = positions(&self.meetings, |m| m.id);
        self.action_at = positions(&self.actions, |a| a.id);
    }

    /// The history of one action, oldest first (entries merged in from another device take
    /// their place by time).
    pub fn history_of(&self, action: ActionId) -> Vec<&HistoryEntry> {
        let mut entries: Vec<&HistoryEntry> =
            self.history.iter().filter(|h| h.action == action).collect();
        super::order::sort_by_key(&mut entries, |h| h.at);
        entries
    }

    /// Actions, newest first, one page at a time.
    pub fn newest_actions(&self, skip: usize, take: usize) -> impl Iterator<Item = &Action> {
        self.actions.iter().rev().skip(skip).take(take)
    }

    /// Pupils in name order, for a picker.
    pub fn pupils_by_name(&self) -> Vec<&Pupil> {
        let mut pupils: Vec<&Pupil> = self.pupils.iter().collect();
        super::order::sort_by_key(&mut pupils, |p| p.name.to_lowercase());
        pupils
    }

    /// The owners already used, in alphabetical order (any case), each once, spelled as it was
    /// most recently typed: one order, so that a suggestion keeps its place however often each
    /// owner is used.
    pub fn owners(&self) -> Vec<String> {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for action in &self.actions {
            seen.insert(action.owner.trim().to_lowercase(), &action.owner);
        }
        // A map in order of the owners' lower-case text: alphabetical already.
        seen.into_values()
            .map(|name| name.trim().to_string())
            .filter(|name| !name.is_empty())
            .collect()
    }
}

/// Keeps the rows `keep` says to (held from position `from` on), and touches every position from
/// the first one that goes to the old end: the rows after it move up. Hands back where the first
/// one that went was held.
fn cut<T>(
    rows: &mut Vec<T>,
    from: usize,
    kind: Kind,
    touched: &mut Touched,
    keep: impl Fn(&T) -> bool,
) -> Option<usize> {
    let first = rows.iter().position(|row| !keep(row))?;
    touched
        .0
        .extend((from + first..from + rows.len()).map(|position| (kind, position)));
    rows.retain(keep);
    Some(first)
}

#[cfg(test)]
pub(crate) mod tests {
    //! Besides the tests of the record itself, the small record the tests of this folder start
    //! from, and what core's other tests ask of a record.
    use super::*;
    use crate::action::ActionDraft;
    use crate::meeting::MeetingType;
    use crate::pupil::{SendStatus, YearGroup};
    use chrono::{DateTime, NaiveDate, TimeZone, Utc};

    /// The record put together again from its rows alone: equal to the record when every
    /// position by id is right.
    pub(crate) fn from_rows(record: &Record) -> Record {
        Record::from_parts(
            record.pupils().to_vec(),
            record.meetings().to_vec(),
            record.actions().to_vec(),
            record.history().to_vec(),
        )
        .unwrap()
    }

    pub(crate) fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 4, 23).unwrap()
    }
    pub(crate) fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 4, 23, hour, 0, 0).unwrap()
    }

    pub(crate) fn record_with_pupil() -> (Record, PupilId) {
        let mut record = Record::default();
        let (pupil, touched) = record
            .add_pupil(
                NewPupil {
                    name: " Zoë Łukasz-O'Neil ".into(),
                    year_group: YearGroup::Year4,
                    send_status: SendStatus::SenSupport,
                    annual_review: None,
                },
                at(9),
            )
            .unwrap();
        assert_eq!(touched, Touched(vec![(Kind::Pupils, 0)]));
        (record, pupil)
    }

    pub(crate) fn draft(pupil: PupilId, owner: &str) -> ActionDraft {
        ActionDraft {
            pupil: Some(pupil),
            decision: "Written work is tiring him out".into(),
            next_step: "Reduce written work to half a page for two weeks".into(),
            owner: owner.into(),
            due: NaiveDate::from_ymd_opt(2026, 5, 7),
            ..ActionDraft::default()
        }
    }

    pub(crate) fn meeting_for(record: &mut Record, pupil: PupilId) -> MeetingId {
        record
            .start_meeting(
                NewMeeting {
                    pupil,
                    date: today(),
                    meeting_type: MeetingType::ParentConversation,
                    attendees: vec![
                        "Parent".into(),
                        " SENCO ".into(),
                        "parent".into(),
                        "".into(),
                    ],
                    summary: "Mornings and written work".into(),
                },
                at(9),
            )
            .unwrap()
            .0
    }

    #[test]
    fn owners_already_used_keep_one_alphabetical_order_however_often_each_is_used() {
        let (mut record, pupil) = record_with_pupil();
        for owner in ["SENCO", "Class teacher", "senco ", "Parent", "SENCO"] {
            record
                .add_action(&draft(pupil, owner), today(), at(10))
                .unwrap();
        }
        assert_eq!(record.owners(), vec!["Class teacher", "Parent", "SENCO"]);
        for _ in 0..3 {
            record
                .add_action(&draft(pupil, "Parent"), today(), at(11))
                .unwrap();
        }
        assert_eq!(record.owners(), vec!["Class teacher", "Parent", "SENCO"]);
    }

    #[test]
    fn parts_with_a_repeated_id_are_refused() {
        let (mut record, pupil) = record_with_pupil();
        record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let mut actions = record.actions().to_vec();
        actions.push(actions[0].clone());
        let result = Record::from_parts(record.pupils().to_vec(), vec![], actions, vec![]);
        assert!(matches!(
            result,
            Err(RecordError::DuplicateId(Kind::Actions, _))
        ));
    }

    #[test]
    fn newest_actions_come_a_page_at_a_time() {
        let (mut record, pupil) = record_with_pupil();
        let ids: Vec<ActionId> = (0..5)
            .map(|_| {
                record
                    .add_action(&draft(pupil, "SENCO"), today(), at(10))
                    .unwrap()
                    .0
            })
            .collect();
        let page: Vec<ActionId> = record.newest_actions(1, 2).map(|a| a.id).collect();
        assert_eq!(page, vec![ids[3], ids[2]]);
    }
}
