//! A pupil on the SEND register.

use super::choice::choice_enum;
use super::id::PupilId;
use super::key_adults::KeyAdult;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

choice_enum!(
    /// School year, Nursery to Year 13.
    YearGroup {
        Nursery => ("nursery", "Nursery"),
        Reception => ("reception", "Reception"),
        Year1 => ("year_1", "Year 1"),
        Year2 => ("year_2", "Year 2"),
        Year3 => ("year_3", "Year 3"),
        Year4 => ("year_4", "Year 4"),
        Year5 => ("year_5", "Year 5"),
        Year6 => ("year_6", "Year 6"),
        Year7 => ("year_7", "Year 7"),
        Year8 => ("year_8", "Year 8"),
        Year9 => ("year_9", "Year 9"),
        Year10 => ("year_10", "Year 10"),
        Year11 => ("year_11", "Year 11"),
        Year12 => ("year_12", "Year 12"),
        Year13 => ("year_13", "Year 13"),
    }
);

choice_enum!(
    /// Where the pupil is on the SEND register.
    SendStatus {
        SenSupport => ("sen_support", "SEN support"),
        EhcPlan => ("ehc_plan", "EHC plan"),
        Monitoring => ("monitoring", "Monitoring"),
    }
);

/// A pupil whose SEND actions are kept.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pupil {
    pub id: PupilId,
    pub name: String,
    pub year_group: YearGroup,
    pub send_status: SendStatus,
    /// The EHC plan's next annual review, when the pupil has a plan.
    #[serde(default, with = "super::dates::maybe_day")]
    pub annual_review: Option<NaiveDate>,
    /// When this record last changed, on any device; the newer edit wins in a merge.
    #[serde(with = "super::dates::moment")]
    pub updated_at: DateTime<Utc>,
    /// The day the pupil left the school, once they have: their records are kept for the
    /// retention period counted from it. Not in bundles of schema 1 (read as not left).
    #[serde(default, with = "super::dates::maybe_day")]
    pub left_on: Option<NaiveDate>,
    /// Their key adults, by role and name (see [`super::key_adults`]): an owner given as a role
    /// they have a name for is that person. Not in bundles of schemas 1 and 2 (read as none).
    #[serde(default)]
    pub key_adults: Vec<KeyAdult>,
    /// Their date of birth, when the school records it here: a retention rule may count from it
    /// (see [`super::retention`]). Not in bundles of schemas 1 to 3 (read as not recorded).
    #[serde(default, with = "super::dates::maybe_day")]
    pub born: Option<NaiveDate>,
}

impl Pupil {
    /// Whether `typed` is this pupil's name, as someone confirming a removal would type it:
    /// spaces and capitals aside.
    pub fn is_named(&self, typed: &str) -> bool {
        let words = |text: &str| {
            text.split_whitespace()
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        };
        !typed.trim().is_empty() && words(typed) == words(&self.name)
    }
}

/// Why a new pupil was not added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PupilProblem {
    NoName,
}

impl std::fmt::Display for PupilProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PupilProblem::NoName => f.write_str("Give the pupil's name."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_confirmed_whatever_its_spaces_and_capitals() {
        let pupil = Pupil {
            id: PupilId::new(),
            name: "Siân  O'Neil".into(),
            year_group: YearGroup::Year3,
            send_status: SendStatus::SenSupport,
            annual_review: None,
            left_on: None,
            key_adults: Vec::new(),
            born: None,
            updated_at: DateTime::<Utc>::default(),
        };
        assert!(pupil.is_named("siân o'neil "));
        assert!(pupil.is_named("SIÂN O'NEIL"));
        assert!(!pupil.is_named("Sian O'Neil"));
        assert!(!pupil.is_named("Siân"));
        assert!(!pupil.is_named("  "));
    }
}
