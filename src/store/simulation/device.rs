//! One simulated device: its record, saves and writes, and the next thing done to it at random.

use super::storage::{
    assert_same, commit, every_value, open, start_up, take_earlier_history, Stored,
};
use super::today;
use crate::core::bundle::{self, Part};
use crate::core::record::{Edit, MeetingEdit, NewMeeting, NewPupil, PupilEdit, Review};
use crate::core::sample::{sample, SampleSize};
use crate::core::{
    merge, query, ActionDraft, MeetingType, Record, SendStatus, Status, Touched, Undo, YearGroup,
};
use crate::store::layout::{decode, encode_all, Journal, Queue, Retry, Writes, JOURNAL_ROWS};
use chrono::{DateTime, Duration, TimeZone, Utc};

/// One device: the record in memory, what is stored, and the write under way.
pub(super) struct Device {
    rng: fastrand::Rng,
    pub(super) memory: Record,
    pub(super) stored: Stored,
    journal: Journal,
    queue: Queue<()>,
    /// The write under way: what it writes, what to retry if it fails, the record it stores.
    writing: Option<(Writes, Retry, Record)>,
    /// The record as the last committed write left it: what the storage must read back as.
    pub(super) committed: Record,
    /// A write failed and none has succeeded since.
    behind: bool,
    /// The next write to end fails (the device is full, say).
    pub(super) refuse_next: bool,
    undo: Option<Undo>,
    now: DateTime<Utc>,
    /// The storage changed since it was last read back (reading it back is the slow part).
    unchecked: bool,
}

impl Device {
    pub(super) fn new(seed: u64, record: Record) -> Self {
        let mut stored = Stored::new();
        stored.extend(encode_all(&record));
        let mut device = Device {
            rng: fastrand::Rng::with_seed(seed),
            memory: Record::default(),
            journal: Journal::default(),
            queue: Queue::default(),
            writing: None,
            committed: record,
            behind: false,
            refuse_next: false,
            undo: None,
            now: Utc.with_ymd_and_hms(2026, 4, 23, 9, 0, 0).unwrap(),
            unchecked: true,
            stored,
        };
        device.reload();
        device
    }

    /// Saves a change as the app does: at once, or after the write under way.
    pub(super) fn persist(&mut self, touched: Touched) {
        if touched.is_empty() {
            return;
        }
        if let Some(waiting) = self.queue.add(&touched, ()) {
            self.start_write(&waiting.touched);
        }
    }

    /// Try again, after a refused write: writes everything it left out.
    pub(super) fn try_again(&mut self) {
        if let Some(waiting) = self.queue.add(&Touched::default(), ()) {
            self.start_write(&waiting.touched);
        }
    }

    fn start_write(&mut self, touched: &Touched) {
        let (writes, retry) = self.journal.save(&self.memory, touched);
        if std::env::var_os("SENDLOG_SIM_TRACE").is_some() {
            let puts: Vec<&str> = writes.puts.iter().map(|(k, _)| k.as_str()).collect();
            eprintln!(
                "    write starts: put {puts:?}, delete {:?}",
                writes.deletes
            );
        }
        self.writing = Some((writes, retry, self.memory.clone()));
    }

    /// The write under way commits (or, refused, writes nothing); what waited is written next.
    pub(super) fn end_write(&mut self) {
        let Some((writes, retry, record)) = self.writing.take() else {
            return;
        };
        if std::env::var_os("SENDLOG_SIM_TRACE").is_some() {
            eprintln!("    write ends, refused: {}", self.refuse_next);
        }
        if std::mem::take(&mut self.refuse_next) {
            self.journal.failed(retry);
            self.behind = true;
        } else {
            commit(&mut self.stored, &writes);
            self.committed = record;
            self.unchecked = true;
            self.behind = false;
        }
        if let Some(next) = self.queue.ended() {
            self.start_write(&next.touched);
        }
    }

    /// The page is reloaded (an iPad's Safari does so in the background): a write under way
    /// commits or is lost, and the app starts again from what is stored.
    pub(super) fn reload(&mut self) {
        if self.writing.is_some() {
            if self.rng.bool() {
                self.end_write();
            }
            self.writing = None;
        }
        let loaded = start_up(&mut self.stored);
        self.unchecked = true;
        self.memory = loaded.record;
        self.journal = loaded.journal;
        self.queue = Queue::default();
        self.undo = None;
        self.behind = false;
        self.refuse_next = false;
    }

    /// Removing pupils and imports wait for the whole history, as the app does.
    pub(super) fn whole_history(&mut self) {
        if !self.memory.history_complete() {
            take_earlier_history(&mut self.memory, &self.stored);
        }
    }

    fn draft(&mut self, pupil: crate::core::PupilId) -> ActionDraft {
        let n = self.rng.u32(..10_000);
        let meeting = self
            .memory
            .meetings()
            .iter()
            .filter(|m| m.pupil == pupil)
            .map(|m| m.id)
            .next_back()
            .filter(|_| self.rng.bool());
        ActionDraft {
            pupil: Some(pupil),
            meeting,
            decision: format!("Decision {n}"),
            next_step: format!("Send reading record {n} to the SENCO by Friday"),
            owner: ["Parent", "SENCO", "Mrs Patel", "Łukasz Nowak"][self.rng.usize(..4)].into(),
            due: today().checked_add_signed(Duration::days(self.rng.i64(-20..60))),
            ..ActionDraft::default()
        }
    }

    fn any_action(&mut self) -> Option<crate::core::ActionId> {
        let actions = self.memory.actions();
        (!actions.is_empty()).then(|| actions[self.rng.usize(..actions.len())].id)
    }

    fn any_pupil(&mut self) -> Option<crate::core::PupilId> {
        let pupils = self.memory.pupils();
        (!pupils.is_empty()).then(|| pupils[self.rng.usize(..pupils.len())].id)
    }

    fn an_edit(&mut self) -> Edit {
        let day = today() + Duration::days(self.rng.i64(1..90));
        match self.rng.u8(..7) {
            0 => Edit::Status(
                [
                    Status::Open,
                    Status::InProgress,
                    Status::Waiting,
                    Status::Done,
                    Status::Parked,
                ][self.rng.usize(..5)],
            ),
            1 => Edit::Owner(format!("Ms İnce {}", self.rng.u8(..9))),
            2 => Edit::Due(day),
            3 => Edit::Decision(format!("Agreed again {}", self.rng.u16(..))),
            4 => Edit::Evidence("Seen in the reading record".into()),
            5 => Edit::NextReview(Some(day)),
            _ => Edit::Escalate(self.rng.bool()),
        }
    }

    /// One thing a person or the browser does, chosen at random. Says what it was.
    pub(super) fn step(&mut self) -> &'static str {
        self.now += Duration::minutes(1);
        let now = self.now;
        let roll = self.rng.u32(..100);
        let (what, outcome) = match roll {
            0..=9 => ("a write ends", None),
            10..=12 => {
                self.reload();
                ("reload", None)
            }
            13..=17 => {
                self.refuse_next = true;
                ("the next write is refused", None)
            }
            18..=22 => {
                self.try_again();
                ("try again", None)
            }
            23..=24 => {
                self.whole_history();
                ("the older history is read", None)
            }
            25..=30 => {
                let name =
                    ["Zoë Ahmed", "Siân Ćwik", "İbrahim Öztürk", "Σοφία Ωρα"][self.rng.usize(..4)];
                let new = NewPupil {
                    name: name.into(),
                    year_group: YearGroup::Year5,
                    send_status: SendStatus::SenSupport,
                    annual_review: None,
                };
                let (pupil, touched) = self.memory.add_pupil(new, now).expect("a named pupil");
                self.persist(touched);
                // Often with a few actions straight away, each saved as it is added: the pupil
                // added by mistake, whose removal later takes the history back.
                for _ in 0..self.rng.usize(0..12) {
                    let draft = self.draft(pupil);
                    let (_, touched) = self.memory.add_action(&draft, today(), now).unwrap();
                    self.persist(touched);
                    if self.rng.bool() {
                        self.end_write();
                    }
                }
                return "add a pupil, and a few actions for them";
            }
            31..=48 => {
                let newest = self.memory.pupils().last().map(|p| p.id);
                let Some(pupil) = newest.filter(|_| self.rng.bool()).or(self.any_pupil()) else {
                    return "no pupil to add an action for";
                };
                let count = if self.rng.u8(..10) == 0 { 2 } else { 1 };
                let drafts: Vec<_> = (0..count).map(|_| self.draft(pupil)).collect();
                let made = self.memory.add_actions(&drafts, today(), now);
                let made = made.map(|(ids, t)| (Some(Undo::Added(ids)), t));
                ("add actions (a split adds two)", Some(made))
            }
            49..=60 => {
                let Some(id) = self.any_action() else {
                    return "no action to edit";
                };
                let edit = self.an_edit();
                let made = self.memory.edit_action(id, &[edit], None, now);
                ("edit an action", Some(made.map(|(u, t)| (Some(u), t))))
            }
            61..=64 => {
                let many = if self.rng.u8(..4) == 0 {
                    JOURNAL_ROWS + 10
                } else {
                    5
                };
                let ids: Vec<_> = self
                    .memory
                    .actions()
                    .iter()
                    .take(many)
                    .map(|a| a.id)
                    .collect();
                let edit = self.an_edit();
                let made = self.memory.edit_actions(&ids, &[edit], None, now);
                ("bulk edit", Some(made.map(|(u, t)| (Some(u), t))))
            }
            65..=67 => {
                let Some(pupil) = self.any_pupil() else {
                    return "no pupil for a meeting";
                };
                let new = NewMeeting {
                    pupil,
                    date: today(),
                    meeting_type: MeetingType::SenSupportMeeting,
                    attendees: vec!["Parent".into(), "SENCO".into()],
                    summary: "Termly review".into(),
                };
                let made = self.memory.start_meeting(new, now);
                ("start a meeting", Some(made.map(|(_, t)| (None, t))))
            }
            68..=70 => {
                let Some(meeting) = self.memory.meetings().last().map(|m| m.id) else {
                    return "no meeting";
                };
                let made = if self.rng.bool() {
                    let date = today() - Duration::days(self.rng.i64(1..30));
                    self.memory.move_meeting(meeting, date, now).map(|(_, t)| t)
                } else {
                    let notes = MeetingEdit::WorkingNotes(format!("Early thoughts {roll}"));
                    self.memory.edit_meeting(meeting, notes, now)
                };
                ("move or note a meeting", Some(made.map(|t| (None, t))))
            }
            71..=73 => {
                let (Some(id), Some(meeting)) = (
                    self.any_action(),
                    self.memory.meetings().last().map(|m| m.id),
                ) else {
                    return "nothing to review";
                };
                let review = match self.rng.u8(..3) {
                    0 => Review::Done {
                        evidence: "Report received".into(),
                    },
                    1 => Review::Moved {
                        due: today() + Duration::days(400),
                    },
                    _ => Review::Reassigned {
                        owner: "Mr Øvergård".into(),
                    },
                };
                let made = self.memory.review_action(id, meeting, review, now);
                (
                    "review an earlier action",
                    Some(made.map(|(u, t)| (Some(u), t))),
                )
            }
            74 => {
                let Some(pupil) = self.any_pupil() else {
                    return "no pupil to change";
                };
                let edit = PupilEdit::Name(format!("Gwenllïan {}", self.rng.u8(..)));
                let made = self.memory.edit_pupil(pupil, edit, now);
                (
                    "change a pupil's details",
                    Some(made.map(|((_, u), t)| (Some(u), t))),
                )
            }
            75 => {
                // An EHC plan's annual review set or moved, which then offers its steps.
                let Some(pupil) = self.any_pupil() else {
                    return "no pupil to change";
                };
                let review = today() + Duration::days(self.rng.i64(-40..400));
                let _ = self
                    .memory
                    .edit_pupil(pupil, PupilEdit::SendStatus(SendStatus::EhcPlan), now)
                    .map(|(_, touched)| self.persist(touched));
                let edit = PupilEdit::AnnualReview(Some(review));
                let made = self.memory.edit_pupil(pupil, edit, now);
                (
                    "set an annual review",
                    Some(made.map(|((_, u), t)| (Some(u), t))),
                )
            }
            76 => {
                // What a pupil's review date (or transfer year) offers, taken in one tap.
                let Some(pupil) = self.any_pupil() else {
                    return "no pupil to change";
                };
                let Some(p) = self.memory.pupil(pupil).cloned() else {
                    return "no pupil to change";
                };
                let offer = query::offer(&self.memory, &p, today())
                    .or_else(|| query::transfer_offer(&self.memory, &p, &[], today()));
                let Some(offer) = offer else {
                    return "nothing offered";
                };
                let made = query::take_offer(&mut self.memory, pupil, &offer, today(), now);
                (
                    "take a review's offer",
                    Some(made.map(|((_, u), t)| (Some(u), t))),
                )
            }
            77..=83 => {
                let Some(undo) = self.undo.take() else {
                    return "nothing to undo";
                };
                let made = self.memory.undo(&undo, now);
                ("undo", Some(made.map(|t| (None, t))))
            }
            84..=87 => {
                self.whole_history();
                let size = SampleSize {
                    pupils: self.rng.usize(1..6),
                    actions: self.rng.usize(0..300),
                };
                let file = sample(self.rng.u64(..), size, today());
                let bytes = bundle::export(&file, &Part::Everything, now);
                let plan = bundle::plan(&self.memory, "file.json", &bytes);
                assert!(plan.can_apply(), "{:?}", plan.problems);
                let made = merge::apply(&mut self.memory, &plan);
                ("import a bundle", Some(made.map(|(u, t)| (Some(u), t))))
            }
            _ => {
                // Often the newest pupil, added by mistake a few steps ago: few rows go, and
                // the history can shrink back across a bucket boundary.
                let newest = self.memory.pupils().last().map(|p| p.id);
                let Some(pupil) = newest.filter(|_| self.rng.bool()).or(self.any_pupil()) else {
                    return "no pupil to remove";
                };
                self.whole_history();
                let (_, touched) = self.memory.remove_pupils(&[pupil]);
                self.undo = None;
                self.persist(touched);
                return "remove a pupil's records";
            }
        };
        match outcome {
            None if what == "a write ends" => self.end_write(),
            None => {}
            Some(Ok((undo, touched))) => {
                if !touched.is_empty() {
                    // As the app: an import's Undo goes once anything else changes.
                    if matches!(self.undo, Some(Undo::Imported(_))) {
                        self.undo = None;
                    }
                    if undo.is_some() {
                        self.undo = undo;
                    }
                    if what == "undo" {
                        self.undo = None;
                    }
                }
                self.persist(touched);
            }
            Some(Err(_refused)) => {}
        }
        what
    }

    /// What the storage reads back as, by both reads, and what memory holds.
    pub(super) fn check(&mut self, context: &str) {
        if !std::mem::take(&mut self.unchecked) {
            self.check_memory(context);
            return;
        }
        let memory = &self.memory;
        if let Err(problem) = Record::from_parts(
            memory.pupils().to_vec(),
            memory.meetings().to_vec(),
            memory.actions().to_vec(),
            Vec::new(),
        ) {
            panic!("{context}: the record in memory is not consistent: {problem}");
        }
        let whole = decode(every_value(&self.stored))
            .unwrap_or_else(|problem| panic!("{context}: the whole read refused: {problem}"));
        assert_same(
            &whole.record,
            &self.committed,
            &format!("{context}: whole read"),
        );
        let mut opened = open(&self.stored).record;
        take_earlier_history(&mut opened, &self.stored);
        assert_same(
            &opened,
            &self.committed,
            &format!("{context}: start-up read"),
        );
        self.check_memory(context);
    }

    /// When nothing is being written and no write has failed since, memory is what is stored.
    fn check_memory(&self, context: &str) {
        if self.writing.is_none() && !self.behind {
            assert_same(&self.memory, &self.committed, &format!("{context}: memory"));
        }
    }
}
