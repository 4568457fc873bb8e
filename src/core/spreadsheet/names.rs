//! The pupils a spreadsheet's rows name, found by name (and year group) in one look-up a row.

use crate::id::PupilId;
use crate::pupil::YearGroup;
use rustc_hash::FxHashMap as HashMap;

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
    /// Counts a pupil in: `name` already squashed.
    pub fn add(&mut self, name: String, year: YearGroup, id: PupilId) {
        let first = Found {
            count: 1,
            first: id,
        };
        let named = self.0.entry(name).or_default();
        match &mut named.all {
            Some(all) => all.count += 1,
            None => named.all = Some(first),
        }
        match named.by_year.iter_mut().find(|(y, _)| *y == year) {
            Some((_, found)) => found.count += 1,
            None => named.by_year.push((year, first)),
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

    #[test]
    fn pupils_are_counted_by_name_and_by_year_group() {
        let (a, b, c) = (PupilId::new(), PupilId::new(), PupilId::new());
        let mut names = Names::default();
        names.add("zoë".into(), YearGroup::Year5, a);
        names.add("zoë".into(), YearGroup::Year6, b);
        names.add("zoë".into(), YearGroup::Year5, c);
        let found = |count, first| Some(Found { count, first });
        assert_eq!(names.find("zoë", None), found(3, a));
        assert_eq!(names.find("zoë", Some(YearGroup::Year5)), found(2, a));
        assert_eq!(names.find("zoë", Some(YearGroup::Year6)), found(1, b));
        assert_eq!(names.find("zoë", Some(YearGroup::Year7)), None);
        assert_eq!(names.find("zoe", None), None);
    }
}
