//! What a person chooses in the preview of a spreadsheet, where the file does not say: the
//! year group of each new pupil it gives none, which field each column fills, and what a value
//! SEND Log does not know means. The import keeps the choices and is planned again.

use super::columns::Column;
use super::matched::Target;
use super::plan::choices_of;
use super::read::CsvImport;
use super::squash;
use crate::pupil::YearGroup;

/// A choice made in the preview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportChoice {
    /// The year group of a new pupil (by name, as the plan lists them), or none again.
    YearGroup {
        name: String,
        year: Option<YearGroup>,
    },
    /// The same year group for every new pupil the file gives none.
    EveryYearGroup(YearGroup),
    /// What the `at`th column of the file fills.
    Column { at: usize, target: Target },
    /// What a value SEND Log does not know is read as (a label of the column's choices), or
    /// none again.
    Value {
        /// The field's header, as [`crate::merge::ValueToChoose::field`].
        field: String,
        text: String,
        label: Option<String>,
    },
}

impl CsvImport {
    /// Takes a choice; the next [`CsvImport::plan`] follows it.
    pub fn choose(&mut self, choice: ImportChoice) {
        match choice {
            ImportChoice::YearGroup { name, year } => {
                let key = squash(&name);
                match year {
                    Some(year) => self.chosen_years.insert(key, year),
                    None => self.chosen_years.remove(&key),
                };
            }
            ImportChoice::EveryYearGroup(year) => {
                for key in &self.asked_years {
                    self.chosen_years.insert(key.clone(), year);
                }
            }
            ImportChoice::Column { at, target } => self.choose_column(at, target),
            ImportChoice::Value { field, text, label } => {
                let Some(column) = Column::ALL.into_iter().find(|c| c.header() == field) else {
                    return;
                };
                let key = (column, squash(&text));
                let chosen = choices_of(column)
                    .unwrap_or_default()
                    .into_iter()
                    .find(|&l| Some(l) == label.as_deref());
                match chosen {
                    Some(label) => self.chosen_values.insert(key, label),
                    None => self.chosen_values.remove(&key),
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pupil::YearGroup;
    use crate::spreadsheet::tests::{now, open, problems, school, today};

    #[test]
    fn new_pupils_without_a_year_group_are_listed_once_and_wait_for_one() {
        let school = school();
        let text = "Pupil,Year group,Action,Owner,Due\n\
                    Aoife O'Neil,,Ring home,SENCO,2026-05-01\n\
                    AOIFE O'NEIL,,Write up,SENCO,2026-05-02\n\
                    Dafydd ap Gwilym,,Ring home,SENCO,2026-05-01\n\
                    Zoë Brontë,,Ring home,SENCO,2026-05-01\n\
                    Łucja Kowalska,Year 2,Ring home,SENCO,2026-05-01\n";
        let mut import = open(text).unwrap();
        let plan = import.plan(&school.record, today(), now());
        assert_eq!(problems(&plan), Vec::<String>::new());
        let listed: Vec<_> = plan
            .years_to_choose
            .iter()
            .map(|y| (&*y.name, y.chosen))
            .collect();
        assert_eq!(listed, [("Aoife O'Neil", None), ("Dafydd ap Gwilym", None)]);
        assert!(!plan.can_apply(), "nothing is imported until each has one");
        assert_eq!(plan.pupils.added.len(), 3);
        assert_eq!(
            plan.actions.added[0].pupil, plan.actions.added[1].pupil,
            "one Aoife"
        );

        import.choose(ImportChoice::YearGroup {
            name: "aoife o'neil".into(),
            year: Some(YearGroup::Year4),
        });
        let plan = import.plan(&school.record, today(), now());
        assert_eq!(plan.years_to_choose[0].chosen, Some(YearGroup::Year4));
        assert!(!plan.can_apply());
        import.choose(ImportChoice::EveryYearGroup(YearGroup::Reception));
        let plan = import.plan(&school.record, today(), now());
        assert!(plan.can_apply());
        let years: Vec<_> = plan
            .pupils
            .added
            .iter()
            .map(|p| (&*p.name, p.year_group))
            .collect();
        assert_eq!(
            years,
            [
                ("Aoife O'Neil", YearGroup::Reception),
                ("Dafydd ap Gwilym", YearGroup::Reception),
                ("Łucja Kowalska", YearGroup::Year2),
            ]
        );
        import.choose(ImportChoice::YearGroup {
            name: "Dafydd ap Gwilym".into(),
            year: None,
        });
        assert!(!import.plan(&school.record, today(), now()).can_apply());
    }

    #[test]
    fn a_name_written_first_without_then_with_its_year_group_is_one_pupil() {
        let school = school();
        let text = "Pupil,Year group,Action,Owner,Due\n\
                    Siân Llewelyn,,Ring home,SENCO,2026-05-01\n\
                    SIÂN LLEWELYN,Yr 4,Write up,SENCO,2026-05-02\n\
                    Siân Llewelyn,,Send the plan,SENCO,2026-05-03\n";
        let mut import = open(text).unwrap();
        let plan = import.plan(&school.record, today(), now());
        assert_eq!(problems(&plan), Vec::<String>::new());
        assert!(plan.years_to_choose.is_empty(), "the file gave her year");
        let pupils: Vec<_> = plan
            .pupils
            .added
            .iter()
            .map(|p| (&*p.name, p.year_group))
            .collect();
        assert_eq!(pupils, [("Siân Llewelyn", YearGroup::Year4)]);
        let id = plan.pupils.added[0].id;
        assert!(plan.actions.added.iter().all(|a| a.pupil == id));
        assert!(plan.can_apply());
    }

    #[test]
    fn a_class_column_suggests_new_pupils_year_groups_for_the_person_to_check() {
        let school = school();
        let text = "Pupil,Class,Action,Owner,Due\n\
                    Gwen Morgan,4W,Ring home,SENCO,2026-05-01\n\
                    Kostas Papadopoulos,Oak,Ring home,SENCO,2026-05-01\n";
        let mut import = open(text).unwrap();
        let plan = import.plan(&school.record, today(), now());
        assert_eq!(problems(&plan), Vec::<String>::new());
        let listed: Vec<_> = plan
            .years_to_choose
            .iter()
            .map(|y| (&*y.name, y.chosen, y.from_class.as_deref()))
            .collect();
        assert_eq!(
            listed,
            [
                ("Gwen Morgan", Some(YearGroup::Year4), Some("4W")),
                ("Kostas Papadopoulos", None, None)
            ]
        );
        assert!(
            !plan.can_apply(),
            "Oak says nothing: Kostas needs a year group"
        );
        import.choose(ImportChoice::YearGroup {
            name: "Gwen Morgan".into(),
            year: Some(YearGroup::Year5),
        });
        import.choose(ImportChoice::YearGroup {
            name: "Kostas Papadopoulos".into(),
            year: Some(YearGroup::Year1),
        });
        let plan = import.plan(&school.record, today(), now());
        assert!(plan.can_apply());
        assert_eq!(
            plan.years_to_choose[0].from_class, None,
            "chosen, not guessed"
        );
        let years: Vec<_> = plan.pupils.added.iter().map(|p| p.year_group).collect();
        assert_eq!(years, [YearGroup::Year5, YearGroup::Year1]);
    }

    #[test]
    fn a_value_send_log_does_not_know_is_chosen_once_for_every_row_that_has_it() {
        let school = school();
        let text = "Pupil,Year group,Action,Owner,Due,RAG,Kind\n\
                    Zoë Brontë,Year 5,Ring home,SENCO,2026-05-01,Amber,Phone call\n\
                    Zoë Brontë,Year 5,Write up,SENCO,2026-05-02,Green,Referral\n\
                    Zoë Brontë,Year 5,Book room,SENCO,2026-05-03,AMBER,phone  call\n";
        let mut import = open(text).unwrap();
        for (at, target) in [(5, "Status"), (6, "Item type")] {
            import.choose(ImportChoice::Column {
                at,
                target: Target::from_code(target).unwrap(),
            });
        }
        let plan = import.plan(&school.record, today(), now());
        assert_eq!(problems(&plan), Vec::<String>::new());
        let asked: Vec<_> = plan
            .values_to_choose
            .iter()
            .map(|v| (&*v.header, &*v.text, &v.rows[..], v.count, v.chosen))
            .collect();
        assert_eq!(
            asked,
            [
                ("RAG", "Amber", &[2, 4][..], 2, None),
                ("Kind", "Phone call", &[2, 4], 2, None),
                ("RAG", "Green", &[3], 1, None),
            ]
        );
        assert!(plan.values_to_choose[0].choices.contains(&"In progress"));
        assert!(
            !plan.can_apply(),
            "nothing is imported until each has a choice"
        );
        for (field, text, label) in [
            ("Status", "amber", "In progress"),
            ("Status", "Green", "Done"),
            ("Item type", "Phone call", "Follow-up"),
        ] {
            import.choose(ImportChoice::Value {
                field: field.into(),
                text: text.into(),
                label: Some(label.into()),
            });
        }
        let plan = import.plan(&school.record, today(), now());
        assert!(plan.can_apply());
        let read: Vec<_> = plan
            .actions
            .added
            .iter()
            .map(|a| (a.status, a.item_type))
            .collect();
        use crate::action::{ItemType, Status};
        assert_eq!(
            read,
            [
                (Status::InProgress, ItemType::FollowUp),
                (Status::Done, ItemType::Referral),
                (Status::InProgress, ItemType::FollowUp),
            ]
        );
        // A label that is not one of the choices is no choice.
        import.choose(ImportChoice::Value {
            field: "Status".into(),
            text: "Green".into(),
            label: Some("Sort of".into()),
        });
        assert!(!import.plan(&school.record, today(), now()).can_apply());
    }

    #[test]
    fn a_file_with_no_year_group_column_asks_too() {
        let school = school();
        let mut import =
            open("Pupil,Action,Owner,Due\nAoife O'Neil,Ring home,SENCO,2026-05-01\n").unwrap();
        let plan = import.plan(&school.record, today(), now());
        assert_eq!(plan.years_to_choose.len(), 1);
        assert!(plan.problems.is_empty());
    }
}
