//! A pupil on the SEND register.

use super::choice::choice_enum;
use super::id::PupilId;
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
