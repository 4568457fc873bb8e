//! Meetings: starting, changing and moving one, and the actions a meeting shows.

use super::{Edit, Kind, Record, Refusal, Touched};
use crate::action::Action;
use crate::dates;
use crate::history::{Field, HistoryEntry};
use crate::id::{ActionId, MeetingId, PupilId};
use crate::meeting::{Meeting, MeetingType};
use chrono::{DateTime, NaiveDate, Utc};

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

impl Record {
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

    /// A pupil's live actions (open, in progress, waiting) that were not raised in `except`:
    /// what a meeting checks first. Overdue first, then by due date.
    pub fn live_actions_of(&self, pupil: PupilId, except: Option<MeetingId>) -> Vec<&Action> {
        let mut live: Vec<&Action> = self
            .actions
            .iter()
            .filter(|a| a.pupil == pupil && a.status.is_live())
            .filter(|a| except.is_none() || a.meeting != except)
            .collect();
        crate::order::sort_by_key(&mut live, |a| (a.due, a.raised));
        live
    }

    /// The actions from before that a meeting checks, soonest due first: the pupil's live
    /// actions not raised at it, and those already checked at it (closed there, say), so they
    /// stay on screen with their outcome.
    pub fn to_check_at(&self, meeting: MeetingId) -> Vec<ActionId> {
        let Some(pupil) = self.meeting(meeting).map(|m| m.pupil) else {
            return Vec::new();
        };
        let mut checked: Vec<(NaiveDate, ActionId)> = self
            .live_actions_of(pupil, Some(meeting))
            .into_iter()
            .map(|a| (a.due, a.id))
            .collect();
        for entry in self.reviewed_at(meeting) {
            if !checked.iter().any(|(_, id)| *id == entry.action) {
                if let Some(action) = self.action(entry.action) {
                    checked.push((action.due, action.id));
                }
            }
        }
        checked.sort();
        checked.into_iter().map(|(_, id)| id).collect()
    }

    /// The actions agreed in a meeting, in the order they were added.
    pub fn actions_of_meeting(&self, meeting: MeetingId) -> Vec<&Action> {
        self.actions
            .iter()
            .filter(|a| a.meeting == Some(meeting))
            .collect()
    }

    /// The changes made at a meeting to actions from before, oldest first.
    pub fn reviewed_at(&self, meeting: MeetingId) -> Vec<&HistoryEntry> {
        self.history
            .iter()
            .filter(|h| h.meeting == Some(meeting) && !h.changes.is_empty())
            .collect()
    }
}

/// Sets `slot` to `value`; says whether it changed.
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
    use crate::action::{ActionDraft, Status};
    use crate::history::FieldChange;
    use crate::pupil::{SendStatus, YearGroup};
    use crate::record::tests::{at, draft, meeting_for, record_with_pupil, today};
    use crate::record::NewPupil;

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
    fn a_meeting_checks_the_live_actions_from_before_and_keeps_those_it_checked() {
        let (mut record, pupil) = record_with_pupil();
        let earlier = meeting_for(&mut record, pupil);
        let mut first = draft(pupil, "SENCO");
        first.meeting = Some(earlier);
        first.due = NaiveDate::from_ymd_opt(2026, 5, 20);
        let (later_due, _) = record.add_action(&first, today(), at(10)).unwrap();
        first.due = NaiveDate::from_ymd_opt(2026, 5, 1);
        let (sooner_due, _) = record.add_action(&first, today(), at(10)).unwrap();
        let now = meeting_for(&mut record, pupil);
        let mut agreed = draft(pupil, "Parent");
        agreed.meeting = Some(now);
        let (agreed, _) = record.add_action(&agreed, today(), at(11)).unwrap();
        assert_eq!(record.to_check_at(now), [sooner_due, later_due]);
        // Checked at the meeting (done there): still shown there, with its outcome.
        record
            .review_action(
                sooner_due,
                now,
                crate::record::Review::Done {
                    evidence: "Seen".into(),
                },
                at(12),
            )
            .unwrap();
        assert_eq!(record.to_check_at(now), [sooner_due, later_due]);
        // The earlier meeting, looked at again, checks what was agreed since, not its own.
        assert_eq!(record.to_check_at(earlier), [agreed]);
        assert!(record.to_check_at(MeetingId::new()).is_empty());
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
}
