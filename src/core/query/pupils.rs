//! The list of pupils: every pupil, found by name, narrowed by year group, SEND status and
//! whether they are still at the school, each with the counts of their live and overdue actions.

use crate::id::PupilId;
use crate::pupil::{SendStatus, YearGroup};
use crate::record::Record;
use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;

/// What the list of pupils is narrowed to; the default is every pupil.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PupilFilter {
    /// Part of a name, in any case ([`super::folded`]): "zoe" does not find "Zoë" (accents are letters here, as a
    /// school's register spells them), "zoë" and "ZOË" do.
    pub name: String,
    pub year_group: Option<YearGroup>,
    pub send_status: Option<SendStatus>,
    /// Pupils who have left the school too (by default only those still here are listed).
    pub with_leavers: bool,
}

/// One pupil as the list shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PupilLine {
    pub id: PupilId,
    pub name: String,
    pub year_group: YearGroup,
    pub send_status: SendStatus,
    pub left_on: Option<NaiveDate>,
    /// Open, in progress or waiting.
    pub live: usize,
    /// Live and past their due date.
    pub overdue: usize,
}

/// The pupils `filter` keeps, by name (then year group), with their counts as of `today`. One
/// pass over the actions, whatever the number of pupils.
pub fn pupils(record: &Record, filter: &PupilFilter, today: NaiveDate) -> Vec<PupilLine> {
    let mut counts: HashMap<PupilId, (usize, usize)> = HashMap::default();
    for action in record.actions().iter().filter(|a| a.status.is_live()) {
        let count = counts.entry(action.pupil).or_default();
        count.0 += 1;
        count.1 += usize::from(action.is_overdue(today));
    }
    let name = super::folded(filter.name.trim());
    let mut lines: Vec<PupilLine> = record
        .pupils()
        .iter()
        .filter(|p| filter.with_leavers || p.left_on.is_none())
        .filter(|p| filter.year_group.is_none_or(|y| p.year_group == y))
        .filter(|p| filter.send_status.is_none_or(|s| p.send_status == s))
        .filter(|p| name.is_empty() || super::folded(&p.name).contains(&name))
        .map(|p| {
            let (live, overdue) = counts.get(&p.id).copied().unwrap_or_default();
            PupilLine {
                id: p.id,
                name: p.name.clone(),
                year_group: p.year_group,
                send_status: p.send_status,
                left_on: p.left_on,
                live,
                overdue,
            }
        })
        .collect();
    lines.sort_by_cached_key(|l| (l.name.to_lowercase(), l.year_group));
    lines
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::action::Status;
    use crate::record::PupilEdit;

    #[test]
    fn every_pupil_is_listed_by_name_with_their_live_and_overdue_counts() {
        let mut s = school();
        let (zoe, ben) = (s.zoe, s.ben);
        act(
            &mut s,
            zoe,
            "Send the reading record",
            "Parent",
            10,
            Status::Open,
        );
        act(
            &mut s,
            zoe,
            "Book the review",
            "SENCO",
            30,
            Status::InProgress,
        );
        act(&mut s, zoe, "Share the report", "SENCO", 5, Status::Done);
        let all = pupils(&s.record, &PupilFilter::default(), today());
        let shown: Vec<_> = all
            .iter()
            .map(|l| (l.name.as_str(), l.live, l.overdue))
            .collect();
        assert_eq!(shown, [("Ben O'Neil", 0, 0), ("Zoë Brown", 2, 1)]);
        assert_eq!(all[0].id, ben, "a pupil with no live actions is listed too");

        let find = |name: &str| {
            let filter = PupilFilter {
                name: name.into(),
                ..PupilFilter::default()
            };
            pupils(&s.record, &filter, today())
                .into_iter()
                .map(|l| l.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(find(" ZOË "), ["Zoë Brown"]);
        assert_eq!(find("o'neil"), ["Ben O'Neil"]);
        assert!(find("Nobody").is_empty());

        let year_9 = PupilFilter {
            year_group: Some(YearGroup::Year9),
            ..PupilFilter::default()
        };
        assert_eq!(pupils(&s.record, &year_9, today())[0].id, ben);
        let with_plans = PupilFilter {
            send_status: Some(SendStatus::EhcPlan),
            ..PupilFilter::default()
        };
        assert!(pupils(&s.record, &with_plans, today()).is_empty());
    }

    #[test]
    fn a_pupil_who_has_left_is_listed_only_when_asked_for() {
        let mut s = school();
        let left = NaiveDate::from_ymd_opt(2026, 4, 1);
        s.record
            .edit_pupil(s.ben, PupilEdit::LeftOn(left), at(2))
            .unwrap();
        let here = pupils(&s.record, &PupilFilter::default(), today());
        assert_eq!(here.len(), 1);
        assert_eq!(here[0].id, s.zoe);
        let everyone = PupilFilter {
            with_leavers: true,
            ..PupilFilter::default()
        };
        let all = pupils(&s.record, &everyone, today());
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].left_on, left);
    }
}
