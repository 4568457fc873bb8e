//! A pupil's chronology: meetings, closed actions and the changes to their actions, oldest first.

use crate::action::Action;
use crate::choice::Choice;
use crate::history::{Field, HistoryEntry};
use crate::id::{ActionId, PupilId};
use crate::meeting::Meeting;
use crate::record::{describe, Record};
use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;
use std::cmp::Ordering;

/// One event in a pupil's history.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Event<'a> {
    Meeting(&'a Meeting),
    /// A closed action, on the day it was last updated (when it was closed).
    Closed(&'a Action),
    /// A change to one of the pupil's actions: a date moved, a re-assignment, an escalation, a
    /// status changed (but for the change that closed it, which is its `Closed`).
    Changed(&'a HistoryEntry, &'a Action),
}

impl Event<'_> {
    pub fn date(&self) -> NaiveDate {
        match self {
            Event::Meeting(m) => m.date,
            Event::Closed(a) => a.last_update.at.date_naive(),
            Event::Changed(h, _) => h.at.date_naive(),
        }
    }

    /// What the event is: "Meeting", or how the action was closed ("Done", "Parked").
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Meeting(_) => "Meeting",
            Event::Closed(a) => a.status.label(),
            Event::Changed(h, _) => match h.changes.first().map(|c| c.field) {
                Some(Field::Due) => "Date moved",
                Some(Field::Owner) => "Re-assigned",
                Some(Field::Escalate) => "Escalation",
                Some(Field::Status) => "Status",
                _ => "Changed",
            },
        }
    }

    /// Its heading: the meeting's type, or the action.
    pub fn title(&self) -> String {
        match self {
            Event::Meeting(m) => m.meeting_type.label().to_string(),
            Event::Closed(a) | Event::Changed(_, a) => a.next_step.clone(),
        }
    }

    /// The line under it: who was there and the summary, or the owner, the outcome (the
    /// action's last update) and any evidence.
    pub fn detail(&self) -> String {
        match self {
            Event::Meeting(m) => m.described(),
            Event::Closed(a) => [
                Some(format!("Owner: {}.", a.owner)),
                Some(format!(
                    "Outcome: {}.",
                    a.last_update.note.trim_end_matches('.')
                )),
                (!a.evidence.is_empty()).then(|| format!("Evidence: {}", a.evidence)),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" "),
            Event::Changed(h, _) if h.note.trim().is_empty() => describe(&h.changes),
            Event::Changed(h, _) => h.note.clone(),
        }
    }
}

/// A pupil's chronology: meetings, closed actions and every change made to their actions since
/// they were added, oldest first. One pass over the meetings, the actions and the history in
/// memory.
pub fn chronology(record: &Record, pupil: PupilId) -> Vec<Event<'_>> {
    let theirs: HashMap<ActionId, &Action> = record
        .actions()
        .iter()
        .filter(|a| a.pupil == pupil)
        .map(|a| (a.id, a))
        .collect();
    let changes = record.history().iter().filter_map(|h| {
        let action = *theirs.get(&h.action)?;
        let closing = !action.status.is_live() && h.at == action.last_update.at;
        (!h.changes.is_empty() && !closing).then_some(Event::Changed(h, action))
    });
    let mut events: Vec<Event> = record
        .meetings()
        .iter()
        .filter(|m| m.pupil == pupil)
        .map(Event::Meeting)
        .chain(
            record
                .actions()
                .iter()
                .filter(|a| a.pupil == pupil && !a.status.is_live())
                .map(Event::Closed),
        )
        .chain(changes)
        .collect();
    let at = |e: &Event| match e {
        Event::Meeting(_) => None,
        Event::Closed(a) => Some(a.last_update.at),
        Event::Changed(h, _) => Some(h.at),
    };
    crate::order::sort_by(&mut events, |x, y| match x.date().cmp(&y.date()) {
        // On the same day, the meeting comes before what was changed or closed at or after it,
        // and the changes come in the order they were made.
        Ordering::Equal => at(x).cmp(&at(y)),
        other => other,
    });
    events
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::action::Status;
    use crate::record::{Edit, NewMeeting, Review};
    use crate::MeetingType;

    #[test]
    fn a_pupils_chronology_has_meetings_and_closed_actions_in_date_order() {
        let mut s = school();
        let zoe = s.zoe;
        let meeting = |record: &mut Record, d: u32| {
            let new = NewMeeting {
                pupil: zoe,
                date: day(d),
                meeting_type: MeetingType::AnnualReview,
                attendees: vec![],
                summary: String::new(),
            };
            record.start_meeting(new, at(d)).unwrap().0
        };
        let first = meeting(&mut s.record, 2);
        let done = act(&mut s, zoe, "Share the report", "Parent", 10, Status::Done);
        let live = act(
            &mut s,
            zoe,
            "Reduce written work",
            "Class teacher",
            30,
            Status::Open,
        );
        let second = meeting(&mut s.record, 20);
        // Changes to a live action: moved at the meeting, then re-assigned, then escalated.
        let live_id = s.record.actions()[live].id;
        let may = NaiveDate::from_ymd_opt(2026, 5, 8).unwrap();
        let moved = Review::Moved { due: may };
        let later = |d: u32| at(d) + chrono::Duration::hours(1);
        s.record
            .review_action(live_id, second, moved, later(20))
            .unwrap();
        let owner = [Edit::Owner("Mrs Patel".into())];
        s.record
            .edit_action(live_id, &owner, None, later(22))
            .unwrap();
        let flag = [Edit::Escalate(true)];
        s.record
            .edit_action(live_id, &flag, None, later(23))
            .unwrap();
        // Another pupil's change is not in Zoë's chronology.
        let ben = s.ben;
        let bens = act(&mut s, ben, "Ring home", "SENCO", 25, Status::Open);
        let bens = s.record.actions()[bens].id;
        s.record.edit_action(bens, &owner, None, later(22)).unwrap();
        let events = chronology(&s.record, zoe);
        let shape: Vec<String> = events
            .iter()
            .map(|e| match e {
                Event::Meeting(m) => format!("meeting {}", m.date),
                Event::Closed(a) => format!("closed {}", a.next_step),
                Event::Changed(h, _) => format!("{} {}", e.kind(), h.at.date_naive()),
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                "meeting 2026-04-02",
                "meeting 2026-04-20",
                "closed Share the report",
                "Date moved 2026-04-20",
                "Re-assigned 2026-04-22",
                "Escalation 2026-04-23",
            ]
        );
        assert!(events[3]
            .detail()
            .starts_with("Moved from 30 Apr 2026 to 8 May 2026"));
        assert_eq!(events[4].title(), "Reduce written work");
        assert_eq!(events[4].detail(), "Owner: Class teacher → Mrs Patel");
        assert!(matches!(events[0], Event::Meeting(m) if m.id == first));
        assert!(matches!(events[1], Event::Meeting(m) if m.id == second));
        assert!(matches!(events[2], Event::Closed(a) if a.id == s.record.actions()[done].id));
        // Each line in words.
        assert_eq!(events[0].kind(), "Meeting");
        assert_eq!(events[0].title(), "Annual review");
        assert_eq!(events[2].kind(), "Done");
        assert_eq!(events[2].title(), "Share the report");
        let detail = events[2].detail();
        assert!(detail.starts_with("Owner: Parent. Outcome: "), "{detail}");
        assert!(
            !detail.contains("Evidence"),
            "no evidence, no evidence line: {detail}"
        );
    }
}
