//! Tests of files laid out as schools lay out their own trackers and logs, before SEND Log:
//! the layouts the guidance recommends, and the words schools use for statuses.

use crate::action::{ItemType, Status};
use crate::meeting::MeetingType;
use crate::spreadsheet::tests::{day, plan, problems, school, today};

#[test]
fn a_tracker_laid_out_as_the_guidance_recommends_is_read_with_its_statuses() {
    let school = school();
    let text = "Pupil name,Year group,Item type,Task,Owner,Due date,Status,Evidence,Next review\n\
                Zoë Brontë,Y5,Review,Check the reading log,Class teacher,01/05/2026,Not started,,\n\
                Zoë Brontë,Year 5,Referral,Send the EP referral,SENCO,24/04/2026,Complete,Sent 20 Apr,\n\
                Sam Lee,Year 6,Follow-up,Ring home about the visit,Form tutor,30/04/2026,On hold,,15/05/2026\n";
    let plan = plan(&school.record, text);
    assert_eq!(problems(&plan), Vec::<String>::new());
    let got: Vec<_> = plan
        .actions
        .added
        .iter()
        .map(|a| (a.pupil, &*a.next_step, &*a.owner, a.status, a.item_type))
        .collect();
    assert_eq!(
        got,
        [
            (
                school.zoe,
                "Check the reading log",
                "Class teacher",
                Status::Open,
                ItemType::Review
            ),
            (
                school.zoe,
                "Send the EP referral",
                "SENCO",
                Status::Done,
                ItemType::Referral
            ),
            (
                school.sam_6,
                "Ring home about the visit",
                "Form tutor",
                Status::Waiting,
                ItemType::FollowUp
            ),
        ]
    );
    assert_eq!(plan.actions.added[1].evidence, "Sent 20 Apr");
    assert_eq!(plan.actions.added[2].next_review, Some(day(5, 15)));
}

/// The action log the guidance recommends: one date, the meeting's type beside it.
const ACTION_LOG: &str = "Pupil name,Date,Meeting or event type,Issue or decision,Action agreed,\
                          Owner,Deadline or review date,Status,Evidence or note\n";

#[test]
fn an_action_log_laid_out_as_the_guidance_recommends_raises_each_action_at_its_meeting() {
    let school = school();
    let text = format!(
        "{ACTION_LOG}\
         Zoë Brontë,22/04/2026,Parent conversation,Mum worried about reading,Send the reading plan home,SENCO,01/05/2026,Not started,\n\
         zoë brontë,22 Apr 2026,parent conversation,,Book a follow-up call,SENCO,08/05/2026,Overdue,\n\
         Zoë Brontë,20/04/2026,Annual review,,Send the referral form again,SENCO,02/05/2026,Started,Form on file\n\
         Sam Lee,10/04/2026,,Reading is behind,Check the reading log,Class teacher,2026-04-30,Complete,\n\
         Zoë Brontë,,,,Ring the clinic,SENCO,2026-05-03,Overdue,\n"
    );
    let plan = plan_of(&school, &text);
    // Two pupils called Sam Lee: the log names one by a year group it does not have.
    assert_eq!(
        problems(&plan),
        ["Row 5, Pupil name: there are 2 pupils called Sam Lee. Add the Pupil ID column (export \
          the action log to see it) to say which."]
    );
    let text = text.replace("Sam Lee,", "Zoë Brontë,");
    let plan = plan_of(&school, &text);
    assert_eq!(problems(&plan), Vec::<String>::new());
    // One meeting for the two rows of the same day and type; the review already here is found.
    let [meeting] = &plan.meetings.added[..] else {
        panic!("{:?}", plan.meetings.added)
    };
    assert_eq!(
        (meeting.pupil, meeting.date, meeting.meeting_type),
        (school.zoe, day(4, 22), MeetingType::ParentConversation)
    );
    let got: Vec<_> = plan
        .actions
        .added
        .iter()
        .map(|a| (a.meeting, a.raised, a.status))
        .collect();
    assert_eq!(
        got,
        [
            (Some(meeting.id), day(4, 22), Status::Open),
            (Some(meeting.id), day(4, 22), Status::Open),
            (Some(school.review), day(4, 20), Status::InProgress),
            (None, day(4, 10), Status::Done),
            (None, today(), Status::Open),
        ]
    );
    assert_eq!(plan.actions.added[0].decision, "Mum worried about reading");
    assert_eq!(plan.actions.added[2].evidence, "Form on file");
    assert_eq!(
        plan.notes,
        [
            "1 row has no date raised, so its action is dated today (23 Apr 2026).",
            "2 rows say Overdue. SEND Log works out what is overdue from the due date, so a \
             new action is added as Open (and one already here keeps its status)."
        ]
    );
    // The same notes for two rows without a date and one that says Overdue.
    let text = text
        .replace("Zoë Brontë,10/04/2026,", "Zoë Brontë,,")
        .replace(",08/05/2026,Overdue,", ",08/05/2026,Not started,");
    assert_eq!(
        plan_of(&school, &text).notes,
        [
            "2 rows have no date raised, so their actions are dated today (23 Apr 2026).",
            "1 row says Overdue. SEND Log works out what is overdue from the due date, so a \
             new action is added as Open (and one already here keeps its status)."
        ]
    );
}

#[test]
fn an_overdue_status_leaves_an_action_here_as_it_is() {
    let school = school();
    let id = school.overdue;
    let text = format!("Action ID,Action,Status\n{id},Call home about the reading plan,Overdue\n");
    let plan = plan_of(&school, &text);
    assert_eq!(problems(&plan), Vec::<String>::new());
    assert_eq!(plan.actions.unchanged, 1);
}

#[test]
fn a_meeting_type_without_any_date_names_the_date_column_the_file_has() {
    let school = school();
    let text = format!("{ACTION_LOG}Zoë Brontë,,Annual review,,Ring home,SENCO,2026-05-01,,\n");
    assert_eq!(
        problems(&plan_of(&school, &text)),
        ["Row 2, Date: is empty, but the row has a meeting type: write the date of the meeting."]
    );
    let text =
        format!("{ACTION_LOG}Zoë Brontë,31/04/2026,Annual review,,Ring home,SENCO,2026-05-01,,\n");
    let found = problems(&plan_of(&school, &text));
    assert_eq!(found.len(), 1, "listed once: {found:?}");
    assert!(
        found[0].starts_with("Row 2, Date: \"31/04/2026\""),
        "{found:?}"
    );
}

fn plan_of(school: &crate::spreadsheet::tests::School, text: &str) -> crate::merge::ImportPlan {
    plan(&school.record, text)
}

#[test]
fn excel_s_plain_csv_is_read_as_windows_1252_and_the_preview_shows_the_names_read() {
    let school = school();
    let utf8 = "Pupil name,Year group,Task,Owner,Due date\r\n\
                Sam Lee,Year 5,Ring home,SENCO,01/05/2026\r\n\
                Zoë Brontë,Year 5,Send the “reading plan” home,SENCO,01/05/2026\r\n\
                Siân Jones,Year 3,Book the room – the big one,SENCO,01/05/2026\r\n\
                Siân Jones,Year 3,Write up,SENCO,01/05/2026\r\n";
    let bytes = crate::spreadsheet::to_windows_1252(utf8).unwrap();
    let mut import = crate::spreadsheet::CsvImport::open("excel.csv", bytes).unwrap();
    let plan = import.plan(&school.record, today(), crate::spreadsheet::tests::now());
    assert_eq!(problems(&plan), Vec::<String>::new());
    assert_eq!(
        plan.notes[0],
        "Read as Windows-1252 (Excel's CSV): check the names look right: Zoë Brontë, Siân Jones, \
         Sam Lee…"
    );
    let steps: Vec<_> = plan.actions.added.iter().map(|a| &*a.next_step).collect();
    assert_eq!(
        steps,
        [
            "Ring home",
            "Send the “reading plan” home",
            "Book the room – the big one",
            "Write up"
        ]
    );
    assert_eq!(plan.pupils.added[0].name, "Siân Jones");

    // Said before the columns are matched too: here nothing is recognised yet.
    let unmatched = utf8
        .replace("Pupil name", "Kid")
        .replace("Owner", "Who does it");
    let bytes = crate::spreadsheet::to_windows_1252(&unmatched).unwrap();
    let mut import = crate::spreadsheet::CsvImport::open("excel.csv", bytes).unwrap();
    let plan = import.plan(&school.record, today(), crate::spreadsheet::tests::now());
    assert!(plan.problems[0].is_with_file(), "{:?}", plan.problems);
    assert_eq!(
        plan.notes[0],
        "Read as Windows-1252 (Excel's CSV): check the first values shown in the column \
         matching look right."
    );
}
