//! Bringing a file into the record: an [`ImportPlan`] says, before anything changes, what an
//! import would add, update and leave alone, which rows disagree (conflicts), and what is wrong
//! with the file. [`apply`] then brings the rows in through the record's own
//! [`Record::bring_in`](crate::record::Record::bring_in), every change or none, and hands back
//! the patch that "Undo" replays to put the record back exactly as it was (the rows replaced, as
//! they were, and the lengths before).
//!
//! Merging is by record id. Each pupil, meeting and action carries the time it last changed (its
//! clock): the newer version wins; two different versions with the same clock are a conflict,
//! shown side by side, and this device's version is kept unless the person chooses the file's.
//! History entries never change once written, so they are brought in by id: one not yet on this
//! device is added, one already here is left alone. Importing the same file twice therefore
//! changes nothing the second time.
//!
//! The files: `differences` (what differs between two versions of a row, as a person reads it,
//! and each kind of row as the merge sees it), `plan` (the plan of an import and what it says it
//! would do) and `apply` (the plan carried out, and undone); here, a problem with a file.

mod apply;
mod differences;
mod plan;

pub use apply::apply;
pub use differences::{Difference, Entity};
pub(crate) use plan::count;
pub use plan::{new_history, Changes, Conflict, ImportPlan, Update, ValueToChoose, YearToChoose};

/// Something wrong with one row or field of a file. Any problem stops the import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where, as a person finds it: "Row 5" in a spreadsheet, "Action 12" in a bundle.
    pub place: String,
    /// The column or field: "Due".
    pub column: String,
    /// What is wrong and how to put it right.
    pub message: String,
}

impl Problem {
    /// What stops a whole file being read: "The file: it ends too soon…".
    pub fn with_file(message: impl Into<String>) -> Self {
        Problem {
            place: FILE.into(),
            column: String::new(),
            message: message.into(),
        }
    }

    /// The problem is with the whole file, not one row.
    pub fn is_with_file(&self) -> bool {
        self.place == FILE
    }
}

/// Where a problem with a whole file is said to be.
const FILE: &str = "The file";

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.column.is_empty() {
            write!(f, "{}: {}", self.place, self.message)
        } else {
            write!(f, "{}, {}: {}", self.place, self.column, self.message)
        }
    }
}
