//! The domain in plain Rust: pupils, meetings, actions and their history; the statuses and the
//! rules that guard a row; dates as people read them. Nothing here knows about the browser, so
//! all of it is tested natively with `cargo test`.

pub mod action;
pub mod backup;
pub mod bucket;
pub mod bundle;
pub mod calendar;
pub mod choice;
pub mod csv_out;
pub mod dates;
pub mod draft;
pub mod example;
pub mod fields;
pub mod guard;
pub mod history;
pub mod hostile;
pub mod id;
pub mod key_adults;
pub mod letterhead;
pub mod lines;
pub mod meeting;
pub mod merge;
pub mod order;
pub mod pupil;
pub mod query;
pub mod record;
pub mod retention;
pub mod sample;
pub mod sealed;
pub mod spreadsheet;
pub mod statutory;
pub mod typed;

pub use action::{Action, ActionDraft, ItemType, LastUpdate, Status};
pub use choice::Choice;
pub use history::{Field, FieldChange, HistoryEntry};
pub use id::{ActionId, EntryId, MeetingId, PupilId};
pub use meeting::{Meeting, MeetingType};
pub use pupil::{Pupil, SendStatus, YearGroup};
pub use record::{
    Edit, Kind, MeetingEdit, NewMeeting, NewPupil, PupilEdit, Record, Refusal, Review, Touched,
    Undo, FORMAT_NAME, SCHEMA_VERSION,
};
