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
use super::meeting::Meeting;
use super::pupil::{Pupil, PupilProblem, SendStatus, YearGroup};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// The name written into every stored bucket and exported bundle.
pub const FORMAT_NAME: &str = "sendlog";

/// The version of the stored and exported record layout. Raise it when a field changes meaning
/// or shape, and teach [`crate::store`] to upgrade the older one.
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
    Pupil(PupilProblem),
    /// The guards refused the row; the verdict says why, field by field.
    Row(Verdict),
    /// One edited field was refused, with the reason a person reads.
    Field(Field, String),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NoSuchAction => f.write_str("That action is no longer in the record."),
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
        }
    }
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
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::DuplicateId(kind, id) => {
                write!(f, "The record holds two {} with the id {id}.", kind.name())
            }
        }
    }
}

/// The school's whole SEND record.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Record {
    pupils: Vec<Pupil>,
    meetings: Vec<Meeting>,
    actions: Vec<Action>,
    history: Vec<HistoryEntry>,
    pupil_at: HashMap<PupilId, usize>,
    meeting_at: HashMap<MeetingId, usize>,
    action_at: HashMap<ActionId, usize>,
}

fn index_of<T, K: std::hash::Hash + Eq + ToString>(
    rows: &[T],
    kind: Kind,
    key: impl Fn(&T) -> K,
) -> Result<HashMap<K, usize>, RecordError> {
    let mut at = HashMap::with_capacity(rows.len());
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
        })
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
    pub fn history(&self) -> &[HistoryEntry] {
        &self.history
    }

    pub fn pupil(&self, id: PupilId) -> Option<&Pupil> {
        self.pupil_at.get(&id).map(|&at| &self.pupils[at])
    }

    pub fn action(&self, id: ActionId) -> Option<&Action> {
        self.action_at.get(&id).map(|&at| &self.actions[at])
    }

    /// Actions, newest first, one page at a time.
    pub fn newest_actions(&self, skip: usize, take: usize) -> impl Iterator<Item = &Action> {
        self.actions.iter().rev().skip(skip).take(take)
    }

    /// Pupils in name order, for a picker.
    pub fn pupils_by_name(&self) -> Vec<&Pupil> {
        let mut pupils: Vec<&Pupil> = self.pupils.iter().collect();
        pupils.sort_by_cached_key(|p| p.name.to_lowercase());
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
        owners.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
        owners
            .into_iter()
            .map(|(_, _, name)| name.trim().to_string())
            .collect()
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
    /// Edits that change nothing write nothing.
    pub fn edit_action(
        &mut self,
        id: ActionId,
        edits: &[Edit],
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Touched, Refusal> {
        let &position = self.action_at.get(&id).ok_or(Refusal::NoSuchAction)?;
        let mut action = self.actions[position].clone();
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
            return Ok(Touched::default());
        }
        let note = match note.map(str::trim) {
            Some(note) if !note.is_empty() => note.to_string(),
            _ => describe(&changes),
        };
        action.last_update = LastUpdate {
            at: now,
            note: note.clone(),
        };
        self.actions[position] = action;
        let history = self.record_history(id, now, note, changes);
        Ok(Touched(vec![(Kind::Actions, position), history]))
    }

    fn record_history(
        &mut self,
        action: ActionId,
        at: DateTime<Utc>,
        note: String,
        changes: Vec<FieldChange>,
    ) -> (Kind, usize) {
        self.history.push(HistoryEntry {
            id: EntryId::new(),
            action,
            at,
            note,
            changes,
        });
        (Kind::History, self.history.len() - 1)
    }
}

/// Applies one edit to a copy of the action; returns the field and its text before and after.
fn apply(action: &mut Action, edit: &Edit) -> Result<(Field, String, String), Refusal> {
    fn date_text(date: Option<NaiveDate>) -> String {
        date.map(dates::uk).unwrap_or_else(|| "none".into())
    }
    fn yes_no(flag: bool) -> String {
        if flag { "yes" } else { "no" }.into()
    }
    Ok(match edit {
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
fn describe(changes: &[FieldChange]) -> String {
    changes
        .iter()
        .map(|c| format!("{}: {} → {}", c.field.label(), c.before, c.after))
        .collect::<Vec<_>>()
        .join("; ")
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
        let touched = record
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
        let touched = record
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
