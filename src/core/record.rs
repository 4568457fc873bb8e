//! The school's whole SEND record in memory — pupils, meetings, actions and their history — and
//! the operations that change it. Each operation checks its rules, changes the record, writes a
//! history entry where a row changed, and says which stored positions it touched so that the
//! store saves only those.

use super::action::{Action, ActionDraft, ItemType, LastUpdate, Status};
use super::choice::Choice;
use super::dates;
use super::guard::{self, OwnerCheck, Verdict};
use super::history::{Field, FieldChange, HistoryEntry};
use super::id::{ActionId, EntryId, MeetingId, PupilId};
use super::meeting::{Meeting, MeetingType};
use super::merge;
use super::pupil::{Pupil, PupilProblem, SendStatus, YearGroup};
use chrono::{DateTime, NaiveDate, Utc};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The name written into every stored bucket and exported bundle.
pub const FORMAT_NAME: &str = "sendlog";

/// The version of the stored and exported record layout. Raise it when a field changes meaning
/// or shape, and teach the app's store to upgrade the older one.
pub const SCHEMA_VERSION: u32 = 1;

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

/// A change to one field of an action.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// The date raised: moved only with the meeting it was raised at ([`Record::move_meeting`]).
    Raised(NaiveDate),
    Status(Status),
    Owner(String),
    Due(NaiveDate),
    ItemType(ItemType),
    Decision(String),
    NextStep(String),
    Evidence(String),
    NextReview(Option<NaiveDate>),
    Escalate(bool),
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

/// A change that can be taken back: "Undo" takes back the last one.
#[derive(Clone, Debug, PartialEq)]
pub enum Undo {
    /// Rows were added: undoing removes them and their history, as if never added.
    Added(Vec<ActionId>),
    /// Rows were edited: undoing puts back these rows' values, itself a change in their history.
    Edited(Vec<Action>),
    /// A file was imported: undoing puts the record back exactly as it was before.
    Imported(Box<merge::Snapshot>),
    /// A pupil's details were changed: undoing puts back these.
    PupilEdited(Box<Pupil>),
}

/// What a meeting decided about an action from before.
#[derive(Clone, Debug, PartialEq)]
pub enum Review {
    /// Done, with the evidence or outcome.
    Done { evidence: String },
    /// Moved to a later date.
    Moved { due: NaiveDate },
    /// Given to another owner.
    Reassigned { owner: String },
}

/// A new meeting or event, as typed when it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct NewMeeting {
    pub pupil: PupilId,
    pub date: NaiveDate,
    pub meeting_type: MeetingType,
    pub attendees: Vec<String>,
    pub summary: String,
}

/// A change to a meeting while it goes on.
#[derive(Clone, Debug, PartialEq)]
pub enum MeetingEdit {
    /// The type, when the wrong one was picked at the start.
    Type(MeetingType),
    Attendees(Vec<String>),
    Summary(String),
    WorkingNotes(String),
}

/// What went with removed pupils.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Removed {
    pub meetings: usize,
    pub actions: usize,
}

/// A change to one of a pupil's details.
#[derive(Clone, Debug, PartialEq)]
pub enum PupilEdit {
    Name(String),
    YearGroup(YearGroup),
    SendStatus(SendStatus),
    /// The EHC plan's next annual review, or none.
    AnnualReview(Option<NaiveDate>),
}

/// A new pupil, as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct NewPupil {
    pub name: String,
    pub year_group: YearGroup,
    pub send_status: SendStatus,
    pub annual_review: Option<NaiveDate>,
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

/// The rows a change touched, as they stand after it, by position, with every kind's length
/// after it. The store keeps one of these for a small change (a journal entry of a few hundred
/// bytes) instead of rewriting the buckets that hold those rows, and puts it back over the
/// buckets when the record is read ([`Record::replay`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Patch {
    pub lengths: [usize; 4],
    #[serde(default)]
    pub pupils: Vec<(usize, Pupil)>,
    #[serde(default)]
    pub meetings: Vec<(usize, Meeting)>,
    #[serde(default)]
    pub actions: Vec<(usize, Action)>,
    #[serde(default)]
    pub history: Vec<(usize, HistoryEntry)>,
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

    /// The rows themselves, for [`merge`] to bring an import in; [`Record::reindex`] must
    /// follow.
    pub(super) fn rows_mut(
        &mut self,
    ) -> (
        &mut Vec<Pupil>,
        &mut Vec<Meeting>,
        &mut Vec<Action>,
        &mut Vec<HistoryEntry>,
    ) {
        (
            &mut self.pupils,
            &mut self.meetings,
            &mut self.actions,
            &mut self.history,
        )
    }

    /// The rows at the touched positions as they are now, and the lengths: what to keep to
    /// redo this change over the record as it was before it.
    pub fn patch(&self, touched: &Touched) -> Patch {
        let positions = |kind: Kind| -> BTreeSet<usize> {
            touched
                .0
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|&(_, position)| position)
                .collect()
        };
        fn rows<T: Clone>(rows: &[T], from: usize, positions: BTreeSet<usize>) -> Vec<(usize, T)> {
            positions
                .into_iter()
                .filter_map(|p| Some((p, rows.get(p.checked_sub(from)?)?.clone())))
                .collect()
        }
        Patch {
            lengths: self.lengths(),
            pupils: rows(&self.pupils, 0, positions(Kind::Pupils)),
            meetings: rows(&self.meetings, 0, positions(Kind::Meetings)),
            actions: rows(&self.actions, 0, positions(Kind::Actions)),
            history: rows(&self.history, self.history_from, positions(Kind::History)),
        }
    }

    /// Redoes a change kept as a [`Patch`]: puts each row at its position (the next position
    /// adds it) and cuts each kind to the patch's length. Refused if a row would leave a gap or
    /// hold an id twice: the stored record is then not consistent, and is not used.
    pub fn replay(&mut self, patch: Patch) -> Result<(), RecordError> {
        /// Puts each row of one kind, held from position `from` on, and cuts the kind to
        /// `length`, keeping `at` (each row's position by id) in step.
        fn put<T, K: std::hash::Hash + Eq + ToString>(
            (rows, from): (&mut Vec<T>, usize),
            at: &mut HashMap<K, usize>,
            kind: Kind,
            patch: Vec<(usize, T)>,
            length: usize,
            key: impl Fn(&T) -> K,
        ) -> Result<(), RecordError> {
            // First the ids of the rows that are replaced or cut off go, so that a row that
            // moved up (when rows before it were removed) is not taken for a second copy.
            let cut_from = length.saturating_sub(from);
            let going = patch
                .iter()
                .filter_map(|(position, _)| position.checked_sub(from))
                .chain(cut_from..rows.len());
            for held in going {
                if let Some(row) = rows.get(held) {
                    let id = key(row);
                    if at.get(&id) == Some(&(held + from)) {
                        at.remove(&id);
                    }
                }
            }
            for (position, row) in patch {
                let held = position.checked_sub(from);
                match held.map(|held| held.cmp(&rows.len())) {
                    Some(std::cmp::Ordering::Less) => rows[position - from] = row,
                    Some(std::cmp::Ordering::Equal) => rows.push(row),
                    _ => return Err(RecordError::Gap(kind, position)),
                }
                let id = key(&rows[position - from]);
                if at.insert(id, position).is_some_and(|p| p != position) {
                    let id = key(&rows[position - from]).to_string();
                    return Err(RecordError::DuplicateId(kind, id));
                }
            }
            match length.checked_sub(from) {
                Some(held) if held <= rows.len() => {
                    rows.truncate(held);
                    Ok(())
                }
                _ => Err(RecordError::Gap(kind, length)),
            }
        }
        let [pupils, meetings, actions, history] = patch.lengths;
        let rows = (&mut self.pupils, 0);
        put(
            rows,
            &mut self.pupil_at,
            Kind::Pupils,
            patch.pupils,
            pupils,
            |p| p.id,
        )?;
        let rows = (&mut self.meetings, 0);
        put(
            rows,
            &mut self.meeting_at,
            Kind::Meetings,
            patch.meetings,
            meetings,
            |m| m.id,
        )?;
        let rows = (&mut self.actions, 0);
        put(
            rows,
            &mut self.action_at,
            Kind::Actions,
            patch.actions,
            actions,
            |a| a.id,
        )?;
        // History entries are found by position, never by id: their map is only for the check.
        let rows = (&mut self.history, self.history_from);
        put(
            rows,
            &mut HashMap::default(),
            Kind::History,
            patch.history,
            history,
            |h| h.id,
        )
    }

    /// Finds every row by id again after [`Record::rows_mut`] changed them.
    pub(super) fn reindex(&mut self) {
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

    /// A pupil's live actions (open, in progress, waiting) that were not raised in `except`:
    /// what a meeting checks first. Overdue first, then by due date.
    pub fn live_actions_of(&self, pupil: PupilId, except: Option<MeetingId>) -> Vec<&Action> {
        let mut live: Vec<&Action> = self
            .actions
            .iter()
            .filter(|a| a.pupil == pupil && a.status.is_live())
            .filter(|a| except.is_none() || a.meeting != except)
            .collect();
        super::order::sort_by_key(&mut live, |a| (a.due, a.raised));
        live
    }

    /// The actions agreed in a meeting, in the order they were added.
    pub fn actions_of_meeting(&self, meeting: MeetingId) -> Vec<&Action> {
        self.actions
            .iter()
            .filter(|a| a.meeting == Some(meeting))
            .collect()
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

    /// The owners already used, most used first, each spelled as it was most recently typed.
    pub fn owners(&self) -> Vec<String> {
        let mut seen: BTreeMap<String, (usize, usize, &str)> = BTreeMap::new();
        for (position, action) in self.actions.iter().enumerate() {
            let entry = seen.entry(action.owner.trim().to_lowercase()).or_insert((
                0,
                position,
                &action.owner,
            ));
            entry.0 += 1;
            entry.1 = position;
            entry.2 = &action.owner;
        }
        let mut owners: Vec<(usize, usize, &str)> = seen.into_values().collect();
        super::order::sort_by(&mut owners, |a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
        owners
            .into_iter()
            .map(|(_, _, name)| name.trim().to_string())
            .collect()
    }

    /// Removes pupils and everything about them: their meetings, their actions and those
    /// actions' history. Rows after the first one removed move up, so every position from
    /// there to the old end is touched (a large record writes its buckets from there again).
    /// The whole history must be in memory ([`Record::history_complete`]). Says how many
    /// meetings and actions went with them.
    pub fn remove_pupils(&mut self, pupils: &[PupilId]) -> (Removed, Touched) {
        assert!(
            self.history_complete(),
            "pupils are removed from a whole record"
        );
        let gone: HashSet<PupilId> = pupils.iter().copied().collect();
        let meetings: HashSet<MeetingId> = self
            .meetings
            .iter()
            .filter(|m| gone.contains(&m.pupil))
            .map(|m| m.id)
            .collect();
        let actions: HashSet<ActionId> = self
            .actions
            .iter()
            .filter(|a| gone.contains(&a.pupil))
            .map(|a| a.id)
            .collect();
        let mut touched = Touched::default();
        cut(&mut self.pupils, 0, Kind::Pupils, &mut touched, |p| {
            !gone.contains(&p.id)
        });
        cut(&mut self.meetings, 0, Kind::Meetings, &mut touched, |m| {
            !meetings.contains(&m.id)
        });
        cut(&mut self.actions, 0, Kind::Actions, &mut touched, |a| {
            !actions.contains(&a.id)
        });
        let from = self.history_from;
        cut(&mut self.history, from, Kind::History, &mut touched, |h| {
            !actions.contains(&h.action)
        });
        // A review of another pupil's action at a removed meeting keeps its note, not the link.
        for (position, entry) in self.history.iter_mut().enumerate() {
            if entry.meeting.is_some_and(|m| meetings.contains(&m)) {
                entry.meeting = None;
                touched.0.push((Kind::History, from + position));
            }
        }
        for (position, action) in self.actions.iter_mut().enumerate() {
            if action.meeting.is_some_and(|m| meetings.contains(&m)) {
                action.meeting = None;
                touched.0.push((Kind::Actions, position));
            }
        }
        self.reindex();
        let removed = Removed {
            meetings: meetings.len(),
            actions: actions.len(),
        };
        (removed, touched)
    }

    /// Adds a pupil.
    pub fn add_pupil(
        &mut self,
        new: NewPupil,
        now: DateTime<Utc>,
    ) -> Result<(PupilId, Touched), Refusal> {
        let name = new.name.trim();
        if name.is_empty() {
            return Err(Refusal::Pupil(PupilProblem::NoName));
        }
        let pupil = Pupil {
            id: PupilId::new(),
            name: name.to_string(),
            year_group: new.year_group,
            send_status: new.send_status,
            annual_review: new.annual_review,
            updated_at: now,
        };
        let id = pupil.id;
        self.pupil_at.insert(id, self.pupils.len());
        self.pupils.push(pupil);
        Ok((id, Touched(vec![(Kind::Pupils, self.pupils.len() - 1)])))
    }

    /// Starts a meeting or event for a pupil.
    pub fn start_meeting(
        &mut self,
        new: NewMeeting,
        now: DateTime<Utc>,
    ) -> Result<(MeetingId, Touched), Refusal> {
        if self.pupil(new.pupil).is_none() {
            return Err(Refusal::Field(
                Field::Pupil,
                "Choose the pupil the meeting is about, or add a new pupil.".into(),
            ));
        }
        let meeting = Meeting {
            id: MeetingId::new(),
            date: new.date,
            pupil: new.pupil,
            meeting_type: new.meeting_type,
            attendees: tidy_names(new.attendees),
            summary: new.summary.trim().to_string(),
            working_notes: String::new(),
            updated_at: now,
        };
        let id = meeting.id;
        self.meeting_at.insert(id, self.meetings.len());
        self.meetings.push(meeting);
        Ok((id, Touched(vec![(Kind::Meetings, self.meetings.len() - 1)])))
    }

    /// Changes one of a pupil's details. Hands back what changed, in words, and how to undo it;
    /// an empty name is refused and changes nothing.
    pub fn edit_pupil(
        &mut self,
        id: PupilId,
        edit: PupilEdit,
        now: DateTime<Utc>,
    ) -> Result<((String, Undo), Touched), Refusal> {
        let &position = self.pupil_at.get(&id).ok_or(Refusal::NoSuchPupil)?;
        let before = self.pupils[position].clone();
        let pupil = &mut self.pupils[position];
        let what = match edit {
            PupilEdit::Name(name) => {
                let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
                if name.is_empty() {
                    return Err(Refusal::Pupil(PupilProblem::NoName));
                }
                pupil.name = name;
                change_text("Name", &before.name, &pupil.name)
            }
            PupilEdit::YearGroup(year) => {
                pupil.year_group = year;
                change_text("Year group", before.year_group.label(), year.label())
            }
            PupilEdit::SendStatus(status) => {
                pupil.send_status = status;
                change_text("SEND status", before.send_status.label(), status.label())
            }
            PupilEdit::AnnualReview(date) => {
                pupil.annual_review = date;
                let was = date_text(before.annual_review);
                change_text("EHC plan annual review", &was, &date_text(date))
            }
        };
        if *pupil == before {
            return Ok((
                (String::new(), Undo::PupilEdited(Box::new(before))),
                Touched::default(),
            ));
        }
        pupil.updated_at = now;
        let label = format!("{} ({}).", what, pupil.name);
        Ok((
            (label, Undo::PupilEdited(Box::new(before))),
            Touched(vec![(Kind::Pupils, position)]),
        ))
    }

    /// Changes a meeting's type, who was there, its summary or its working notes.
    pub fn edit_meeting(
        &mut self,
        id: MeetingId,
        edit: MeetingEdit,
        now: DateTime<Utc>,
    ) -> Result<Touched, Refusal> {
        let &position = self.meeting_at.get(&id).ok_or(Refusal::NoSuchMeeting)?;
        let meeting = &mut self.meetings[position];
        let changed = match edit {
            MeetingEdit::Type(kind) => replace(&mut meeting.meeting_type, kind),
            MeetingEdit::Attendees(names) => replace(&mut meeting.attendees, tidy_names(names)),
            MeetingEdit::Summary(text) => replace(&mut meeting.summary, text),
            MeetingEdit::WorkingNotes(text) => replace(&mut meeting.working_notes, text),
        };
        if !changed {
            return Ok(Touched::default());
        }
        meeting.updated_at = now;
        Ok(Touched(vec![(Kind::Meetings, position)]))
    }

    /// Moves a meeting to another date (the wrong one was picked at the start, or it is being
    /// written up later). The actions raised at it on its old date move with it, each with a
    /// history entry; one whose date raised was already different keeps it. Hands back how
    /// many actions moved.
    pub fn move_meeting(
        &mut self,
        id: MeetingId,
        date: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(usize, Touched), Refusal> {
        let &position = self.meeting_at.get(&id).ok_or(Refusal::NoSuchMeeting)?;
        let was = self.meetings[position].date;
        if was == date {
            return Ok((0, Touched::default()));
        }
        let raised_there: Vec<ActionId> = self
            .actions
            .iter()
            .filter(|a| a.meeting == Some(id) && a.raised == was)
            .map(|a| a.id)
            .collect();
        let meeting = &mut self.meetings[position];
        meeting.date = date;
        meeting.updated_at = now;
        let mut touched = Touched(vec![(Kind::Meetings, position)]);
        let note = format!(
            "Meeting moved from {} to {}",
            dates::uk(was),
            dates::uk(date)
        );
        for action in &raised_there {
            let (_, more) = self.edit_action(*action, &[Edit::Raised(date)], Some(&note), now)?;
            touched.0.extend(more.0);
        }
        Ok((raised_there.len(), touched))
    }

    /// Takes back a change. Undoing an edit is itself recorded in the rows' history.
    pub fn undo(&mut self, undo: &Undo, now: DateTime<Utc>) -> Result<Touched, Refusal> {
        match undo {
            Undo::Added(ids) => Ok(self.withdraw(ids)),
            Undo::Imported(snapshot) => Ok(merge::restore(self, snapshot)),
            Undo::PupilEdited(before) => {
                let &position = self.pupil_at.get(&before.id).ok_or(Refusal::NoSuchPupil)?;
                self.pupils[position] = Pupil {
                    updated_at: now,
                    ..(**before).clone()
                };
                Ok(Touched(vec![(Kind::Pupils, position)]))
            }
            Undo::Edited(before) => {
                let mut touched = Touched::default();
                for old in before {
                    let current = self.action(old.id).ok_or(Refusal::NoSuchAction)?;
                    let note = format!("Undone: {}", current.last_update.note);
                    let edits = edits_between(current, old);
                    let (_, more) = self.edit_action(old.id, &edits, Some(&note), now)?;
                    touched.0.extend(more.0);
                }
                Ok(touched)
            }
        }
    }

    /// Removes just-added rows and their history. Every later position moves down, so the
    /// buckets from the first removed position to the old end are written again.
    fn withdraw(&mut self, ids: &[ActionId]) -> Touched {
        let mut touched = Touched::default();
        let kept = |a: &Action| !ids.contains(&a.id);
        if let Some(first) = cut(&mut self.actions, 0, Kind::Actions, &mut touched, kept) {
            for id in ids {
                self.action_at.remove(id);
            }
            for (position, action) in self.actions.iter().enumerate().skip(first) {
                self.action_at.insert(action.id, position);
            }
        }
        let from = self.history_from;
        cut(&mut self.history, from, Kind::History, &mut touched, |h| {
            !ids.contains(&h.action)
        });
        touched
    }

    /// Adds an action typed as `draft`, if the row guards allow it. A refusal changes nothing
    /// and carries the verdict, so every reason can be shown beside its field.
    pub fn add_action(
        &mut self,
        draft: &ActionDraft,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(ActionId, Touched), Refusal> {
        let (pupil, due) = self.admit(draft, today)?;
        let note = "Created".to_string();
        let action = Action {
            id: ActionId::new(),
            pupil,
            raised: draft.raised.unwrap_or(today),
            meeting: draft.meeting,
            item_type: draft.item_type.unwrap_or(ItemType::FollowUp),
            decision: draft.decision.trim().to_string(),
            next_step: draft.next_step.trim().to_string(),
            owner: draft.owner.trim().to_string(),
            due,
            status: draft.status.unwrap_or(Status::Open),
            last_update: LastUpdate {
                at: now,
                note: note.clone(),
            },
            evidence: draft.evidence.trim().to_string(),
            next_review: draft.next_review,
            escalate: draft.escalate,
        };
        let id = action.id;
        self.action_at.insert(id, self.actions.len());
        self.actions.push(action);
        let mut touched = Touched(vec![(Kind::Actions, self.actions.len() - 1)]);
        touched
            .0
            .push(self.record_history(id, now, note, Vec::new()));
        Ok((id, touched))
    }

    /// The pupil and due date of a draft the guards let through, or why it is refused.
    fn admit(
        &self,
        draft: &ActionDraft,
        today: NaiveDate,
    ) -> Result<(PupilId, NaiveDate), Refusal> {
        let verdict = guard::check(draft, today);
        let (Some(pupil), Some(due), false) = (draft.pupil, draft.due, verdict.is_refused()) else {
            return Err(Refusal::Row(verdict));
        };
        if self.pupil(pupil).is_none() {
            return Err(Refusal::Field(
                Field::Pupil,
                "That pupil is not in the record any more. Choose another.".into(),
            ));
        }
        Ok((pupil, due))
    }

    /// Adds several rows at once (the rows of a split), all or none: if any is refused, the
    /// record is unchanged and the first refusal is handed back.
    pub fn add_actions(
        &mut self,
        drafts: &[ActionDraft],
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(Vec<ActionId>, Touched), Refusal> {
        for draft in drafts {
            self.admit(draft, today)?;
        }
        let mut ids = Vec::with_capacity(drafts.len());
        let mut touched = Touched::default();
        for draft in drafts {
            let (id, more) = self.add_action(draft, today, now)?;
            ids.push(id);
            touched.0.extend(more.0);
        }
        Ok((ids, touched))
    }

    /// Changes fields of one action, records what each was before, and sets its last update.
    /// `note` is the one-line note of what changed; without one, the change itself is described.
    /// Edits that change nothing write nothing. Hands back how to undo the change.
    pub fn edit_action(
        &mut self,
        id: ActionId,
        edits: &[Edit],
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(Undo, Touched), Refusal> {
        let &position = self.action_at.get(&id).ok_or(Refusal::NoSuchAction)?;
        let undo = Undo::Edited(vec![self.actions[position].clone()]);
        let Some((action, changes)) = edited(&self.actions[position], edits, note, now)? else {
            return Ok((undo, Touched::default()));
        };
        let note = action.last_update.note.clone();
        self.actions[position] = action;
        let history = self.record_history(id, now, note, changes);
        Ok((undo, Touched(vec![(Kind::Actions, position), history])))
    }

    /// Applies the same edits to several rows at once, all or none: if any row refuses, the
    /// record is unchanged. Undo takes back every row together.
    pub fn edit_actions(
        &mut self,
        ids: &[ActionId],
        edits: &[Edit],
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(Undo, Touched), Refusal> {
        for id in ids {
            let mut trial = self.action(*id).ok_or(Refusal::NoSuchAction)?.clone();
            for edit in edits {
                apply(&mut trial, edit)?;
            }
        }
        let mut before = Vec::with_capacity(ids.len());
        let mut touched = Touched::default();
        for id in ids {
            let (undo, more) = self.edit_action(*id, edits, note, now)?;
            if let (Undo::Edited(rows), false) = (undo, more.is_empty()) {
                before.extend(rows);
            }
            touched.0.extend(more.0);
        }
        Ok((Undo::Edited(before), touched))
    }

    /// Records what a meeting decided about an action from before: done with evidence, moved
    /// to a later date, or re-assigned. The history entry names the meeting.
    pub fn review_action(
        &mut self,
        id: ActionId,
        meeting: MeetingId,
        review: Review,
        now: DateTime<Utc>,
    ) -> Result<(Undo, Touched), Refusal> {
        let held = self.meeting(meeting).ok_or(Refusal::NoSuchMeeting)?;
        let action = self.action(id).ok_or(Refusal::NoSuchAction)?;
        let at = format!(
            "at the {} on {}",
            held.meeting_type.in_sentence(),
            dates::uk(held.date)
        );
        let (edits, note) = match review {
            Review::Done { evidence } => {
                let evidence = evidence.trim().to_string();
                if evidence.is_empty() {
                    return Err(Refusal::Field(
                        Field::Evidence,
                        "Say what shows it was done: a short note, or where the record is.".into(),
                    ));
                }
                let note = format!("Done {at}: {evidence}");
                (
                    vec![Edit::Status(Status::Done), Edit::Evidence(evidence)],
                    note,
                )
            }
            Review::Moved { due } => {
                if due <= action.due {
                    return Err(Refusal::Field(
                        Field::Due,
                        format!(
                            "Choose a date after {}, the date it is due now.",
                            dates::uk(action.due)
                        ),
                    ));
                }
                let note = format!(
                    "Moved from {} to {} {at}",
                    dates::uk(action.due),
                    dates::uk(due)
                );
                (vec![Edit::Due(due)], note)
            }
            Review::Reassigned { owner } => {
                let note = format!("Re-assigned from {} to {} {at}", action.owner, owner.trim());
                (vec![Edit::Owner(owner)], note)
            }
        };
        let (undo, touched) = self.edit_action(id, &edits, Some(&note), now)?;
        if let Some(&(Kind::History, position)) = touched.0.last() {
            self.history[position - self.history_from].meeting = Some(meeting);
        }
        Ok((undo, touched))
    }

    /// The changes made at a meeting to actions from before, oldest first.
    pub fn reviewed_at(&self, meeting: MeetingId) -> Vec<&HistoryEntry> {
        self.history
            .iter()
            .filter(|h| h.meeting == Some(meeting) && !h.changes.is_empty())
            .collect()
    }

    fn record_history(
        &mut self,
        action: ActionId,
        at: DateTime<Utc>,
        note: String,
        changes: Vec<FieldChange>,
    ) -> (Kind, usize) {
        let meeting = self
            .action(action)
            .and_then(|a| a.meeting)
            .filter(|_| changes.is_empty());
        self.history.push(HistoryEntry {
            id: EntryId::new(),
            action,
            at,
            note,
            meeting,
            changes,
        });
        (Kind::History, self.history_from + self.history.len() - 1)
    }
}

/// The action with `edits` made, its last update set, and what changed; `None` when the edits
/// change nothing. `note` is the one-line note of what changed; without one, the change itself
/// is described. The record is not touched: [`Record::edit_action`] and imports store the result.
pub fn edited(
    action: &Action,
    edits: &[Edit],
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<(Action, Vec<FieldChange>)>, Refusal> {
    let mut action = action.clone();
    let mut changes = Vec::new();
    for edit in edits {
        let (field, before, after) = apply(&mut action, edit)?;
        if before != after {
            changes.push(FieldChange {
                field,
                before,
                after,
            });
        }
    }
    if changes.is_empty() {
        return Ok(None);
    }
    let note = match note.map(str::trim) {
        Some(note) if !note.is_empty() => note.to_string(),
        _ => describe(&changes),
    };
    action.last_update = LastUpdate { at: now, note };
    Ok(Some((action, changes)))
}

/// Applies one edit to a copy of the action; returns the field and its text before and after.
fn apply(action: &mut Action, edit: &Edit) -> Result<(Field, String, String), Refusal> {
    fn yes_no(flag: bool) -> String {
        if flag { "yes" } else { "no" }.into()
    }
    Ok(match edit {
        Edit::Raised(raised) => {
            let before = dates::uk(action.raised);
            action.raised = *raised;
            (Field::Raised, before, dates::uk(*raised))
        }
        Edit::Status(status) => {
            let before = action.status.label().to_string();
            action.status = *status;
            (Field::Status, before, status.label().to_string())
        }
        Edit::Owner(owner) => {
            let owner = match guard::check_owner(owner) {
                OwnerCheck::One(owner) => owner,
                OwnerCheck::Refused(reason) => return Err(Refusal::Field(Field::Owner, reason)),
                OwnerCheck::Several(owners) => {
                    return Err(Refusal::Field(
                        Field::Owner,
                        format!("One owner per row: this names {}.", owners.join(" and ")),
                    ))
                }
            };
            let before = std::mem::replace(&mut action.owner, owner);
            (Field::Owner, before, action.owner.clone())
        }
        Edit::Due(due) => {
            let before = dates::uk(action.due);
            action.due = *due;
            (Field::Due, before, dates::uk(*due))
        }
        Edit::ItemType(item_type) => {
            let before = action.item_type.label().to_string();
            action.item_type = *item_type;
            (Field::ItemType, before, item_type.label().to_string())
        }
        Edit::Decision(text) => {
            let before = std::mem::replace(&mut action.decision, text.trim().to_string());
            (Field::Decision, before, action.decision.clone())
        }
        Edit::NextStep(text) => {
            if text.trim().is_empty() {
                return Err(Refusal::Field(
                    Field::NextStep,
                    "The action cannot be empty: write the next step.".into(),
                ));
            }
            let before = std::mem::replace(&mut action.next_step, text.trim().to_string());
            (Field::NextStep, before, action.next_step.clone())
        }
        Edit::Evidence(text) => {
            let before = std::mem::replace(&mut action.evidence, text.trim().to_string());
            (Field::Evidence, before, action.evidence.clone())
        }
        Edit::NextReview(date) => {
            let before = date_text(action.next_review);
            action.next_review = *date;
            (Field::NextReview, before, date_text(*date))
        }
        Edit::Escalate(flag) => {
            let before = yes_no(action.escalate);
            action.escalate = *flag;
            (Field::Escalate, before, yes_no(*flag))
        }
    })
}

/// "Status: Open → Done; Owner: SENCO → Class teacher".
pub fn describe(changes: &[FieldChange]) -> String {
    changes
        .iter()
        .map(|c| change_text(c.field.label(), &c.before, &c.after))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One change as people read it: "Owner: SENCO → Class teacher".
fn change_text(label: &str, before: &str, after: &str) -> String {
    format!("{label}: {before} → {after}")
}

/// An optional date as people read it: "23 Apr 2026", or "none".
fn date_text(date: Option<NaiveDate>) -> String {
    date.map(dates::uk).unwrap_or_else(|| "none".into())
}

/// The edits that turn `current` back into `old`.
fn edits_between(current: &Action, old: &Action) -> Vec<Edit> {
    let mut edits = Vec::new();
    let mut differ = |same: bool, edit: Edit| {
        if !same {
            edits.push(edit)
        }
    };
    differ(current.raised == old.raised, Edit::Raised(old.raised));
    differ(current.status == old.status, Edit::Status(old.status));
    differ(current.owner == old.owner, Edit::Owner(old.owner.clone()));
    differ(current.due == old.due, Edit::Due(old.due));
    differ(
        current.item_type == old.item_type,
        Edit::ItemType(old.item_type),
    );
    differ(
        current.decision == old.decision,
        Edit::Decision(old.decision.clone()),
    );
    differ(
        current.next_step == old.next_step,
        Edit::NextStep(old.next_step.clone()),
    );
    differ(
        current.evidence == old.evidence,
        Edit::Evidence(old.evidence.clone()),
    );
    differ(
        current.next_review == old.next_review,
        Edit::NextReview(old.next_review),
    );
    differ(
        current.escalate == old.escalate,
        Edit::Escalate(old.escalate),
    );
    edits
}

/// Sets `slot` to `value`; says whether it changed.
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

fn replace<T: PartialEq>(slot: &mut T, value: T) -> bool {
    let changed = *slot != value;
    *slot = value;
    changed
}

/// Names as typed, trimmed, without blanks or repeats.
fn tidy_names(names: Vec<String>) -> Vec<String> {
    let mut tidy: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let name = name.trim();
        if !name.is_empty() && !tidy.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            tidy.push(name.to_string());
        }
    }
    tidy
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 4, 23).unwrap()
    }
    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 4, 23, hour, 0, 0).unwrap()
    }

    #[test]
    fn removing_a_pupil_takes_everything_about_them_and_nothing_else() {
        let size = crate::sample::SampleSize {
            pupils: 80,
            actions: 2_000,
        };
        let mut record = crate::sample::sample(7, size, today());
        let before = record.clone();
        let gone = record.pupils()[40].id;
        let theirs = |r: &Record| r.actions().iter().filter(|a| a.pupil == gone).count();
        assert!(theirs(&record) > 0);
        let (removed, touched) = record.remove_pupils(&[gone]);
        assert_eq!(removed.actions, theirs(&before));

        assert!(record.pupil(gone).is_none());
        assert_eq!(theirs(&record), 0);
        assert!(record.meetings().iter().all(|m| m.pupil != gone));
        let kept = |r: &Record| -> Vec<(ActionId, Vec<EntryId>)> {
            r.actions()
                .iter()
                .filter(|a| a.pupil != gone)
                .map(|a| (a.id, r.history_of(a.id).iter().map(|h| h.id).collect()))
                .collect()
        };
        assert_eq!(
            kept(&record),
            kept(&before),
            "every other action and its history stay"
        );
        for action in record.actions() {
            assert_eq!(Some(action), before.action(action.id));
            assert_eq!(
                record
                    .position_of_action(action.id)
                    .map(|p| &record.actions()[p]),
                Some(action)
            );
        }
        // Every position from the first removed row to the old end is written again.
        let first = before.pupils().iter().position(|p| p.id == gone).unwrap();
        let pupils: Vec<usize> = touched
            .0
            .iter()
            .filter(|(k, _)| *k == Kind::Pupils)
            .map(|&(_, p)| p)
            .collect();
        assert_eq!(pupils, (first..80).collect::<Vec<_>>());
        assert_eq!(record.pupils().len(), 79);
    }

    #[test]
    fn a_pupils_details_are_changed_one_at_a_time_and_undone() {
        let (mut record, pupil) = record_with_pupil();
        let ((label, _), touched) = record
            .edit_pupil(pupil, PupilEdit::YearGroup(YearGroup::Year5), at(10))
            .unwrap();
        assert_eq!(label, "Year group: Year 4 → Year 5 (Zoë Łukasz-O'Neil).");
        assert_eq!(touched, Touched(vec![(Kind::Pupils, 0)]));
        assert_eq!(record.pupil(pupil).unwrap().updated_at, at(10));

        let review = NaiveDate::from_ymd_opt(2027, 3, 4);
        let ((label, _), _) = record
            .edit_pupil(pupil, PupilEdit::AnnualReview(review), at(11))
            .unwrap();
        assert_eq!(
            label,
            "EHC plan annual review: none → 4 Mar 2027 (Zoë Łukasz-O'Neil)."
        );
        let ((label, _), _) = record
            .edit_pupil(pupil, PupilEdit::SendStatus(SendStatus::EhcPlan), at(11))
            .unwrap();
        assert_eq!(
            label,
            "SEND status: SEN support → EHC plan (Zoë Łukasz-O'Neil)."
        );
        let ((label, rename), _) = record
            .edit_pupil(pupil, PupilEdit::Name("  Zoë   Nowak ".into()), at(12))
            .unwrap();
        assert_eq!(label, "Name: Zoë Łukasz-O'Neil → Zoë Nowak (Zoë Nowak).");

        // An empty name is refused and changes nothing; the same value changes nothing.
        let kept = record.clone();
        assert_eq!(
            record
                .edit_pupil(pupil, PupilEdit::Name("  ".into()), at(13))
                .unwrap_err(),
            Refusal::Pupil(PupilProblem::NoName)
        );
        let (_, touched) = record
            .edit_pupil(pupil, PupilEdit::YearGroup(YearGroup::Year5), at(13))
            .unwrap();
        assert!(touched.is_empty());
        assert_eq!(record, kept);

        record.undo(&rename, at(14)).unwrap();
        let now = record.pupil(pupil).unwrap();
        assert_eq!(now.name, "Zoë Łukasz-O'Neil");
        assert_eq!(
            now.send_status,
            SendStatus::EhcPlan,
            "only the renaming is undone"
        );
        assert_eq!(now.updated_at, at(14));
    }

    fn record_with_pupil() -> (Record, PupilId) {
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

    fn draft(pupil: PupilId, owner: &str) -> ActionDraft {
        ActionDraft {
            pupil: Some(pupil),
            decision: "Written work is tiring him out".into(),
            next_step: "Reduce written work to half a page for two weeks".into(),
            owner: owner.into(),
            due: NaiveDate::from_ymd_opt(2026, 5, 7),
            ..ActionDraft::default()
        }
    }

    fn meeting_for(record: &mut Record, pupil: PupilId) -> MeetingId {
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
    fn a_meeting_keeps_who_was_there_and_its_notes_apart_from_actions() {
        let (mut record, pupil) = record_with_pupil();
        let meeting = meeting_for(&mut record, pupil);
        assert_eq!(
            record.meeting(meeting).unwrap().attendees,
            vec!["Parent", "SENCO"]
        );
        let touched = record
            .edit_meeting(
                meeting,
                MeetingEdit::WorkingNotes("Maybe dyslexia?".into()),
                at(10),
            )
            .unwrap();
        assert_eq!(touched, Touched(vec![(Kind::Meetings, 0)]));
        assert_eq!(
            record.meeting(meeting).unwrap().working_notes,
            "Maybe dyslexia?"
        );
        assert!(
            record.actions().is_empty(),
            "working notes are never actions"
        );
        let again = record
            .edit_meeting(
                meeting,
                MeetingEdit::WorkingNotes("Maybe dyslexia?".into()),
                at(11),
            )
            .unwrap();
        assert!(again.is_empty());
        assert_eq!(record.meeting(meeting).unwrap().updated_at, at(10));

        // The wrong type picked at the start is put right; its date and actions stay.
        let before = record.meeting(meeting).unwrap().clone();
        let touched = record
            .edit_meeting(
                meeting,
                MeetingEdit::Type(MeetingType::AnnualReview),
                at(12),
            )
            .unwrap();
        assert_eq!(touched, Touched(vec![(Kind::Meetings, 0)]));
        let after = record.meeting(meeting).unwrap();
        assert_eq!(after.meeting_type, MeetingType::AnnualReview);
        assert_eq!((after.date, after.updated_at), (before.date, at(12)));
    }

    #[test]
    fn a_meeting_moved_to_another_date_takes_the_actions_raised_at_it_along() {
        let (mut record, pupil) = record_with_pupil();
        let meeting = meeting_for(&mut record, pupil);
        let held = record.meeting(meeting).unwrap().date;
        let at_meeting = |raised: NaiveDate, owner: &str| ActionDraft {
            meeting: Some(meeting),
            raised: Some(raised),
            ..draft(pupil, owner)
        };
        let (agreed, _) = record
            .add_action(&at_meeting(held, "Class teacher"), today(), at(10))
            .unwrap();
        let (also, _) = record
            .add_action(&at_meeting(held, "Parent"), today(), at(10))
            .unwrap();
        let earlier = held - chrono::Days::new(3);
        let (raised_before, _) = record
            .add_action(&at_meeting(earlier, "SENCO"), today(), at(10))
            .unwrap();
        let (stand_alone, _) = record
            .add_action(
                &ActionDraft {
                    raised: Some(held),
                    ..draft(pupil, "Form tutor")
                },
                today(),
                at(10),
            )
            .unwrap();
        let history_before = record.history().len();

        let moved_to = held - chrono::Days::new(1);
        let (moved, touched) = record.move_meeting(meeting, moved_to, at(11)).unwrap();
        assert_eq!(moved, 2);
        assert_eq!(record.meeting(meeting).unwrap().date, moved_to);
        assert_eq!(record.meeting(meeting).unwrap().updated_at, at(11));
        for id in [agreed, also] {
            let action = record.action(id).unwrap();
            assert_eq!(action.raised, moved_to);
            assert_eq!(
                action.last_update.note,
                "Meeting moved from 23 Apr 2026 to 22 Apr 2026"
            );
        }
        assert_eq!(record.action(raised_before).unwrap().raised, earlier);
        assert_eq!(record.action(stand_alone).unwrap().raised, held);
        let entries = &record.history()[history_before..];
        assert_eq!(entries.len(), 2, "one history entry per action moved");
        for entry in entries {
            assert_eq!(
                entry.changes,
                vec![FieldChange {
                    field: Field::Raised,
                    before: "23 Apr 2026".into(),
                    after: "22 Apr 2026".into(),
                }]
            );
        }
        let mut kinds: Vec<Kind> = touched.0.iter().map(|(kind, _)| *kind).collect();
        kinds.dedup();
        assert_eq!(
            kinds,
            vec![
                Kind::Meetings,
                Kind::Actions,
                Kind::History,
                Kind::Actions,
                Kind::History
            ]
        );

        // The same date again changes nothing; a meeting that is gone is refused.
        assert_eq!(
            record.move_meeting(meeting, moved_to, at(12)).unwrap(),
            (0, Touched::default())
        );
        assert_eq!(
            record.move_meeting(MeetingId::new(), moved_to, at(12)),
            Err(Refusal::NoSuchMeeting)
        );
    }

    #[test]
    fn a_meeting_for_a_missing_pupil_is_refused() {
        let (mut record, _) = record_with_pupil();
        let refused = record.start_meeting(
            NewMeeting {
                pupil: PupilId::new(),
                date: today(),
                meeting_type: MeetingType::Other,
                attendees: vec![],
                summary: String::new(),
            },
            at(9),
        );
        assert!(matches!(refused, Err(Refusal::Field(Field::Pupil, _))));
        assert!(record.meetings().is_empty());
    }

    #[test]
    fn a_meeting_opens_with_the_pupils_live_actions_from_before() {
        let (mut record, pupil) = record_with_pupil();
        let (other_pupil, _) = record
            .add_pupil(
                NewPupil {
                    name: "Ben Ode".into(),
                    year_group: YearGroup::Year1,
                    send_status: SendStatus::Monitoring,
                    annual_review: None,
                },
                at(9),
            )
            .unwrap();
        let earlier = meeting_for(&mut record, pupil);
        let mut late = draft(pupil, "SENCO");
        late.meeting = Some(earlier);
        late.due = NaiveDate::from_ymd_opt(2026, 4, 20);
        let (late, _) = record.add_action(&late, today(), at(10)).unwrap();
        let (soon, _) = record
            .add_action(&draft(pupil, "Parent"), today(), at(10))
            .unwrap();
        let (done, _) = record
            .add_action(&draft(pupil, "Parent"), today(), at(10))
            .unwrap();
        record
            .edit_action(done, &[Edit::Status(Status::Done)], None, at(10))
            .unwrap();
        record
            .add_action(&draft(other_pupil, "Parent"), today(), at(10))
            .unwrap();
        let now_meeting = meeting_for(&mut record, pupil);
        let mut agreed_now = draft(pupil, "Class teacher");
        agreed_now.meeting = Some(now_meeting);
        let (agreed_now, _) = record.add_action(&agreed_now, today(), at(11)).unwrap();

        let live: Vec<ActionId> = record
            .live_actions_of(pupil, Some(now_meeting))
            .iter()
            .map(|a| a.id)
            .collect();
        assert_eq!(
            live,
            vec![late, soon],
            "live rows only, overdue first, not this meeting's"
        );
        let agreed: Vec<ActionId> = record
            .actions_of_meeting(now_meeting)
            .iter()
            .map(|a| a.id)
            .collect();
        assert_eq!(agreed, vec![agreed_now]);
    }

    #[test]
    fn a_meeting_reviews_earlier_actions_and_each_review_is_in_the_history() {
        let (mut record, pupil) = record_with_pupil();
        let (first, _) = record
            .add_action(&draft(pupil, "Class teacher"), today(), at(10))
            .unwrap();
        let (second, _) = record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let (third, _) = record
            .add_action(&draft(pupil, "Parent"), today(), at(10))
            .unwrap();
        let meeting = meeting_for(&mut record, pupil);
        let later = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();

        record
            .review_action(
                first,
                meeting,
                Review::Done {
                    evidence: "Work samples seen".into(),
                },
                at(11),
            )
            .unwrap();
        record
            .review_action(
                second,
                meeting,
                Review::Reassigned {
                    owner: "Mrs Patel".into(),
                },
                at(11),
            )
            .unwrap();
        record
            .review_action(third, meeting, Review::Moved { due: later }, at(11))
            .unwrap();

        let first = record.action(first).unwrap();
        assert_eq!(
            (first.status, first.evidence.as_str()),
            (Status::Done, "Work samples seen")
        );
        assert_eq!(
            first.last_update.note,
            "Done at the parent conversation on 23 Apr 2026: Work samples seen"
        );
        assert_eq!(record.action(second).unwrap().owner, "Mrs Patel");
        assert_eq!(record.action(third).unwrap().due, later);
        assert_eq!(
            record.action(third).unwrap().last_update.note,
            "Moved from 7 May 2026 to 1 Jun 2026 at the parent conversation on 23 Apr 2026"
        );
        let reviewed: Vec<ActionId> = record
            .reviewed_at(meeting)
            .iter()
            .map(|h| h.action)
            .collect();
        assert_eq!(reviewed, vec![first.id, second, third]);
    }

    #[test]
    fn a_review_that_cannot_stand_changes_nothing() {
        let (mut record, pupil) = record_with_pupil();
        let (id, _) = record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let meeting = meeting_for(&mut record, pupil);
        let before = record.clone();
        let earlier = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        for review in [
            Review::Done {
                evidence: "  ".into(),
            },
            Review::Moved { due: earlier },
            Review::Reassigned {
                owner: "TBC".into(),
            },
            Review::Reassigned {
                owner: "Parent and SENCO".into(),
            },
        ] {
            assert!(
                record
                    .review_action(id, meeting, review.clone(), at(11))
                    .is_err(),
                "{review:?}"
            );
            assert_eq!(record, before);
        }
    }

    #[test]
    fn a_bulk_edit_changes_every_row_or_none() {
        let (mut record, pupil) = record_with_pupil();
        let ids: Vec<ActionId> = ["SENCO", "Parent", "Class teacher"]
            .iter()
            .map(|o| {
                record
                    .add_action(&draft(pupil, o), today(), at(10))
                    .unwrap()
                    .0
            })
            .collect();
        let before = record.clone();
        let refused = record.edit_actions(&ids, &[Edit::Owner("everyone".into())], None, at(11));
        assert!(matches!(refused, Err(Refusal::Field(Field::Owner, _))));
        assert_eq!(record, before);

        let (undo, touched) = record
            .edit_actions(
                &ids[..2],
                &[
                    Edit::Owner("Mrs Patel".into()),
                    Edit::Status(Status::Waiting),
                ],
                None,
                at(11),
            )
            .unwrap();
        assert_eq!(touched.0.len(), 4);
        assert!(ids[..2]
            .iter()
            .all(|id| record.action(*id).unwrap().owner == "Mrs Patel"));
        assert_eq!(record.action(ids[2]).unwrap().owner, "Class teacher");
        record.undo(&undo, at(12)).unwrap();
        assert_eq!(record.action(ids[0]).unwrap().owner, "SENCO");
        assert_eq!(record.action(ids[1]).unwrap().status, Status::Open);
    }

    #[test]
    fn undo_takes_back_an_edit_and_says_so_in_the_history() {
        let (mut record, pupil) = record_with_pupil();
        let (id, _) = record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let before = record.action(id).unwrap().clone();
        let (undo, _) = record
            .edit_action(
                id,
                &[
                    Edit::Status(Status::Done),
                    Edit::Evidence("Seen in the reading log".into()),
                    Edit::Owner("Class teacher".into()),
                ],
                Some("Done: seen in the reading log"),
                at(11),
            )
            .unwrap();
        let touched = record.undo(&undo, at(12)).unwrap();
        assert_eq!(
            touched,
            Touched(vec![(Kind::Actions, 0), (Kind::History, 2)])
        );
        let after = record.action(id).unwrap();
        assert_eq!(after.status, before.status);
        assert_eq!(after.owner, before.owner);
        assert_eq!(after.evidence, before.evidence);
        assert_eq!(
            after.last_update.note,
            "Undone: Done: seen in the reading log"
        );
        assert_eq!(record.history_of(id).len(), 3, "created, edited, undone");
    }

    #[test]
    fn undo_takes_back_an_add_as_if_it_was_never_made() {
        let (mut record, pupil) = record_with_pupil();
        let (kept, _) = record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let before = record.clone();
        let rows = draft(pupil, "Parent and SENCO").split_by_owner().unwrap();
        let (ids, _) = record.add_actions(&rows, today(), at(11)).unwrap();
        let touched = record.undo(&Undo::Added(ids), at(12)).unwrap();
        assert_eq!(record, before);
        assert!(record.action(kept).is_some());
        assert_eq!(
            touched,
            Touched(vec![
                (Kind::Actions, 1),
                (Kind::Actions, 2),
                (Kind::History, 1),
                (Kind::History, 2)
            ])
        );
    }

    #[test]
    fn a_pupil_needs_a_name() {
        let mut record = Record::default();
        let refused = record.add_pupil(
            NewPupil {
                name: "  ".into(),
                year_group: YearGroup::Reception,
                send_status: SendStatus::Monitoring,
                annual_review: None,
            },
            at(9),
        );
        assert_eq!(refused, Err(Refusal::Pupil(PupilProblem::NoName)));
        assert!(record.pupils().is_empty());
    }

    #[test]
    fn adding_an_action_stores_it_open_with_a_created_history_entry() {
        let (mut record, pupil) = record_with_pupil();
        assert_eq!(record.pupil(pupil).unwrap().name, "Zoë Łukasz-O'Neil");
        let (id, touched) = record
            .add_action(&draft(pupil, "Class teacher"), today(), at(10))
            .unwrap();
        assert_eq!(
            touched,
            Touched(vec![(Kind::Actions, 0), (Kind::History, 0)])
        );
        let action = record.action(id).unwrap();
        assert_eq!(action.status, Status::Open);
        assert_eq!(action.raised, today());
        assert_eq!(action.item_type, ItemType::FollowUp);
        assert_eq!(action.last_update.at, at(10));
        assert_eq!(record.history()[0].action, id);
        assert_eq!(record.history()[0].note, "Created");
    }

    #[test]
    fn a_refused_row_changes_nothing_and_says_why() {
        let (mut record, pupil) = record_with_pupil();
        let before = record.clone();
        let refused = record.add_action(&draft(pupil, "TBC"), today(), at(10));
        match refused {
            Err(Refusal::Row(verdict)) => {
                assert!(verdict
                    .about(Field::Owner)
                    .any(|c| c.message.contains("TBC")))
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert_eq!(record, before);
    }

    #[test]
    fn an_action_for_a_missing_pupil_is_refused() {
        let (mut record, _) = record_with_pupil();
        let refused = record.add_action(&draft(PupilId::new(), "SENCO"), today(), at(10));
        assert!(matches!(refused, Err(Refusal::Field(Field::Pupil, _))));
        assert!(record.actions().is_empty());
    }

    #[test]
    fn a_split_adds_one_row_per_owner_or_none_at_all() {
        let (mut record, pupil) = record_with_pupil();
        let rows = draft(pupil, "class teacher and SENCO")
            .split_by_owner()
            .unwrap();
        let (ids, touched) = record.add_actions(&rows, today(), at(10)).unwrap();
        assert_eq!(ids.len(), 2);
        assert_eq!(touched.0.len(), 4);
        let owners: Vec<&str> = record.actions().iter().map(|a| a.owner.as_str()).collect();
        assert_eq!(owners, vec!["class teacher", "SENCO"]);

        let before = record.clone();
        let mut bad = draft(pupil, "SENCO / team").split_by_owner();
        assert!(
            bad.is_none(),
            "a split that names a group is refused, not offered"
        );
        bad = Some(vec![draft(pupil, "Parent"), draft(pupil, "TBC")]);
        assert!(record.add_actions(&bad.unwrap(), today(), at(11)).is_err());
        assert_eq!(record, before);
    }

    #[test]
    fn an_edit_keeps_what_it_was_before_in_the_history() {
        let (mut record, pupil) = record_with_pupil();
        let (id, _) = record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let (_, touched) = record
            .edit_action(id, &[Edit::Status(Status::Done)], None, at(11))
            .unwrap();
        assert_eq!(
            touched,
            Touched(vec![(Kind::Actions, 0), (Kind::History, 1)])
        );
        let action = record.action(id).unwrap();
        assert_eq!(action.status, Status::Done);
        assert_eq!(action.last_update.note, "Status: Open → Done");
        assert_eq!(action.last_update.at, at(11));
        let entry = &record.history()[1];
        assert_eq!(
            entry.changes,
            vec![FieldChange {
                field: Field::Status,
                before: "Open".into(),
                after: "Done".into()
            }]
        );
    }

    #[test]
    fn an_edit_that_changes_nothing_writes_nothing() {
        let (mut record, pupil) = record_with_pupil();
        let (id, _) = record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let (_, touched) = record
            .edit_action(id, &[Edit::Status(Status::Open)], None, at(11))
            .unwrap();
        assert!(touched.is_empty());
        assert_eq!(record.history().len(), 1);
    }

    #[test]
    fn a_refused_owner_edit_changes_nothing() {
        let (mut record, pupil) = record_with_pupil();
        let (id, _) = record
            .add_action(&draft(pupil, "SENCO"), today(), at(10))
            .unwrap();
        let before = record.clone();
        for owner in ["team", "SENCO and parent"] {
            let refused = record.edit_action(
                id,
                &[Edit::Status(Status::Done), Edit::Owner(owner.into())],
                None,
                at(11),
            );
            assert!(
                matches!(refused, Err(Refusal::Field(Field::Owner, _))),
                "{owner}"
            );
            assert_eq!(record, before);
        }
    }

    #[test]
    fn owners_already_used_come_most_used_first() {
        let (mut record, pupil) = record_with_pupil();
        for owner in ["SENCO", "Class teacher", "senco ", "Parent", "SENCO"] {
            record
                .add_action(&draft(pupil, owner), today(), at(10))
                .unwrap();
        }
        assert_eq!(record.owners(), vec!["SENCO", "Parent", "Class teacher"]);
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
