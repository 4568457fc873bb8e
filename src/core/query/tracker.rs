//! The tracker: the actions a filter lets through, in its sort order, and the same answer kept
//! up as a search is typed or rows are edited.

use super::filter::words_of;
use super::index::Words;
use super::owners::{adults_of, owner_shown};
use super::{narrows, Filter, Scope, SearchIndex, SortBy};
use crate::action::{Action, Status};
use crate::choice::Choice;
use crate::key_adults::OwnerFilter;
use crate::order;
use crate::record::Record;
use std::cmp::Ordering;

/// [`tracker`], narrowing the rows found for the previous filter when it can (see
/// [`narrows`]): each keystroke of a search then scans only what the last one found.
/// `previous` must have been found in the same version of the record.
pub fn tracker_after(
    record: &Record,
    index: &SearchIndex,
    filter: &Filter,
    previous: Option<(&Filter, &[usize])>,
) -> Vec<usize> {
    match previous {
        Some((before, rows)) if narrows(before, filter) => {
            let words = Words::new(&words_of(filter));
            rows.iter()
                .copied()
                .filter(|&at| words.is_empty() || index.matches(record, at, &words))
                .collect()
        }
        _ => tracker(record, index, filter),
    }
}

/// The positions of the actions the filter lets through, in its sort order.
pub fn tracker(record: &Record, index: &SearchIndex, filter: &Filter) -> Vec<usize> {
    let admits = Admits::new(filter);
    let mut found: Vec<usize> = (0..record.actions().len())
        .filter(|&at| admits.row(record, index, at))
        .collect();
    sort(record, &mut found, filter.sort);
    if filter.reversed {
        found.reverse();
    }
    found
}

/// [`tracker`] after a change that edited the actions at `edited` without adding, removing or
/// moving any (a status tap, a bulk change): the rows found before, with the edited ones taken
/// out and put back where the filter and sort now place them. At 50,000 actions an edit then
/// costs what it costs at 500.
pub fn tracker_after_edit(
    record: &Record,
    index: &SearchIndex,
    filter: &Filter,
    previous: &[usize],
    edited: &[usize],
) -> Vec<usize> {
    let admits = Admits::new(filter);
    // Usually one row, so a sorted list is looked up quicker than a hash set.
    let mut edited = edited.to_vec();
    edited.sort_unstable();
    edited.dedup();
    let mut rows: Vec<usize> = previous
        .iter()
        .copied()
        .filter(|at| edited.binary_search(at).is_err())
        .collect();
    for &at in &edited {
        if at < record.actions().len() && admits.row(record, index, at) {
            let place = rows.partition_point(|&other| {
                let ordered = order(record, filter.sort, other, at);
                (if filter.reversed {
                    ordered.reverse()
                } else {
                    ordered
                }) == Ordering::Less
            });
            rows.insert(place, at);
        }
    }
    rows
}

/// What a filter lets through, ready to ask of one row after another.
struct Admits<'f> {
    filter: &'f Filter,
    words: Words,
    owner: Option<OwnerFilter>,
}

impl<'f> Admits<'f> {
    fn new(filter: &'f Filter) -> Self {
        Admits {
            filter,
            words: Words::new(&words_of(filter)),
            owner: filter.owner.as_deref().map(OwnerFilter::new),
        }
    }

    fn row(&self, record: &Record, index: &SearchIndex, at: usize) -> bool {
        let (filter, a) = (self.filter, &record.actions()[at]);
        let in_scope = match filter.scope {
            Scope::Live => a.status.is_live(),
            Scope::Archive => !a.status.is_live(),
        };
        in_scope
            && filter.pupil.is_none_or(|p| a.pupil == p)
            && filter.status.is_none_or(|s| a.status == s)
            && filter.item_type.is_none_or(|t| a.item_type == t)
            && (!filter.statutory || a.statutory.is_some())
            && self
                .owner
                .as_ref()
                .is_none_or(|o| o.admits(&a.owner, adults_of(record, a)))
            && filter
                .year_group
                .is_none_or(|y| record.pupil(a.pupil).is_some_and(|p| p.year_group == y))
            && (self.words.is_empty() || index.matches(record, at, &self.words))
    }
}

/// The tracker's order of two rows: by the chosen sort, then by when each was added, so that
/// no two rows tie.
fn order(record: &Record, by: SortBy, x: usize, y: usize) -> Ordering {
    let actions = record.actions();
    let (a, b) = (&actions[x], &actions[y]);
    let name = |a: &Action| {
        record
            .pupil(a.pupil)
            .map_or(String::new(), |p| p.name.to_lowercase())
    };
    let owner = |a: &Action| owner_shown(record, a).to_lowercase();
    let due = || a.due.cmp(&b.due).then(a.raised.cmp(&b.raised));
    match by {
        SortBy::Due => due(),
        SortBy::Pupil => (name(a), a.due).cmp(&(name(b), b.due)),
        SortBy::Owner => (owner(a), a.due).cmp(&(owner(b), b.due)),
        SortBy::Status => status_rank(a.status)
            .cmp(&status_rank(b.status))
            .then_with(due),
        SortBy::LastUpdate => b.last_update.at.cmp(&a.last_update.at),
    }
    .then(x.cmp(&y))
}

/// Sorts positions (given in ascending order) as [`order`] does; the sorts are stable, so rows
/// that tie on the sort stay in the order they were added.
///
/// Through [`crate::order`], which compiles one sorting algorithm for all five: with the standard
/// library's `sort_by` and `sort_by_cached_key` here instead (the domain is compiled for speed,
/// so each is a sorting algorithm of its own) the download grew by 11.6 KB gzipped (569.7 to
/// 581.3 KB, wasm + js + css at gzip -9, measured in December 2026; see BENCHMARKS.md).
pub(super) fn sort(record: &Record, positions: &mut [usize], by: SortBy) {
    let actions = record.actions();
    let name = |a: &Action| {
        record
            .pupil(a.pupil)
            .map_or(String::new(), |p| p.name.to_lowercase())
    };
    // By keys worked out once, side by side, rather than by comparing the actions themselves:
    // 50,000 actions are read once each instead of some thirty times, from all over memory
    // (a third of the first screen's search on a slowed tablet).
    let due = |a: &Action| (a.due, a.raised);
    match by {
        SortBy::Due => order::sort_by_key(positions, |&at| due(&actions[at])),
        SortBy::Pupil => {
            order::sort_by_key(positions, |&at| (name(&actions[at]), actions[at].due, at))
        }
        SortBy::Owner => order::sort_by_key(positions, |&at| {
            let owner = owner_shown(record, &actions[at]).to_lowercase();
            (owner, actions[at].due, at)
        }),
        SortBy::Status => order::sort_by_key(positions, |&at| {
            (status_rank(actions[at].status), due(&actions[at]))
        }),
        SortBy::LastUpdate => order::sort_by_key(positions, |&at| {
            std::cmp::Reverse(actions[at].last_update.at)
        }),
    }
}

fn status_rank(status: Status) -> usize {
    Status::ALL.iter().position(|s| *s == status).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    proptest::proptest! {
        /// Whatever the order and the edits, the rows an edit leaves are the rows a fresh search
        /// finds: the sort and the order one edited row is put back by agree.
        #[test]
        fn an_edit_places_its_row_where_a_fresh_search_does(
            seed in 0u64..1000, sort in 0usize..5, reversed: bool,
            edits in proptest::collection::vec((0usize..300, 0u8..5, 0i64..60), 1..8),
        ) {
            use crate::sample::{sample, SampleSize};
            let mut record = sample(seed, SampleSize { pupils: 12, actions: 300 }, today());
            let mut index = SearchIndex::new(&record);
            let filter = Filter { sort: SortBy::ALL[sort], reversed, ..Filter::default() };
            let mut rows = tracker(&record, &index, &filter);
            let date = |days: i64| today() - Days::new(30) + Days::new(days as u64);
            for (n, (which, field, days)) in edits.into_iter().enumerate() {
                let place = which % record.actions().len();
                let id = record.actions()[place].id;
                let edit = match field {
                    0 => Edit::Status(Status::ALL[days as usize % Status::ALL.len()]),
                    1 => Edit::Due(date(days)),
                    2 => Edit::Owner(["SENCO", "Parent", "class teacher", "Mrs Öztürk"][days as usize % 4].into()),
                    3 => Edit::Raised(date(days)),
                    _ => Edit::Escalate(days % 2 == 0),
                };
                let Ok((_, touched)) = record.edit_action(id, &[edit], None, at(23) + chrono::Duration::minutes(n as i64)) else {
                    continue;
                };
                index.refresh(&record, &touched);
                rows = tracker_after_edit(&record, &index, &filter, &rows, &[place]);
                proptest::prop_assert_eq!(&rows, &tracker(&record, &index, &filter));
            }
        }
    }
    use crate::action::ItemType;
    use crate::pupil::YearGroup;
    use crate::record::{Edit, Kind};
    use chrono::{Days, TimeZone, Utc};

    #[test]
    fn filters_combine_and_sort_by_due_date() {
        let mut s = school();
        let (zoe, ben) = (s.zoe, s.ben);
        let a = act(
            &mut s,
            zoe,
            "Reduce written work",
            "Class teacher",
            30,
            Status::Open,
        );
        let b = act(
            &mut s,
            zoe,
            "Share the report",
            "Parent",
            24,
            Status::Waiting,
        );
        let c = act(&mut s, ben, "Send the referral", "SENCO", 27, Status::Open);
        let d = act(&mut s, ben, "Review the plan", "senco ", 22, Status::Done);
        let link = crate::statutory::Statutory {
            review: day(27),
            step: crate::statutory::Step::Meeting,
        };
        let id = s.record.actions()[c].id;
        s.record
            .edit_action(id, &[Edit::Statutory(Some(link))], None, at(21))
            .unwrap();
        let index = SearchIndex::new(&s.record);
        let find = |filter: Filter| tracker(&s.record, &index, &filter);

        assert_eq!(
            find(Filter::default()),
            vec![b, c, a],
            "live rows, soonest due first"
        );
        assert_eq!(
            find(Filter {
                scope: Scope::Archive,
                ..Filter::default()
            }),
            vec![d]
        );
        assert_eq!(
            find(Filter {
                pupil: Some(zoe),
                ..Filter::default()
            }),
            vec![b, a]
        );
        assert_eq!(
            find(Filter {
                owner: Some(" SENCO".into()),
                ..Filter::default()
            }),
            vec![c]
        );
        assert_eq!(
            find(Filter {
                year_group: Some(YearGroup::Year9),
                ..Filter::default()
            }),
            vec![c]
        );
        assert_eq!(
            find(Filter {
                status: Some(Status::Waiting),
                ..Filter::default()
            }),
            vec![b]
        );
        assert_eq!(
            find(Filter {
                pupil: Some(zoe),
                status: Some(Status::Open),
                ..Filter::default()
            }),
            vec![a]
        );
        assert_eq!(
            find(Filter {
                item_type: Some(ItemType::Referral),
                ..Filter::default()
            }),
            Vec::<usize>::new()
        );
        assert_eq!(
            find(Filter {
                statutory: true,
                ..Filter::default()
            }),
            vec![c],
            "statutory steps only"
        );
        assert_eq!(
            find(Filter {
                sort: SortBy::Pupil,
                ..Filter::default()
            }),
            vec![c, b, a],
            "Ben before Zoë, then by due date"
        );
        assert_eq!(
            find(Filter {
                sort: SortBy::Owner,
                ..Filter::default()
            }),
            vec![a, b, c]
        );
    }

    #[test]
    fn search_finds_words_in_pupil_decision_action_owner_and_note_in_any_case() {
        let mut s = school();
        let (zoe, ben) = (s.zoe, s.ben);
        let a = act(
            &mut s,
            zoe,
            "Reduce written work",
            "Class teacher",
            30,
            Status::Open,
        );
        let c = act(&mut s, ben, "Send the referral", "SENCO", 27, Status::Open);
        let id = s.record.actions()[c].id;
        s.record
            .edit_action(
                id,
                &[Edit::Evidence("Form in the SALT folder".into())],
                None,
                at(21),
            )
            .unwrap();
        let index = SearchIndex::new(&s.record);
        let search = |text: &str| {
            tracker(
                &s.record,
                &index,
                &Filter {
                    text: text.into(),
                    ..Filter::default()
                },
            )
        };
        assert_eq!(search("zoë"), vec![a]);
        assert_eq!(search("O'NEIL"), vec![c]);
        assert_eq!(search("salt folder"), vec![c], "every word, anywhere");
        assert_eq!(search("written teacher"), vec![a]);
        assert_eq!(search("referral zoë"), Vec::<usize>::new());
        assert_eq!(search("   "), vec![c, a]);
    }

    #[test]
    fn a_turkish_capital_i_is_found_typed_in_either_case_and_accents_stay_letters() {
        let mut s = school();
        let ilker = pupil(&mut s.record, "İlker Şahin", YearGroup::Year5);
        let found = act(
            &mut s,
            ilker,
            "Check the İzmir report",
            "SENCO",
            30,
            Status::Open,
        );
        let index = SearchIndex::new(&s.record);
        let search = |text: &str| {
            let filter = Filter {
                text: text.into(),
                ..Filter::default()
            };
            tracker(&s.record, &index, &filter)
        };
        for typed in ["ilker", "İLKER", "İlker", "izmir", "şahin"] {
            assert_eq!(search(typed), vec![found], "{typed}");
        }
        assert!(search("sahin").is_empty(), "ş is a letter of its own");
        let names = |typed: &str| {
            let filter = crate::query::PupilFilter {
                name: typed.into(),
                ..Default::default()
            };
            crate::query::pupils(&s.record, &filter, today()).len()
        };
        assert_eq!((names("ilker"), names("İLKER"), names("ILKER")), (1, 1, 1));
    }

    #[test]
    fn typing_more_of_a_search_narrows_what_was_found_to_the_same_answer() {
        use crate::sample::{sample, SampleSize};
        let record = sample(
            5,
            SampleSize {
                pupils: 40,
                actions: 2000,
            },
            today(),
        );
        let index = SearchIndex::new(&record);
        let mut previous = Filter::default();
        let mut rows = tracker(&record, &index, &previous);
        for typed in ["r", "re", "rea", "read", "read l", "read lo", "read log"] {
            let next = Filter {
                text: typed.into(),
                ..Filter::default()
            };
            assert!(narrows(&previous, &next), "{typed}");
            let narrowed = tracker_after(&record, &index, &next, Some((&previous, &rows)));
            assert_eq!(narrowed, tracker(&record, &index, &next), "{typed}");
            (previous, rows) = (next, narrowed);
        }
        assert!(!rows.is_empty(), "the sample mentions reading logs");
        let other_word = Filter {
            text: "reading".into(),
            ..Filter::default()
        };
        assert!(
            !narrows(&previous, &other_word),
            "log is no longer searched"
        );
        let other_owner = Filter {
            owner: Some("SENCO".into()),
            ..previous.clone()
        };
        assert!(!narrows(&previous, &other_owner));
        let deleting = Filter {
            text: "read l".into(),
            ..Filter::default()
        };
        assert!(
            !narrows(&previous, &deleting),
            "a shorter search finds more"
        );
    }

    #[test]
    fn an_edit_moves_just_the_edited_rows_to_where_a_fresh_search_puts_them() {
        use crate::sample::{sample, SampleSize};
        let mut record = sample(
            8,
            SampleSize {
                pupils: 25,
                actions: 800,
            },
            today(),
        );
        let mut index = SearchIndex::new(&record);
        let owner = record.actions()[3].owner.clone();
        let filters: Vec<Filter> = SortBy::ALL
            .iter()
            .flat_map(|&sort| {
                [
                    Filter {
                        sort,
                        ..Filter::default()
                    },
                    Filter {
                        sort,
                        scope: Scope::Archive,
                        ..Filter::default()
                    },
                    Filter {
                        sort,
                        owner: Some(owner.clone()),
                        ..Filter::default()
                    },
                    Filter {
                        sort,
                        text: "read".into(),
                        ..Filter::default()
                    },
                ]
            })
            .collect();
        // Each of them turned round as well.
        let filters: Vec<Filter> = filters
            .iter()
            .cloned()
            .chain(filters.iter().map(|f| Filter {
                reversed: true,
                ..f.clone()
            }))
            .collect();
        let mut found: Vec<Vec<usize>> = filters
            .iter()
            .map(|f| tracker(&record, &index, f))
            .collect();
        let mut rng = fastrand::Rng::with_seed(9);
        for step in 0..60u32 {
            let ids: Vec<_> = (0..rng.usize(1..4))
                .map(|_| record.actions()[rng.usize(..800)].id)
                .collect();
            let edit = match step % 5 {
                0 => Edit::Status(*rng.choice(Status::ALL).unwrap()),
                1 => Edit::Owner(
                    ["SENCO", "Ms Khan", "Class teacher", owner.as_str()][rng.usize(..4)].into(),
                ),
                2 => Edit::Due(day(1) + Days::new(rng.u64(..60))),
                3 => Edit::NextStep(format!("Read the plan {step}")),
                _ => Edit::Status(Status::Done),
            };
            let at = Utc.from_utc_datetime(&day(23).and_hms_opt(10, 0, step).unwrap());
            let (_, touched) = record.edit_actions(&ids, &[edit], None, at).unwrap();
            index.refresh(&record, &touched);
            let edited: Vec<usize> = touched
                .0
                .iter()
                .filter(|(k, _)| *k == Kind::Actions)
                .map(|&(_, p)| p)
                .collect();
            for (filter, rows) in filters.iter().zip(found.iter_mut()) {
                let after = tracker_after_edit(&record, &index, filter, rows, &edited);
                assert_eq!(
                    after,
                    tracker(&record, &index, filter),
                    "{filter:?} after step {step}"
                );
                *rows = after;
            }
        }
    }
}
