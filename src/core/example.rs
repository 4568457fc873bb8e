//! The example record a new device offers to load, to try the app with: four fictional pupils,
//! their meetings, and actions in every state the weekly review looks for (overdue, due this
//! week, waiting, escalated, gone stale, done with evidence, parked), each written the way the
//! row guard asks. Its ids are always the same, so its pupils are known again to clear it, and
//! loading it twice changes nothing; its dates are counted from the day it is loaded.

use super::action::{Action, ItemType, LastUpdate, Status};
use super::bundle::{self, Part};
use super::choice::Choice;
use super::history::{Field, FieldChange, HistoryEntry};
use super::id::{ActionId, EntryId, MeetingId, PupilId};
use super::meeting::{Meeting, MeetingType};
use super::merge::ImportPlan;
use super::pupil::{Pupil, SendStatus, YearGroup};
use super::record::Record;
use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};

/// The name the example is imported under (it reads "Imported from the example record").
pub const SOURCE: &str = "the example record";

/// The ids are drawn from this seed, pupils first.
const SEED: u64 = 0x5E4D_2026;

/// The example's pupils: name, year group, SEND status, days to the EHC plan's annual review.
const PUPILS: [(&str, YearGroup, SendStatus, Option<u64>); 4] = [
    (
        "Amara Okafor (example)",
        YearGroup::Year4,
        SendStatus::EhcPlan,
        Some(40),
    ),
    (
        "Ben Hughes (example)",
        YearGroup::Year9,
        SendStatus::SenSupport,
        None,
    ),
    (
        "Zoë Nowak (example)",
        YearGroup::Year7,
        SendStatus::SenSupport,
        None,
    ),
    (
        "Rhys Morgan (example)",
        YearGroup::Reception,
        SendStatus::Monitoring,
        None,
    ),
];

/// One meeting per pupil, in the order of [`PUPILS`]: type, days ago, who was there, summary,
/// working notes.
const MEETINGS: [(MeetingType, u64, &[&str], &str, &str); 4] = [
    (
        MeetingType::AnnualReview,
        21,
        &[
            "SENCO",
            "Parent",
            "Class teacher",
            "Educational psychologist",
        ],
        "Annual review of the EHC plan. Reading has improved; mornings are still hard.",
        "Mum wondered about a laptop for written work. Not agreed: look at it again at the next \
         review.",
    ),
    (
        MeetingType::SenSupportMeeting,
        35,
        &["SENCO", "Parent", "Mr Jones (Head of Year 9)"],
        "Termly SEN support review. Transitions between lessons are the main worry.",
        "",
    ),
    (
        MeetingType::ParentConversation,
        9,
        &["SENCO", "Parent"],
        "Phone call with dad about attendance since half term.",
        "",
    ),
    (
        MeetingType::TransitionMeeting,
        60,
        &["SENCO", "Parent", "Nursery key worker"],
        "Starting school: what helped at nursery, and the lunch hall.",
        "",
    ),
];

/// An action of the example: whose (index into [`PUPILS`]), from its meeting or not, what was
/// agreed, who owns it, when it is due (days from today), and the statuses it went through,
/// each with how many days ago.
struct Step {
    pupil: usize,
    from_meeting: bool,
    item_type: ItemType,
    decision: &'static str,
    next_step: &'static str,
    owner: &'static str,
    due: i64,
    path: &'static [(Status, u64)],
    evidence: &'static str,
    escalate: bool,
}

const STEPS: [Step; 10] = [
    Step {
        pupil: 0,
        from_meeting: true,
        item_type: ItemType::Intervention,
        decision: "Six-week phonics group agreed",
        next_step: "Run the phonics group three times a week for six weeks and record attendance",
        owner: "Teaching assistant",
        due: 21,
        path: &[(Status::InProgress, 7)],
        evidence: "",
        escalate: false,
    },
    Step {
        pupil: 0,
        from_meeting: true,
        item_type: ItemType::DocumentToShare,
        decision: "The educational psychologist's report is to be shared with home",
        next_step: "Email the educational psychologist's report to the parent",
        owner: "SENCO",
        due: -3,
        path: &[],
        evidence: "",
        escalate: false,
    },
    Step {
        pupil: 0,
        from_meeting: true,
        item_type: ItemType::FollowUp,
        decision: "Sleep is affecting mornings",
        next_step: "Send the two-week sleep diary to the SENCO",
        owner: "Parent",
        due: 0,
        path: &[],
        evidence: "",
        escalate: false,
    },
    Step {
        pupil: 1,
        from_meeting: true,
        item_type: ItemType::Referral,
        decision: "Speech and language concerns raised",
        next_step: "Complete and send the speech and language referral form",
        owner: "SENCO",
        due: -14,
        path: &[(Status::InProgress, 30), (Status::Waiting, 10)],
        evidence: "Referral sent; waiting for the service to reply",
        escalate: true,
    },
    Step {
        pupil: 1,
        from_meeting: true,
        item_type: ItemType::ClassroomAdjustment,
        decision: "Written work is tiring him out by lunchtime",
        next_step: "Reduce written tasks to half a page for two weeks and note the effect each \
                    Friday",
        owner: "Mr Jones (Head of Year 9)",
        due: -20,
        path: &[(Status::InProgress, 33), (Status::Done, 19)],
        evidence: "Noted in the class teacher's weekly log: finishing work on time",
        escalate: false,
    },
    Step {
        pupil: 1,
        from_meeting: true,
        item_type: ItemType::Intervention,
        decision: "Anxiety at transitions between lessons",
        next_step: "Give a five-minute early release pass before each lesson change for four \
                    weeks",
        owner: "Pastoral lead",
        due: 7,
        path: &[],
        evidence: "",
        escalate: false,
    },
    Step {
        pupil: 2,
        from_meeting: true,
        item_type: ItemType::FollowUp,
        decision: "Attendance has dropped to 86%",
        next_step: "Call the parent every Monday for four weeks to agree the week's attendance \
                    plan",
        owner: "Attendance lead",
        due: 19,
        path: &[(Status::InProgress, 2)],
        evidence: "",
        escalate: false,
    },
    Step {
        pupil: 2,
        from_meeting: false,
        item_type: ItemType::SupportPlanUpdate,
        decision: "Targets met; new targets needed",
        next_step: "Write three new SEN support plan targets and share them with the parent",
        owner: "Class teacher",
        due: 10,
        path: &[],
        evidence: "",
        escalate: false,
    },
    Step {
        pupil: 3,
        from_meeting: true,
        item_type: ItemType::ClassroomAdjustment,
        decision: "Sensory overload in the lunch hall",
        next_step: "Set up a quiet lunch table in the library from Monday",
        owner: "Teaching assistant",
        due: -50,
        path: &[(Status::Done, 52)],
        evidence: "Seen at lunch on three visits: eating with two friends",
        escalate: false,
    },
    Step {
        pupil: 3,
        from_meeting: true,
        item_type: ItemType::Review,
        decision: "Early reading may need a different approach",
        next_step: "Check whether a different reading support approach is needed and report \
                    back at the review",
        owner: "Class teacher",
        due: -30,
        path: &[(Status::Parked, 40)],
        evidence: "Parked until the new phonics scheme starts after half term",
        escalate: false,
    },
];

fn ids() -> fastrand::Rng {
    fastrand::Rng::with_seed(SEED)
}

fn morning(date: NaiveDate, hour: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&date.and_hms_opt(hour, 0, 0).expect("a valid hour"))
}

/// Whether the example's pupils are in `record` (its ids are drawn once, not for every pupil).
pub fn is_loaded(record: &Record) -> bool {
    let example = example_pupils();
    record.pupils().iter().any(|p| example.contains(&p.id))
}

/// The example's pupils' ids.
pub fn example_pupils() -> [PupilId; 4] {
    let mut rng = ids();
    std::array::from_fn(|_| PupilId::from_random_bytes(rng.u128(..).to_le_bytes()))
}

/// Loading the example: an import of it, previewed and applied (and undone) like any other.
pub fn plan(record: &Record, today: NaiveDate, now: DateTime<Utc>) -> ImportPlan {
    let bytes = bundle::export(&example(today), &Part::Everything, now);
    bundle::plan(record, SOURCE, &bytes)
}

/// The example record, its dates counted back and on from `today`.
pub fn example(today: NaiveDate) -> Record {
    let mut rng = ids();
    let mut next = || rng.u128(..).to_le_bytes();
    let ago = |days: u64| today - Days::new(days);
    let pupils: Vec<Pupil> = PUPILS
        .iter()
        .map(|&(name, year_group, send_status, review)| Pupil {
            id: PupilId::from_random_bytes(next()),
            name: name.into(),
            year_group,
            send_status,
            annual_review: review.map(|days| today + Days::new(days)),
            left_on: None,
            key_adults: Vec::new(),
            born: None,
            updated_at: morning(ago(60), 8),
        })
        .collect();
    let meetings: Vec<Meeting> = MEETINGS
        .iter()
        .zip(&pupils)
        .map(
            |(&(meeting_type, days, attendees, summary, notes), pupil)| Meeting {
                id: MeetingId::from_random_bytes(next()),
                date: ago(days),
                pupil: pupil.id,
                meeting_type,
                attendees: attendees.iter().map(|a| a.to_string()).collect(),
                summary: summary.into(),
                working_notes: notes.into(),
                updated_at: morning(ago(days), 16),
            },
        )
        .collect();
    let mut actions = Vec::new();
    let mut history = Vec::new();
    for step in &STEPS {
        let pupil = pupils[step.pupil].id;
        let meeting = &meetings[step.pupil];
        let (raised, from) = if step.from_meeting {
            (meeting.date, Some(meeting.id))
        } else {
            (ago(12), None)
        };
        let id = ActionId::from_random_bytes(next());
        let created = morning(raised, 10);
        history.push(HistoryEntry {
            id: EntryId::from_random_bytes(next()),
            action: id,
            at: created,
            note: "Created".into(),
            meeting: from,
            changes: Vec::new(),
        });
        let mut last = LastUpdate {
            at: created,
            note: "Created".into(),
        };
        let mut status = Status::Open;
        for &(next_status, days) in step.path {
            let change = FieldChange {
                field: Field::Status,
                before: status.label().into(),
                after: next_status.label().into(),
            };
            let at = morning(ago(days), 12);
            last = LastUpdate {
                at,
                note: format!("Status: {} → {}", change.before, change.after),
            };
            history.push(HistoryEntry {
                id: EntryId::from_random_bytes(next()),
                action: id,
                at,
                note: last.note.clone(),
                meeting: None,
                changes: vec![change],
            });
            status = next_status;
        }
        let due = if step.due < 0 {
            today - Days::new(step.due.unsigned_abs())
        } else {
            today + Days::new(step.due.unsigned_abs())
        };
        actions.push(Action {
            id,
            pupil,
            raised,
            meeting: from,
            item_type: step.item_type,
            decision: step.decision.into(),
            next_step: step.next_step.into(),
            owner: step.owner.into(),
            due,
            status,
            last_update: last,
            evidence: step.evidence.into(),
            next_review: None,
            escalate: step.escalate,
            statutory: None,
        });
    }
    // In the order they were made, as the app itself keeps them.
    actions.sort_by_key(|a| a.raised);
    history.sort_by_key(|h| h.at);
    Record::from_parts(pupils, meetings, actions, history).expect("the example's ids are unique")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guard;
    use crate::query::{is_stale, weekly_review};
    use crate::record::Kind;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    #[test]
    fn the_example_shows_every_list_of_the_weekly_review_and_every_status() {
        let record = example(today());
        let review = weekly_review(&record, today());
        for (list, rows) in [
            ("overdue", &review.overdue),
            ("due this week", &review.due_this_week),
            ("waiting", &review.waiting),
            ("escalated", &review.escalated),
            ("stale", &review.stale),
        ] {
            assert!(!rows.is_empty(), "nothing {list} in the example");
        }
        for status in Status::ALL {
            assert!(
                record.actions().iter().any(|a| a.status == *status),
                "no {status:?} action"
            );
        }
        assert!(record.actions().iter().any(|a| a.meeting.is_none()));
        assert!(record
            .meetings()
            .iter()
            .any(|m| !m.working_notes.is_empty()));
        assert!(record.actions().iter().any(|a| is_stale(a, today())));
    }

    #[test]
    fn every_example_row_is_written_the_way_the_guard_asks() {
        let record = example(today());
        for action in record.actions() {
            assert_eq!(
                guard::check_owner(&action.owner),
                guard::OwnerCheck::One(action.owner.clone())
            );
            assert!(
                guard::check_next_step(&action.next_step).is_empty(),
                "{}",
                action.next_step
            );
        }
    }

    #[test]
    fn the_example_loads_once_and_clears_in_one_step() {
        let now = morning(today(), 9);
        let mut record = Record::default();
        let first = plan(&record, today(), now);
        assert!(first.can_apply(), "{:?}", first.problems);
        crate::merge::apply(&mut record, &first).unwrap();
        assert_eq!(record, example(today()));
        assert!(plan(&record, today(), now).changes_nothing());

        let (_, touched) = record.remove_pupils(&example_pupils());
        assert_eq!(record, Record::default());
        assert!(touched.0.contains(&(Kind::History, 0)));
    }

    #[test]
    fn the_example_keeps_its_ids_and_knows_its_pupils() {
        let (one, other) = (example(today()), example(today() + Days::new(30)));
        for kind in Kind::ALL {
            let ids = |r: &Record| match kind {
                Kind::Pupils => r
                    .pupils()
                    .iter()
                    .map(|p| p.id.to_string())
                    .collect::<Vec<_>>(),
                Kind::Meetings => r.meetings().iter().map(|m| m.id.to_string()).collect(),
                Kind::Actions => r.actions().iter().map(|a| a.id.to_string()).collect(),
                Kind::History => r.history().iter().map(|h| h.id.to_string()).collect(),
            };
            assert_eq!(ids(&one), ids(&other), "{kind:?}");
        }
        assert!(one
            .pupils()
            .iter()
            .all(|p| example_pupils().contains(&p.id)));
        assert!(!example_pupils().contains(&PupilId::new()));
        assert!(is_loaded(&one));
        assert!(!is_loaded(&Record::default()));
        // Each action's history ends with its last update.
        for action in one.actions() {
            let last = one.history_of(action.id).last().map(|h| h.note.clone());
            assert_eq!(last.as_deref(), Some(action.last_update.note.as_str()));
        }
    }
}
