//! The CSV files: the action log and the tracker as tables that open cleanly in Excel, and the
//! import that reads such a table back (as exported, or after a person edited it in Excel).
//!
//! Written: UTF-8 with a byte-order mark (so Excel reads Siân and Zoë right), CRLF line ends,
//! RFC 4180 quoting (by the `csv` crate), dates as YYYY-MM-DD, human column headers, and every
//! cell that starts with `=`, `+`, `-`, `@`, a tab, CR or LF prefixed with `'` so that no
//! spreadsheet runs it as a formula (OWASP's advice on CSV injection).
//!
//! Read: columns matched by header (any case, spacing or order; a few other names allowed),
//! dates as YYYY-MM-DD, DD/MM/YYYY or 23 Apr 2026, a byte-order mark dropped, a comma, semicolon
//! or tab between cells. Every problem is listed by row (as Excel numbers it) and column, and
//! any problem stops the whole import. A row with an Action ID already on this device updates
//! that action; any other row adds one.
//!
//! The files: `columns` (the one table of every column SEND Log knows: header, other names, how
//! its cell is written and read; a new column is one entry there, see its doc), `cells` (the
//! value of a cell between the record and the file), `write` (the two tables exported), `read`
//! (a file read into rows), `preview` (the rows planned whole, and the notes on how they were
//! read), `plan` (each row an action added or updated) and `matching` (each row's pupil and
//! meeting), and `workbook` (an .xlsx or .ods read as the CSV text of each sheet).

mod cells;
mod choices;
mod columns;
mod encoding;
mod matched;
mod matching;
mod plan;
mod preview;
mod read;
mod workbook;
mod write;

#[cfg(test)]
mod layouts;

pub use choices::ImportChoice;
pub use columns::Column;
pub use encoding::to_windows_1252;
pub use matched::{ColumnMatch, Target};
pub use read::CsvImport;
pub use workbook::{is_workbook, read_workbook, Sheet, WORKBOOK_LIMIT_BYTES};
pub use write::{export, guard_cell, unguard, Table};

/// The largest spreadsheet read (a school's whole action log is about 20 MB).
pub const CSV_LIMIT_BYTES: usize = 64 * 1024 * 1024;
/// The most rows read from one spreadsheet.
pub const CSV_LIMIT_ROWS: usize = 100_000;
/// The longest cell read; longer ones are refused rather than cut.
pub const CELL_LIMIT_CHARS: usize = 10_000;

/// Lower case, letters and digits only: "  Due  date " and "due_date" read the same.
fn squash(text: &str) -> String {
    // Lowercased first, then filtered: Turkish "İ" lowercases to "i" and a combining dot, which
    // the filter drops, so "İlker" and "ilker" are one name.
    text.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

#[cfg(test)]
mod tests {
    //! The small record and the helpers the tests of this folder start from.
    use super::CsvImport;
    use crate::action::{ActionDraft, ItemType, Status};
    use crate::id::{ActionId, MeetingId, PupilId};
    use crate::meeting::MeetingType;
    use crate::merge::{ImportPlan, Problem};
    use crate::pupil::{SendStatus, YearGroup};
    use crate::record::{NewMeeting, NewPupil, Record};
    use chrono::{DateTime, NaiveDate, TimeZone, Utc};

    #[test]
    fn names_squash_alike_in_any_case_whatever_the_language() {
        for (a, b) in [
            ("İlker Yılmaz", "ilker yılmaz"),
            ("ŁUCJA", "łucja"),
            ("Straße", "STRAßE"),
            ("Ώρα", "ώρα"),
            ("Siân", "SIÂN"),
        ] {
            assert_eq!(super::squash(a), super::squash(b), "{a} / {b}");
        }
    }

    /// The file name every test imports from.
    pub(super) const SOURCE: &str = "sendlog-actions-2026-04-23.csv";

    pub(super) fn day(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, day).unwrap()
    }
    pub(super) fn today() -> NaiveDate {
        day(4, 23)
    }
    pub(super) fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 4, 23, 15, 4, 5).unwrap()
    }

    /// What the tests find in [`school`].
    pub(super) struct School {
        pub record: Record,
        /// Zoë Brontë, Year 5, EHC plan.
        pub zoe: PupilId,
        /// Two pupils called Sam Lee: Year 5 and Year 6.
        pub sam_5: PupilId,
        pub sam_6: PupilId,
        /// Zoë's annual review on 20 April.
        pub review: MeetingId,
        /// Agreed at the review, due 1 May: a referral, open.
        pub at_review: ActionId,
        /// A stand-alone item for Sam (Year 5), raised 2 March and due 1 April, in progress,
        /// escalated: overdue by 22 days.
        pub overdue: ActionId,
        /// Done: not on the tracker.
        pub done: ActionId,
    }

    /// Three pupils (two of one name), a meeting, and three actions in different states.
    pub(super) fn school() -> School {
        let mut record = Record::default();
        let earlier = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        let mut pupil = |name: &str, year_group, send_status| {
            let new = NewPupil {
                name: name.into(),
                year_group,
                send_status,
                annual_review: None,
            };
            record.add_pupil(new, earlier).unwrap().0
        };
        let zoe = pupil("Zoë Brontë", YearGroup::Year5, SendStatus::EhcPlan);
        let sam_5 = pupil("Sam Lee", YearGroup::Year5, SendStatus::SenSupport);
        let sam_6 = pupil("Sam Lee", YearGroup::Year6, SendStatus::Monitoring);
        let new = NewMeeting {
            pupil: zoe,
            date: day(4, 20),
            meeting_type: MeetingType::AnnualReview,
            attendees: vec!["Parent or carer".into()],
            summary: String::new(),
        };
        let review = record.start_meeting(new, earlier).unwrap().0;
        let draft = ActionDraft {
            pupil: Some(zoe),
            raised: Some(day(4, 20)),
            meeting: Some(review),
            item_type: Some(ItemType::Referral),
            decision: "Refer to speech and language".into(),
            next_step: "Send the referral form".into(),
            owner: "SENCO".into(),
            due: Some(day(5, 1)),
            ..ActionDraft::default()
        };
        let at_review = record.add_action(&draft, day(4, 20), earlier).unwrap().0;
        let draft = ActionDraft {
            pupil: Some(sam_5),
            raised: Some(day(3, 2)),
            next_step: "Call home about the reading plan".into(),
            owner: "Class teacher".into(),
            due: Some(day(4, 1)),
            status: Some(Status::InProgress),
            evidence: "Left a message".into(),
            next_review: Some(day(5, 15)),
            escalate: true,
            ..ActionDraft::default()
        };
        let overdue = record.add_action(&draft, day(3, 2), earlier).unwrap().0;
        let draft = ActionDraft {
            pupil: Some(sam_6),
            raised: Some(day(3, 2)),
            next_step: "Book the hearing test".into(),
            owner: "Parent".into(),
            due: Some(day(3, 20)),
            status: Some(Status::Done),
            ..ActionDraft::default()
        };
        let done = record.add_action(&draft, day(3, 2), earlier).unwrap().0;
        School {
            record,
            zoe,
            sam_5,
            sam_6,
            review,
            at_review,
            overdue,
            done,
        }
    }

    /// Opens `text` as a spreadsheet.
    pub(super) fn open(text: &str) -> Result<CsvImport, Problem> {
        CsvImport::open(SOURCE, text.as_bytes().to_vec())
    }

    /// What importing `text` into `record` would do.
    pub(super) fn plan(record: &Record, text: &str) -> ImportPlan {
        match open(text) {
            Ok(mut import) => import.plan(record, today(), now()),
            Err(problem) => ImportPlan::refused(record, SOURCE, problem),
        }
    }

    /// The plan's problems, one line each: "Row 3, Due: …".
    pub(super) fn problems(plan: &ImportPlan) -> Vec<String> {
        plan.problems.iter().map(Problem::to_string).collect()
    }

    #[test]
    fn the_school_the_tests_start_from_is_as_described() {
        let school = school();
        let record = &school.record;
        assert_eq!(record.pupils().len(), 3);
        assert_eq!(record.meeting(school.review).unwrap().pupil, school.zoe);
        let overdue = record.action(school.overdue).unwrap();
        assert_eq!(overdue.days_overdue(today()), Some(22));
        assert!(overdue.escalate);
        assert_eq!(
            record.action(school.at_review).unwrap().meeting,
            Some(school.review)
        );
        assert_eq!(record.action(school.done).unwrap().status, Status::Done);
        assert_eq!(record.pupil(school.sam_6).unwrap().name, "Sam Lee");
    }
}
