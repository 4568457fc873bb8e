//! A fictional record, made from a seed: pupils, meetings, and actions in every state with a
//! history of changes. The same seed and size always give the same record. It is used to measure
//! the app at school scale and to fill a test browser; every name in it is made up.

use super::action::{Action, ItemType, LastUpdate, Status};
use super::choice::Choice;
use super::dates;
use super::history::{Field, FieldChange, HistoryEntry};
use super::id::{ActionId, EntryId, MeetingId, PupilId};
use super::meeting::{Meeting, MeetingType};
use super::pupil::{Pupil, SendStatus, YearGroup};
use super::record::Record;
use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};

const FIRST_NAMES: &[&str] = &[
    "Amara", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Hamza", "Isla", "Jack", "Kofi",
    "Lily", "Mohammed", "Niamh", "Oscar", "Priya", "Quinn", "Ruby", "Siân", "Tomasz", "Uma",
    "Victor", "Wren", "Xavier", "Yusuf", "Zoë", "Łukasz", "Aoife", "Rhys", "Maya",
];
const LAST_NAMES: &[&str] = &[
    "Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal", "Jones",
    "Khan", "Lewis", "Morgan", "Nowak", "O'Neil", "Patel", "Quigley", "Roberts", "Smith", "Taylor",
    "Ward", "Williams", "Young", "Kowalski", "Mensah", "Murphy",
];
const OWNERS: &[&str] = &[
    "SENCO",
    "Class teacher",
    "Parent",
    "Mrs Patel (Year 4 teacher)",
    "Mr Jones (Head of Year 9)",
    "Teaching assistant",
    "Attendance lead",
    "Pastoral lead",
    "School office",
    "Ms Nowak (ELSA)",
    "Speech and language therapist",
    "Educational psychologist",
];
/// Decision and next step, agreed together.
const STEPS: &[(ItemType, &str, &str)] = &[
    (ItemType::ClassroomAdjustment, "Written work is tiring him out by lunchtime",
     "Reduce written tasks to half a page for two weeks and note the effect each Friday"),
    (ItemType::Review, "Reading support may need a different approach",
     "Check whether a different reading support approach is needed and report back at the review"),
    (ItemType::DocumentToShare, "Private diagnosis report to be shared",
     "Send a copy of the private diagnosis report to the school office"),
    (ItemType::Intervention, "Six-week phonics group agreed",
     "Run the phonics group three times a week for six weeks and record attendance"),
    (ItemType::Referral, "Speech and language concerns raised",
     "Complete and send the speech and language referral form"),
    (ItemType::FollowUp, "Sleep is affecting mornings",
     "Send the two-week sleep diary to the SENCO"),
    (ItemType::SupportPlanUpdate, "Targets met; new targets needed",
     "Write three new SEN support plan targets and share them with the parent"),
    (ItemType::Intervention, "Anxiety at transitions between lessons",
     "Give a five-minute early release pass before each lesson change for four weeks"),
    (ItemType::FollowUp, "Attendance has dropped to 86%",
     "Call the parent every Monday for four weeks to agree the week's attendance plan"),
    (ItemType::ClassroomAdjustment, "Sensory overload in the dining hall",
     "Set up a quiet lunch table in the library from Monday"),
];
const EVIDENCE: &[&str] = &[
    "Seen in the reading log",
    "Copy on the pupil's file",
    "Referral acknowledged by email",
    "Attendance register checked",
    "Noted in the class teacher's weekly log",
];

/// How big a fictional record to make.
#[derive(Clone, Copy, Debug)]
pub struct SampleSize {
    pub pupils: usize,
    pub actions: usize,
}

struct Draw(fastrand::Rng);

impl Draw {
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.0.usize(..items.len())]
    }
    fn id_bytes(&mut self) -> [u8; 16] {
        self.0.u128(..).to_le_bytes()
    }
    fn chance(&mut self, percent: u32) -> bool {
        self.0.u32(..100) < percent
    }
    fn days(&mut self, range: std::ops::Range<u64>) -> Days {
        Days::new(self.0.u64(range))
    }
}

/// A moment in the working day of `date`, but never after `today` began: the record is as it
/// stood when the day started, so whatever is done with it today comes after all of it (a
/// change made just after midnight is the newest in a row's history, not one "at 13:32 today").
fn morning(date: NaiveDate, minutes: u32, today: NaiveDate) -> DateTime<Utc> {
    let at = date
        .and_hms_opt(8 + minutes / 60 % 9, minutes % 60, 0)
        .unwrap()
        .min(today.and_hms_opt(0, 0, 0).unwrap());
    Utc.from_utc_datetime(&at)
}

/// A fictional record of `size`, dated around `today`, the same for the same `seed`.
pub fn sample(seed: u64, size: SampleSize, today: NaiveDate) -> Record {
    let mut draw = Draw(fastrand::Rng::with_seed(seed));
    let now = morning(today, 0, today);
    let pupils: Vec<Pupil> = (0..size.pupils.max(1))
        .map(|_| {
            let send_status = *draw.pick(SendStatus::ALL);
            Pupil {
                id: PupilId::from_random_bytes(draw.id_bytes()),
                name: format!("{} {}", draw.pick(FIRST_NAMES), draw.pick(LAST_NAMES)),
                year_group: *draw.pick(YearGroup::ALL),
                annual_review: (send_status == SendStatus::EhcPlan)
                    .then(|| today + draw.days(10..330)),
                left_on: None,
                key_adults: Vec::new(),
                born: None,
                send_status,
                updated_at: now,
            }
        })
        .collect();
    // About one meeting for every four actions, spread over the last two years.
    let meetings: Vec<Meeting> = (0..size.actions.div_ceil(4))
        .map(|_| Meeting {
            id: MeetingId::from_random_bytes(draw.id_bytes()),
            date: today - draw.days(0..700),
            pupil: draw.pick(&pupils).id,
            meeting_type: *draw.pick(MeetingType::ALL),
            attendees: vec!["SENCO".into(), "Parent".into(), "Class teacher".into()],
            summary: "Reviewed progress against the support plan and agreed next steps.".into(),
            working_notes: String::new(),
            updated_at: now,
        })
        .collect();
    let mut actions = Vec::with_capacity(size.actions);
    let mut history = Vec::with_capacity(size.actions * 4);
    for _ in 0..size.actions {
        let from_meeting = (!meetings.is_empty() && draw.chance(75)).then(|| draw.pick(&meetings));
        let (pupil, meeting, raised) = match from_meeting {
            Some(m) => (m.pupil, Some(m.id), m.date),
            None => (draw.pick(&pupils).id, None, today - draw.days(0..700)),
        };
        let (item_type, decision, next_step) = *draw.pick(STEPS);
        let due = raised + draw.days(3..60);
        // Older rows are mostly closed; recent ones mostly live.
        let status = match (due < today, draw.0.u32(..100)) {
            (true, 0..=79) => Status::Done,
            (true, 80..=84) => Status::Parked,
            (_, n) => [Status::Open, Status::InProgress, Status::Waiting][n as usize % 3],
        };
        let id = ActionId::from_random_bytes(draw.id_bytes());
        let mut at = morning(raised, draw.0.u32(..480), today);
        history.push(HistoryEntry {
            id: EntryId::from_random_bytes(draw.id_bytes()),
            action: id,
            at,
            note: "Created".into(),
            meeting,
            changes: Vec::new(),
        });
        let mut last = (at, "Created".to_string());
        let mut path = vec![Status::InProgress; draw.0.usize(0..3)];
        path.push(status);
        let mut current = Status::Open;
        let owner = draw.pick(OWNERS).to_string();
        for next in path {
            if next == current {
                continue;
            }
            let on = (at.date_naive() + draw.days(1..10)).min(today);
            at = morning(on, draw.0.u32(..480), today).max(at);
            let change = FieldChange {
                field: Field::Status,
                before: current.label().into(),
                after: next.label().into(),
            };
            let note = format!("Status: {} → {}", change.before, change.after);
            history.push(HistoryEntry {
                id: EntryId::from_random_bytes(draw.id_bytes()),
                action: id,
                at,
                note: note.clone(),
                meeting: None,
                changes: vec![change],
            });
            last = (at, note);
            current = next;
        }
        actions.push(Action {
            id,
            pupil,
            raised,
            meeting,
            item_type,
            decision: decision.into(),
            next_step: next_step.into(),
            owner,
            due,
            status,
            last_update: LastUpdate {
                at: last.0,
                note: last.1,
            },
            evidence: if status == Status::Done {
                draw.pick(EVIDENCE).to_string()
            } else {
                String::new()
            },
            next_review: draw.chance(30).then(|| due + Days::new(14)),
            escalate: status.is_live() && draw.chance(3),
            statutory: None,
        });
    }
    // Rows are kept in the order they were made, as the app itself adds them.
    actions.sort_by_key(|a| (a.raised, a.last_update.at));
    history.sort_by_key(|h| h.at);
    Record::from_parts(pupils, meetings, actions, history).expect("sample ids are unique")
}

/// The date the sample counts from, as written in a file: handy for a command line.
pub fn parse_today(text: &str) -> Option<NaiveDate> {
    dates::parse_iso(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guard;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 4, 23).unwrap()
    }

    #[test]
    fn nothing_in_a_sample_happens_after_today_began() {
        let size = SampleSize {
            pupils: 20,
            actions: 2_000,
        };
        let record = sample(3, size, today());
        let began = Utc.from_utc_datetime(&today().and_hms_opt(0, 0, 0).unwrap());
        assert!(record.history().iter().all(|h| h.at <= began));
        assert!(record.actions().iter().all(|a| a.last_update.at <= began));
        assert!(record.pupils().iter().all(|p| p.updated_at <= began));
        assert!(record.meetings().iter().all(|m| m.updated_at <= began));
        assert!(
            record.actions().iter().any(|a| a.raised == today()),
            "rows are still raised today"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_record() {
        let size = SampleSize {
            pupils: 20,
            actions: 300,
        };
        assert_eq!(sample(7, size, today()), sample(7, size, today()));
        assert_ne!(sample(7, size, today()), sample(8, size, today()));
    }

    #[test]
    fn a_sample_has_actions_in_every_state_and_a_history_for_each() {
        let record = sample(
            1,
            SampleSize {
                pupils: 50,
                actions: 2_000,
            },
            today(),
        );
        assert_eq!(record.actions().len(), 2_000);
        assert_eq!(record.pupils().len(), 50);
        for status in Status::ALL {
            assert!(
                record.actions().iter().any(|a| a.status == *status),
                "{status}"
            );
        }
        assert!(record.actions().iter().any(|a| a.is_overdue(today())));
        assert!(record.actions().iter().any(|a| a.escalate));
        assert!(record.actions().iter().any(|a| a.meeting.is_none()));
        let per_action = record.history().len() as f64 / 2_000.0;
        assert!(
            (2.0..6.0).contains(&per_action),
            "{per_action} history entries per action"
        );
        for action in record.actions() {
            assert!(action.due >= action.raised);
            assert!(matches!(
                guard::check_owner(&action.owner),
                guard::OwnerCheck::One(_)
            ));
            assert!(
                guard::check_next_step(&action.next_step).is_empty(),
                "{}",
                action.next_step
            );
        }
    }
}
