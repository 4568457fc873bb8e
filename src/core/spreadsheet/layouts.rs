//! Tests of files laid out as schools lay out their own trackers and logs, before SEND Log:
//! the layouts the guidance recommends, and the words schools use for statuses.

use crate::action::{ItemType, Status};
use crate::spreadsheet::tests::{day, plan, problems, school};

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
