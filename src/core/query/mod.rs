//! Questions asked of the record: the tracker's filters, search and sort; the weekly review
//! (overdue, due this week, waiting, escalated, stale); a pupil's chronology; the list of pupils;
//! the meetings to continue. They answer with
//! positions of actions in the record, so a screen can show a page of a large answer at a time.
//!
//! The files, by family of question: `filter` (what the tracker is showing, and its address),
//! `index` (what is kept beside the record, row by row, so each keystroke or edit is answered at
//! once: the search text and the owners), `owners` (each owner shown as the person it is for the
//! row's pupil, and the owners a filter offers), `tracker` (the rows a filter finds, in its
//! order), `review` (the weekly review and stale rows), `chronology` (a pupil's history),
//! `pupils` (the list of pupils), `reviews` (a pupil's EHC plan reviews and the
//! statutory deadlines coming up) and `resume` (the meetings Home offers to continue).

mod chronology;
mod filter;
mod index;
mod owners;
mod pupils;
mod resume;
mod review;
mod reviews;
mod tracker;

#[cfg(test)]
mod fixtures;

pub use chronology::{chronology, Event};
pub use filter::{narrows, Filter, Scope, SortBy};
pub use index::{OwnerWatch, SearchIndex};
pub use owners::{adults_of, owner_choices, owner_shown};
pub use pupils::{pupils, PupilFilter, PupilLine};
pub use resume::{to_resume, Resume};
pub use reviews::{
    is_missed, is_statutory_soon, missed_deadline, needs_review_before, offer, planned_due,
    pupil_reviews, reviews_of, take_offer, transfer_due, transfer_offer, transfers, Moved, Offer,
    PupilReviews, ReviewLine, PLANNED_OWNER, STATUTORY_AHEAD_DAYS,
};
/// Text as a search compares it: in lower case, and without the dot that lower-casing a capital
/// İ leaves (i + U+0307), so that "ilker" and "İLKER" both find "İlker" as they find "Ilker".
/// Accents stay: they are letters of the name ("zoe" does not find "Zoë").
pub fn folded(text: &str) -> String {
    let lower = text.to_lowercase();
    if lower.contains('\u{307}') {
        lower.replace('\u{307}', "")
    } else {
        lower
    }
}

pub use review::{
    due_by_friday, is_stale, school_week, weekly_review, WeeklyReview, STALE_AFTER_DAYS,
};
pub use tracker::{tracker, tracker_after, tracker_after_edit};
