//! Pupils: adding one, changing their details, and removing pupils with everything about them.

use super::edits::change_text;
use super::{cut, Kind, Record, Refusal, Touched, Undo};
use crate::choice::Choice;
use crate::fields::{date_or_none, PupilField};
use crate::id::{ActionId, MeetingId, PupilId};
use crate::key_adults::{self, KeyAdult};
use crate::pupil::{Pupil, PupilProblem, SendStatus, YearGroup};
use chrono::{DateTime, NaiveDate, Utc};
use rustc_hash::FxHashSet as HashSet;

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
    /// The day the pupil left the school, or none (still here, or put right).
    LeftOn(Option<NaiveDate>),
    /// Their key adults, as the pupil's page lists them (kept tidy: see
    /// [`key_adults::tidy`]).
    KeyAdults(Vec<KeyAdult>),
    /// Their date of birth, or none.
    Born(Option<NaiveDate>),
}

/// A new pupil, as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct NewPupil {
    pub name: String,
    pub year_group: YearGroup,
    pub send_status: SendStatus,
    pub annual_review: Option<NaiveDate>,
}

impl Record {
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
            left_on: None,
            key_adults: Vec::new(),
            born: None,
            updated_at: now,
        };
        let id = pupil.id;
        self.pupil_at.insert(id, self.pupils.len());
        self.pupils.push(pupil);
        Ok((id, Touched(vec![(Kind::Pupils, self.pupils.len() - 1)])))
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
                change_text(PupilField::Name.label(), &before.name, &pupil.name)
            }
            PupilEdit::YearGroup(year) => {
                pupil.year_group = year;
                change_text(
                    PupilField::YearGroup.label(),
                    before.year_group.label(),
                    year.label(),
                )
            }
            PupilEdit::SendStatus(status) => {
                pupil.send_status = status;
                change_text(
                    PupilField::SendStatus.label(),
                    before.send_status.label(),
                    status.label(),
                )
            }
            PupilEdit::AnnualReview(date) => {
                pupil.annual_review = date;
                let was = date_or_none(before.annual_review);
                change_text(PupilField::AnnualReview.label(), &was, &date_or_none(date))
            }
            PupilEdit::LeftOn(date) => {
                pupil.left_on = date;
                let was = date_or_none(before.left_on);
                change_text(PupilField::LeftOn.label(), &was, &date_or_none(date))
            }
            PupilEdit::Born(date) => {
                pupil.born = date;
                let was = date_or_none(before.born);
                change_text(PupilField::Born.label(), &was, &date_or_none(date))
            }
            PupilEdit::KeyAdults(adults) => {
                pupil.key_adults = key_adults::tidy(&adults);
                change_text(
                    PupilField::KeyAdults.label(),
                    &key_adults::readable(&before.key_adults),
                    &key_adults::readable(&pupil.key_adults),
                )
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::EntryId;
    use crate::record::tests::{at, record_with_pupil, today};

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

    #[test]
    fn the_day_a_pupil_left_is_set_shown_in_words_put_right_and_undone() {
        let (mut record, pupil) = record_with_pupil();
        assert_eq!(record.pupil(pupil).unwrap().left_on, None);
        let left = NaiveDate::from_ymd_opt(2026, 7, 22);
        let ((label, undo), touched) = record
            .edit_pupil(pupil, PupilEdit::LeftOn(left), at(10))
            .unwrap();
        assert_eq!(
            label,
            "Left the school on: none → 22 Jul 2026 (Zoë Łukasz-O'Neil)."
        );
        assert_eq!(touched, Touched(vec![(Kind::Pupils, 0)]));
        assert_eq!(record.pupil(pupil).unwrap().left_on, left);
        // Put right (they have not left after all), then that undone.
        let ((label, back), _) = record
            .edit_pupil(pupil, PupilEdit::LeftOn(None), at(11))
            .unwrap();
        assert_eq!(
            label,
            "Left the school on: 22 Jul 2026 → none (Zoë Łukasz-O'Neil)."
        );
        record.undo(&back, at(12)).unwrap();
        assert_eq!(record.pupil(pupil).unwrap().left_on, left);
        record.undo(&undo, at(13)).unwrap();
        assert_eq!(record.pupil(pupil).unwrap().left_on, None);
    }

    #[test]
    fn key_adults_are_set_tidied_shown_in_words_and_undone() {
        use crate::key_adults::KeyRole;
        let (mut record, pupil) = record_with_pupil();
        assert!(record.pupil(pupil).unwrap().key_adults.is_empty());
        let adult = |role, name: &str| KeyAdult {
            role,
            name: name.into(),
        };
        let typed = vec![
            adult(KeyRole::ClassTeacher, "  Mrs   Patel "),
            adult(KeyRole::KeyWorker, ""),
        ];
        let ((label, undo), touched) = record
            .edit_pupil(pupil, PupilEdit::KeyAdults(typed), at(10))
            .unwrap();
        assert_eq!(
            label,
            "Key adults: none → Class teacher: Mrs Patel (Zoë Łukasz-O'Neil)."
        );
        assert_eq!(touched, Touched(vec![(Kind::Pupils, 0)]));
        assert_eq!(
            record.pupil(pupil).unwrap().key_adults,
            vec![adult(KeyRole::ClassTeacher, "Mrs Patel")]
        );
        // The same list again changes nothing and touches nothing.
        let same = vec![adult(KeyRole::ClassTeacher, "Mrs Patel")];
        let (_, touched) = record
            .edit_pupil(pupil, PupilEdit::KeyAdults(same), at(11))
            .unwrap();
        assert!(touched.is_empty());
        record.undo(&undo, at(12)).unwrap();
        assert!(record.pupil(pupil).unwrap().key_adults.is_empty());
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
}
