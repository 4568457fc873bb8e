//! What a person chooses in the preview of a spreadsheet, where the file does not say: the
//! year group of each new pupil it gives none, and which field each column fills. The import keeps the choices and is planned again.

use super::matched::Target;
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
    fn a_file_with_no_year_group_column_asks_too() {
        let school = school();
        let mut import =
            open("Pupil,Action,Owner,Due\nAoife O'Neil,Ring home,SENCO,2026-05-01\n").unwrap();
        let plan = import.plan(&school.record, today(), now());
        assert_eq!(plan.years_to_choose.len(), 1);
        assert!(plan.problems.is_empty());
    }
}
