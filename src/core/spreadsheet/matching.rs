//! A row's pupil and meeting: found by id, by name (and year group) or date and type, or added.

use super::cells::{labels, year_from_class, Value};
use super::columns::Column;
use super::plan::Rows;
use super::read::RowIn;
use super::squash;
use crate::id::{MeetingId, PupilId};
use crate::meeting::{Meeting, MeetingType};
use crate::merge::YearToChoose;
use crate::pupil::{Pupil, SendStatus, YearGroup};
use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;

#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) enum MeetingKey {
    Id(MeetingId),
    Held(PupilId, NaiveDate, MeetingType),
}

impl Rows<'_> {
    /// The row's pupil: by Pupil ID, else by name (a year group tells two of the same name
    /// apart); a pupil on neither this device nor earlier in the file is added.
    pub(super) fn pupil(&mut self, row: &RowIn) -> Option<PupilId> {
        let id = self
            .read(row, Column::PupilId)
            .ok()?
            .and_then(Value::pupil_id);
        if let Some(id) = id {
            if self.record.pupil(id).is_some() || self.new_pupils.contains_key(&id) {
                return Some(id);
            }
        }
        let name = row.filled(Column::Pupil);
        let year = self
            .read(row, Column::YearGroup)
            .ok()?
            .and_then(Value::year);
        let Some(name) = name else {
            self.problem(
                row,
                Column::Pupil,
                "is empty: say whose action this is.".into(),
            );
            return None;
        };
        if id.is_none() {
            match self.pupils_by_name.find(&squash(name), year) {
                None if year.is_some() => {
                    if let Some(id) = self.year_for_earlier_row(name, year) {
                        return Some(id);
                    }
                }
                None => {}
                Some(found) if found.count == 1 => return Some(found.first),
                Some(found) => {
                    let message = format!(
                        "there are {} pupils called {name}{}. Add the Pupil ID column (export \
                         the action log to see it) to say which.",
                        found.count,
                        if year.is_some() {
                            " in that year group"
                        } else {
                            ""
                        }
                    );
                    self.problem(row, Column::Pupil, message);
                    return None;
                }
            }
        }
        // A new pupil the file gives no year group is asked about once in the preview; until
        // one is chosen, nothing can be imported (Nursery holds the place).
        let given = year;
        let year = match year {
            Some(year) => year,
            None => {
                let key = squash(name);
                let class = row.filled(Column::ClassOrForm);
                let hint = class.and_then(year_from_class);
                let chosen = self.chosen_years.get(&key).copied();
                let from_class = (chosen.is_none() && hint.is_some())
                    .then(|| class.map(str::to_string))
                    .flatten();
                let chosen = chosen.or(hint);
                if self.asked_years.insert(key, ()).is_none() {
                    self.plan.years_to_choose.push(YearToChoose {
                        name: name.to_string(),
                        chosen,
                        from_class,
                    });
                }
                chosen.unwrap_or(YearGroup::Nursery)
            }
        };
        let send_status = match self
            .read(row, Column::SendStatus)
            .ok()?
            .and_then(Value::send)
        {
            Some(status) => status,
            None => {
                self.defaulted_send_status += 1;
                SendStatus::SenSupport
            }
        };
        let left_on = self.read(row, Column::LeftOn).ok()?.and_then(Value::date);
        let born = self.read(row, Column::Born).ok()?.and_then(Value::date);
        let id = id.unwrap_or_default();
        self.new_pupils.insert(id, self.plan.pupils.added.len());
        self.pupils_by_name.add(squash(name), given, id);
        self.plan.pupils.added.push(Pupil {
            id,
            name: name.to_string(),
            year_group: year,
            send_status,
            annual_review: None,
            updated_at: self.now,
            left_on,
            key_adults: Vec::new(),
            born,
        });
        Some(id)
    }

    /// A pupil this file added on an earlier row without a year group, now given one by a row
    /// with the same name: that pupil takes the year group (and is no longer asked about), so a
    /// name written first without and then with its year is one pupil, not two.
    fn year_for_earlier_row(&mut self, name: &str, year: Option<YearGroup>) -> Option<PupilId> {
        let year = year?;
        let key = squash(name);
        let asked = self
            .plan
            .years_to_choose
            .iter()
            .position(|asked| squash(&asked.name) == key)?;
        let found = self.pupils_by_name.find(&key, None)?;
        let at = *self.new_pupils.get(&found.first)?;
        self.plan.years_to_choose.remove(asked);
        self.plan.pupils.added[at].year_group = year;
        self.pupils_by_name.give_year(key, year, found.first);
        Some(found.first)
    }

    /// The row's meeting: `Some(None)` for a stand-alone item, `None` when the row is wrong.
    pub(super) fn meeting(&mut self, row: &RowIn, pupil: PupilId) -> Option<Option<MeetingId>> {
        let id = self
            .read(row, Column::MeetingId)
            .ok()?
            .and_then(Value::meeting_id);
        if let Some(id) = id {
            if let Some(meeting) = self.record.meeting(id) {
                if meeting.pupil != pupil {
                    self.problem(
                        row,
                        Column::MeetingId,
                        "that meeting was about another pupil.".into(),
                    );
                    return None;
                }
                return Some(Some(id));
            }
            if self.new_meetings.contains_key(&MeetingKey::Id(id)) {
                return Some(Some(id));
            }
        }
        // A school's log has one date: with a meeting type, it is the meeting's date.
        let kind = row.filled(Column::MeetingType);
        let date = match (row.filled(Column::MeetingDate), kind) {
            (None, None) => return Some(None),
            (Some(_), None) => {
                let message = format!(
                    "is empty, but the row has a meeting date. Write one of: {}.",
                    labels::<MeetingType>()
                );
                self.problem(row, Column::MeetingType, message);
                return None;
            }
            (Some(_), Some(_)) => self.value(row, Column::MeetingDate).and_then(Value::date)?,
            // The date raised is read (and a wrong one listed) with the row's other fields.
            (None, Some(_)) if row.filled(Column::DateRaised).is_some() => {
                row.read(Column::DateRaised)?.ok()?.date()?
            }
            (None, Some(_)) => {
                let column = if row.get(Column::MeetingDate).is_none()
                    && row.get(Column::DateRaised).is_some()
                {
                    Column::DateRaised
                } else {
                    Column::MeetingDate
                };
                self.problem(
                    row,
                    column,
                    "is empty, but the row has a meeting type: write the date of the meeting."
                        .into(),
                );
                return None;
            }
        };
        let kind = self.value(row, Column::MeetingType).and_then(Value::kind)?;
        let held = MeetingKey::Held(pupil, date, kind);
        if let Some(&(known, _)) = self.new_meetings.get(&held) {
            return Some(Some(known));
        }
        if id.is_none() {
            if let Some(&existing) = self.held.get(&held) {
                return Some(Some(existing));
            }
        }
        let id = id.unwrap_or_default();
        self.new_meetings.insert(held, (id, date));
        self.new_meetings.insert(MeetingKey::Id(id), (id, date));
        self.plan.meetings.added.push(Meeting {
            id,
            date,
            pupil,
            meeting_type: kind,
            attendees: Vec::new(),
            summary: String::new(),
            working_notes: String::new(),
            updated_at: self.now,
        });
        Some(Some(id))
    }
}

/// How many pupils go by a name, and the first of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Found {
    pub count: usize,
    pub first: PupilId,
}

/// The pupils of one name: all of them, and by year group.
#[derive(Default)]
struct Named {
    all: Option<Found>,
    /// At most one entry for each of the fifteen year groups.
    by_year: Vec<(YearGroup, Found)>,
}

/// Pupils by their name as the import compares names (squashed: any case, letters and digits
/// only). A file of 100,000 rows naming one pupil, or a school of many pupils of one name, costs
/// one look-up a row, never a pass over every pupil of that name.
#[derive(Default)]
pub(super) struct Names(HashMap<String, Named>);

impl Names {
    /// Counts a pupil in: `name` already squashed; `year` none for a new pupil the file has
    /// given no year group yet.
    pub fn add(&mut self, name: String, year: Option<YearGroup>, id: PupilId) {
        let first = Found {
            count: 1,
            first: id,
        };
        let named = self.0.entry(name.clone()).or_default();
        match &mut named.all {
            Some(all) => all.count += 1,
            None => named.all = Some(first),
        }
        if let Some(year) = year {
            self.give_year(name, year, id);
        }
    }

    /// Counts a pupil already counted in (by name) in a year group too.
    pub fn give_year(&mut self, name: String, year: YearGroup, id: PupilId) {
        let named = self.0.entry(name).or_default();
        match named.by_year.iter_mut().find(|(y, _)| *y == year) {
            Some((_, found)) => found.count += 1,
            None => named.by_year.push((
                year,
                Found {
                    count: 1,
                    first: id,
                },
            )),
        }
    }

    /// The pupils of a (squashed) name, in one year group if it is given.
    pub fn find(&self, name: &str, year: Option<YearGroup>) -> Option<Found> {
        let named = self.0.get(name)?;
        match year {
            None => named.all,
            Some(year) => named
                .by_year
                .iter()
                .find(|(y, _)| *y == year)
                .map(|&(_, found)| found),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::ImportPlan;
    use crate::spreadsheet::tests::{day, plan, problems, school, School};

    /// What importing one row under `header` into the school would do.
    fn one_row(school: &School, header: &str, row: &str) -> ImportPlan {
        plan(
            &school.record,
            &format!("{header},Action,Owner,Due\n{row},Ring home,SENCO,2026-05-01\n"),
        )
    }

    fn pupil_of(plan: &ImportPlan) -> PupilId {
        assert_eq!(problems(plan), Vec::<String>::new());
        plan.actions.added[0].pupil
    }

    #[test]
    fn a_pupil_is_found_by_name_in_any_case_and_spacing() {
        let school = school();
        for name in ["Zoë Brontë", "ZOË  BRONTË", " zoë brontë "] {
            let plan = one_row(&school, "Pupil", name);
            assert_eq!(pupil_of(&plan), school.zoe, "{name}");
            assert!(plan.pupils.added.is_empty());
        }
        // A year group that is not the pupil's is another pupil, not on this device yet.
        let plan = one_row(&school, "Pupil,Year group", "Zoë Brontë,Year 6");
        assert_ne!(pupil_of(&plan), school.zoe);
        assert_eq!(plan.pupils.added.len(), 1);
    }

    #[test]
    fn a_new_pupil_who_has_left_the_school_is_added_with_the_day_they_left() {
        let school = school();
        let plan = one_row(
            &school,
            "Pupil,Year group,Leaving date",
            "Aoife O'Neil,Year 11,22/07/2026",
        );
        assert_eq!(problems(&plan), Vec::<String>::new());
        assert_eq!(
            plan.pupils.added[0].left_on,
            chrono::NaiveDate::from_ymd_opt(2026, 7, 22)
        );
        let plan = one_row(&school, "Pupil,Year group", "Aoife O'Neil,Year 11");
        assert_eq!(plan.pupils.added[0].left_on, None);
        let plan = one_row(
            &school,
            "Pupil,Year group,Left the school on",
            "Aoife O'Neil,Year 11,0001-07-22",
        );
        assert_eq!(plan.pupils.added.len(), 0);
        assert!(
            problems(&plan)[0].starts_with("Row 2, Left the school on:"),
            "{:?}",
            problems(&plan)
        );
    }

    #[test]
    fn two_pupils_of_one_name_are_told_apart_by_year_group_or_pupil_id() {
        let school = school();
        let plan = one_row(&school, "Pupil", "Sam Lee");
        assert_eq!(
            problems(&plan),
            [
                "Row 2, Pupil: there are 2 pupils called Sam Lee. Add the Pupil ID column (export \
              the action log to see it) to say which."
            ]
        );
        let plan = one_row(&school, "Pupil,Year group", "sam lee,Y6");
        assert_eq!(pupil_of(&plan), school.sam_6);
        let plan = one_row(&school, "Pupil,Year", "Sam Lee,5");
        assert_eq!(pupil_of(&plan), school.sam_5);
        let id = school.sam_6;
        let plan = one_row(&school, "Pupil,Pupil ID", &format!("Sam Lee,{id}"));
        assert_eq!(pupil_of(&plan), school.sam_6);
        let plan = one_row(&school, "Pupil ID", &id.to_string());
        assert_eq!(pupil_of(&plan), school.sam_6, "an id needs no name");
        let plan = one_row(&school, "Pupil,Pupil ID", "Sam Lee,P-12");
        assert_eq!(
            problems(&plan),
            ["Row 2, Pupil ID: \"P-12\" is not an id SEND Log wrote. Clear the cell to find the \
              pupil by name."]
        );
    }

    #[test]
    fn a_pupil_not_on_this_device_is_added_once_with_their_year_group() {
        let school = school();
        let text = "Pupil,Year group,SEND status,Action,Owner,Due\n\
                    Aoife O'Neil,Year 3,EHCP,Ring home,SENCO,2026-05-01\n\
                    aoife o'neil,Year 3,,Write up,SENCO,2026-05-02\n";
        let plan = plan(&school.record, text);
        assert_eq!(problems(&plan), Vec::<String>::new());
        let [added] = &plan.pupils.added[..] else {
            panic!("{:?}", plan.pupils.added)
        };
        assert_eq!(added.name, "Aoife O'Neil");
        assert_eq!(added.year_group, YearGroup::Year3);
        assert_eq!(added.send_status, SendStatus::EhcPlan);
        let pupils: Vec<PupilId> = plan.actions.added.iter().map(|a| a.pupil).collect();
        assert_eq!(pupils, [added.id, added.id]);
        // Without a SEND status, SEN support, and the preview says so.
        let plan = one_row(&school, "Pupil,Year group", "Aoife O'Neil,Year 3");
        assert_eq!(plan.pupils.added[0].send_status, SendStatus::SenSupport);
        assert!(plan
            .notes
            .iter()
            .any(|n| n.starts_with("New pupils without a SEND status in the file (1)")));
        // Without a year group, the preview asks for one.
        let plan = one_row(&school, "Pupil", "Aoife O'Neil");
        assert_eq!(plan.years_to_choose[0].name, "Aoife O'Neil");
        assert!(problems(&plan).is_empty() && !plan.can_apply());
        let plan = one_row(&school, "Pupil,Year group", "Aoife O'Neil,Year 14");
        assert!(
            problems(&plan)[0].starts_with("Row 2, Year group: \"Year 14\" is not a year group.")
        );
        let plan = one_row(
            &school,
            "Pupil,Year group,SEND status",
            "Aoife O'Neil,Year 3,Statement",
        );
        assert!(problems(&plan)[0]
            .starts_with("Row 2, SEND status: \"Statement\" is not a SEND status."));
        let plan = one_row(&school, "Pupil", "");
        assert_eq!(
            problems(&plan),
            ["Row 2, Pupil: is empty: say whose action this is."]
        );
    }

    #[test]
    fn rows_of_one_date_and_type_make_one_meeting_and_find_one_held_here() {
        let school = school();
        let text = "Pupil,Meeting date,Meeting type,Action,Owner,Due\n\
                    Zoë Brontë,20/04/2026,Annual review,Ring home,SENCO,2026-05-01\n\
                    Zoë Brontë,2026-04-22,Parent conversation,Ring home,SENCO,2026-05-01\n\
                    Zoë Brontë,22 Apr 2026,parent conversation,Write up,SENCO,2026-05-02\n\
                    Zoë Brontë,,,Book the room,SENCO,2026-05-02\n";
        let plan = plan(&school.record, text);
        assert_eq!(problems(&plan), Vec::<String>::new());
        let [added] = &plan.meetings.added[..] else {
            panic!("{:?}", plan.meetings.added)
        };
        assert_eq!(
            (added.date, added.meeting_type),
            (day(4, 22), MeetingType::ParentConversation)
        );
        assert_eq!(added.pupil, school.zoe);
        let meetings: Vec<Option<MeetingId>> =
            plan.actions.added.iter().map(|a| a.meeting).collect();
        assert_eq!(
            meetings,
            [Some(school.review), Some(added.id), Some(added.id), None]
        );
        // An action at a meeting was raised on its date, unless the row says otherwise.
        assert_eq!(plan.actions.added[1].raised, day(4, 22));
    }

    #[test]
    fn a_meeting_is_named_by_its_date_and_type_together_or_by_an_id_of_the_same_pupil() {
        let school = school();
        let header = "Pupil,Year group,Meeting date,Meeting type";
        let plan = one_row(&school, header, "Sam Lee,Year 5,2026-04-20,");
        assert!(problems(&plan)[0]
            .starts_with("Row 2, Meeting type: is empty, but the row has a meeting date."));
        let plan = one_row(&school, header, "Sam Lee,Year 5,,Annual review");
        assert_eq!(
            problems(&plan),
            ["Row 2, Meeting date: is empty, but the row has a meeting type: write the date of the \
              meeting."]
        );
        let plan = one_row(&school, header, "Sam Lee,Year 5,2026-04-20,Tea party");
        assert!(problems(&plan)[0]
            .starts_with("Row 2, Meeting type: \"Tea party\" is not a meeting type."));
        let plan = one_row(&school, header, "Sam Lee,Year 5,20/4/26,Annual review");
        assert!(problems(&plan)[0].starts_with("Row 2, Meeting date: "));
        let review = school.review;
        let plan = one_row(
            &school,
            "Pupil,Year group,Meeting ID",
            &format!("Sam Lee,Year 5,{review}"),
        );
        assert_eq!(
            problems(&plan),
            ["Row 2, Meeting ID: that meeting was about another pupil."]
        );
        let plan = one_row(&school, "Pupil,Meeting ID", &format!("Zoë Brontë,{review}"));
        assert_eq!(plan.actions.added[0].meeting, Some(review));
        assert!(plan.meetings.added.is_empty());
    }

    #[test]
    fn pupils_are_counted_by_name_and_by_year_group() {
        let (a, b, c) = (PupilId::new(), PupilId::new(), PupilId::new());
        let mut names = Names::default();
        names.add("zoë".into(), Some(YearGroup::Year5), a);
        names.add("zoë".into(), Some(YearGroup::Year6), b);
        names.add("zoë".into(), Some(YearGroup::Year5), c);
        let found = |count, first| Some(Found { count, first });
        assert_eq!(names.find("zoë", None), found(3, a));
        assert_eq!(names.find("zoë", Some(YearGroup::Year5)), found(2, a));
        assert_eq!(names.find("zoë", Some(YearGroup::Year6)), found(1, b));
        assert_eq!(names.find("zoë", Some(YearGroup::Year7)), None);
        assert_eq!(names.find("zoe", None), None);
    }
}
