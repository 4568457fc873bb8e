//! A pupil's chronology: meetings and closed actions, oldest first.

use crate::action::Action;
use crate::choice::Choice;
use crate::id::PupilId;
use crate::meeting::Meeting;
use crate::record::Record;
use chrono::NaiveDate;
use std::cmp::Ordering;

/// One event in a pupil's history.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Event<'a> {
    Meeting(&'a Meeting),
    /// A closed action, on the day it was last updated (when it was closed).
    Closed(&'a Action),
}

impl Event<'_> {
    pub fn date(&self) -> NaiveDate {
        match self {
            Event::Meeting(m) => m.date,
            Event::Closed(a) => a.last_update.at.date_naive(),
        }
    }

    /// What the event is: "Meeting", or how the action was closed ("Done", "Parked").
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Meeting(_) => "Meeting",
            Event::Closed(a) => a.status.label(),
        }
    }

    /// Its heading: the meeting's type, or the action.
    pub fn title(&self) -> String {
        match self {
            Event::Meeting(m) => m.meeting_type.label().to_string(),
            Event::Closed(a) => a.next_step.clone(),
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
        }
    }
}

/// A pupil's chronology: meetings and closed actions, oldest first.
pub fn chronology(record: &Record, pupil: PupilId) -> Vec<Event<'_>> {
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
        .collect();
    crate::order::sort_by(&mut events, |x, y| match x.date().cmp(&y.date()) {
        // On the same day, the meeting comes before what was closed at or after it.
        Ordering::Equal => matches!(y, Event::Meeting(_)).cmp(&matches!(x, Event::Meeting(_))),
        other => other,
    });
    events
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::action::Status;
    use crate::record::NewMeeting;
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
        let _live = act(
            &mut s,
            zoe,
            "Reduce written work",
            "Class teacher",
            30,
            Status::Open,
        );
        let second = meeting(&mut s.record, 20);
        let events = chronology(&s.record, zoe);
        let shape: Vec<String> = events
            .iter()
            .map(|e| match e {
                Event::Meeting(m) => format!("meeting {}", m.date),
                Event::Closed(a) => format!("closed {}", a.next_step),
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                "meeting 2026-04-02",
                "meeting 2026-04-20",
                "closed Share the report"
            ]
        );
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
