//! What is kept beside the record, row by row, for the tracker: the search text of each action
//! and each action's owner.

use crate::action::Action;
use crate::record::{Kind, Record, Touched};
use std::cell::OnceCell;

/// Lower-case text of each action's searchable fields, by position, so each keystroke only
/// scans it. Built the first time a search needs it ([`SearchIndex::later`]), or at once
/// ([`SearchIndex::new`]); then kept up to date row by row.
#[derive(Clone, Debug, Default)]
pub struct SearchIndex(OnceCell<Vec<String>>);

impl PartialEq for SearchIndex {
    /// Two indexes are the same when both are built with the same text, or neither is built.
    fn eq(&self, other: &Self) -> bool {
        self.0.get() == other.0.get()
    }
}

impl SearchIndex {
    /// An index built now.
    pub fn new(record: &Record) -> Self {
        let index = SearchIndex::later();
        index.texts(record);
        index
    }

    /// An index built when a search first needs it: a large record opens without building
    /// it first (50,000 rows of text).
    pub fn later() -> Self {
        SearchIndex(OnceCell::new())
    }

    /// Builds the index now, if it is not built yet.
    pub fn build(&self, record: &Record) {
        self.texts(record);
    }

    fn texts(&self, record: &Record) -> &[String] {
        self.0.get_or_init(|| {
            record
                .actions()
                .iter()
                .map(|a| Self::text(record, a))
                .collect()
        })
    }

    fn text(record: &Record, action: &Action) -> String {
        let pupil = record.pupil(action.pupil).map_or("", |p| p.name.as_str());
        // The owner as shown, so a role is found by the person it is for.
        let owner = super::owner_shown(record, action);
        let text = [
            pupil,
            &action.decision,
            &action.next_step,
            &owner,
            &action.evidence,
        ]
        .join("\u{1f}");
        super::folded(&text)
    }

    /// Brings the index up to date after a change, row by row: only the actions it touched are
    /// read again. When a pupil changed (pupils' names are searched) the index is built again
    /// when next needed.
    pub fn refresh(&mut self, record: &Record, touched: &Touched) {
        if touched.0.iter().any(|(kind, _)| *kind == Kind::Pupils) {
            *self = SearchIndex::later();
            return;
        }
        let Some(texts) = self.0.get_mut() else {
            return;
        };
        let actions = record.actions();
        texts.resize(actions.len(), String::new());
        for &(kind, position) in &touched.0 {
            if kind == Kind::Actions && position < actions.len() {
                texts[position] = Self::text(record, &actions[position]);
            }
        }
    }

    pub(super) fn matches(&self, record: &Record, position: usize, words: &Words) -> bool {
        self.texts(record)
            .get(position)
            .is_some_and(|text| words.0.iter().all(|w| w.find(text.as_bytes()).is_some()))
    }
}

/// The words searched for, each made ready once to be looked for in every action's text:
/// `str::contains` readies its word again for each of the 50,000 texts it is asked about.
pub(super) struct Words(Vec<memchr::memmem::Finder<'static>>);

impl Words {
    pub(super) fn new(words: &[String]) -> Words {
        Words(
            words
                .iter()
                .map(|w| memchr::memmem::Finder::new(w.as_bytes()).into_owned())
                .collect(),
        )
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Each action's owner, kept row by row, to tell whether a change could have changed the list
/// of owners already used ([`Record::owners`]): most edits (a status, a date) cannot, and the
/// list is then not worked out again. Taken in a quiet moment after start-up
/// ([`OwnerWatch::take`]) rather than before the first screen: until then every change is said
/// to change the owners, which only works the list out again if a screen shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OwnerWatch(Option<Vec<String>>);

impl OwnerWatch {
    /// The owners as they are now.
    pub fn new(record: &Record) -> Self {
        OwnerWatch(Some(
            record.actions().iter().map(|a| a.owner.clone()).collect(),
        ))
    }

    /// Not taken yet.
    pub fn later() -> Self {
        OwnerWatch(None)
    }

    /// Takes the owners now, if not taken yet.
    pub fn take(&mut self, record: &Record) {
        if self.0.is_none() {
            *self = OwnerWatch::new(record);
        }
    }

    /// Takes in a change; says whether any owner was added, removed or changed (always, before
    /// the owners are taken).
    pub fn refresh(&mut self, record: &Record, touched: &Touched) -> bool {
        let Some(owners) = &mut self.0 else {
            return true;
        };
        let actions = record.actions();
        let mut changed = owners.len() != actions.len();
        owners.resize(actions.len(), String::new());
        for &(kind, position) in &touched.0 {
            if kind == Kind::Actions && position < actions.len() {
                let owner = &actions[position].owner;
                if owners[position] != *owner {
                    owners[position].clone_from(owner);
                    changed = true;
                }
            }
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::{tracker, Filter};
    use super::*;
    use crate::record::{Edit, Undo};
    use crate::ActionDraft;

    #[test]
    fn an_index_built_when_first_searched_finds_what_one_built_at_once_finds() {
        use crate::sample::{sample, SampleSize};
        let size = SampleSize {
            pupils: 30,
            actions: 600,
        };
        let mut record = sample(5, size, today());
        let mut later = SearchIndex::later();
        // Changes made before the first search are seen by it.
        let live = record
            .actions()
            .iter()
            .position(|a| a.status.is_live())
            .unwrap();
        let id = record.actions()[live].id;
        let (_, touched) = record
            .edit_action(id, &[Edit::Owner("Ms Quartermaine".into())], None, at(23))
            .unwrap();
        later.refresh(&record, &touched);
        assert_eq!(later, SearchIndex::later(), "not built by a change");
        let filter = Filter {
            text: "quartermaine".into(),
            ..Filter::default()
        };
        let found = tracker(&record, &later, &filter);
        assert_eq!(found, vec![live]);
        assert_eq!(found, tracker(&record, &SearchIndex::new(&record), &filter));
        assert_eq!(later, SearchIndex::new(&record), "built by the search");
    }

    #[test]
    fn the_search_index_kept_up_row_by_row_is_the_index_built_afresh() {
        use crate::sample::{sample, SampleSize};
        let size = SampleSize {
            pupils: 30,
            actions: 1200,
        };
        let mut record = sample(3, size, today());
        let mut index = SearchIndex::new(&record);
        let mut check = |record: &Record, touched: Touched| {
            index.refresh(record, &touched);
            index.build(record);
            assert_eq!(index, SearchIndex::new(record));
        };
        let id = record.actions()[1100].id;
        let (undo, touched) = record
            .edit_action(id, &[Edit::Owner("Ms Quartermaine".into())], None, at(23))
            .unwrap();
        check(&record, touched);
        let touched = record.undo(&undo, at(23)).unwrap();
        check(&record, touched);
        let pupil = record.actions()[0].pupil;
        let draft = ActionDraft {
            pupil: Some(pupil),
            next_step: "Ring the zebra crossing team".into(),
            owner: "SENCO".into(),
            due: Some(day(30)),
            ..ActionDraft::default()
        };
        let (added, touched) = record.add_action(&draft, today(), at(23)).unwrap();
        check(&record, touched);
        let touched = record.undo(&Undo::Added(vec![added]), at(23)).unwrap();
        check(&record, touched);
        let other = sample(4, size, today());
        let file = crate::bundle::export(&other, &crate::bundle::Part::Everything, at(23));
        let plan = crate::bundle::plan(&record, "other.json", &file);
        let (_, touched) = crate::merge::apply(&mut record, &plan).unwrap();
        check(&record, touched);
        let found = tracker(
            &record,
            &index,
            &Filter {
                text: "zebra".into(),
                ..Filter::default()
            },
        );
        assert!(found.is_empty(), "the withdrawn row is not found");
    }

    #[test]
    fn the_list_of_owners_is_worked_out_again_only_when_an_owner_changes() {
        use crate::sample::{sample, SampleSize};
        let mut record = sample(
            6,
            SampleSize {
                pupils: 10,
                actions: 300,
            },
            today(),
        );
        let mut watch = OwnerWatch::new(&record);
        let id = record.actions()[10].id;
        let (_, touched) = record
            .edit_action(
                id,
                &[Edit::Escalate(true), Edit::Evidence("Seen".into())],
                None,
                at(23),
            )
            .unwrap();
        assert!(!touched.is_empty());
        assert!(!watch.refresh(&record, &touched), "no owner changed");
        let (undo, touched) = record
            .edit_action(id, &[Edit::Owner("Ms Quartermaine".into())], None, at(23))
            .unwrap();
        assert!(watch.refresh(&record, &touched));
        assert!(record.owners().contains(&"Ms Quartermaine".to_string()));
        let touched = record.undo(&undo, at(23)).unwrap();
        assert!(watch.refresh(&record, &touched), "the owner went back");
        assert_eq!(watch, OwnerWatch::new(&record));

        // Not taken yet: any change may have changed the owners, until they are taken.
        let mut later = OwnerWatch::later();
        let (_, touched) = record
            .edit_action(id, &[Edit::Escalate(false)], None, at(23))
            .unwrap();
        assert!(later.refresh(&record, &touched));
        later.take(&record);
        assert_eq!(later, OwnerWatch::new(&record));
        let (_, touched) = record
            .edit_action(id, &[Edit::Escalate(true)], None, at(23))
            .unwrap();
        assert!(
            !later.refresh(&record, &touched),
            "taken, and no owner changed"
        );
    }
}
