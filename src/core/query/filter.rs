//! What the tracker is showing (scope, filters, search, sort), and the filter as an address.

use crate::action::{ItemType, Status};
use crate::choice::Choice;
use crate::id::PupilId;
use crate::pupil::YearGroup;

/// Which rows a view is about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    /// Open, in progress or waiting.
    #[default]
    Live,
    /// Done or parked: out of the live views, still findable and restorable.
    Archive,
}

/// The column a list is sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    /// Soonest due first (the default).
    #[default]
    Due,
    Pupil,
    Owner,
    Status,
    /// Most recently updated first.
    LastUpdate,
}

impl SortBy {
    pub const ALL: [SortBy; 5] = [
        SortBy::Due,
        SortBy::Pupil,
        SortBy::Owner,
        SortBy::Status,
        SortBy::LastUpdate,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SortBy::Due => "due",
            SortBy::Pupil => "pupil",
            SortBy::Owner => "owner",
            SortBy::Status => "status",
            SortBy::LastUpdate => "updated",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortBy::Due => "Due date",
            SortBy::Pupil => "Pupil",
            SortBy::Owner => "Owner",
            SortBy::Status => "Status",
            SortBy::LastUpdate => "Last update",
        }
    }

    pub fn from_code(code: &str) -> Option<SortBy> {
        SortBy::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the sort puts the largest first (the newest update), not the smallest.
    pub fn descending(self) -> bool {
        self == SortBy::LastUpdate
    }
}

/// What the tracker is showing: every part may be left open.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub scope: Scope,
    pub pupil: Option<PupilId>,
    /// An owner, matched without regard to case or surrounding spaces.
    pub owner: Option<String>,
    pub year_group: Option<YearGroup>,
    pub item_type: Option<ItemType>,
    pub status: Option<Status>,
    /// Only the statutory steps of EHC plan reviews.
    pub statutory: bool,
    /// Free text, found in the pupil's name, the decision, the action, the owner or the note.
    pub text: String,
    pub sort: SortBy,
    /// The sort's order turned round (a second tap on a column's header): the latest due first,
    /// the oldest update first.
    pub reversed: bool,
}

impl Filter {
    /// Whether the filter narrows the rows of its scope (a pupil, an owner, a year group, an
    /// item type, a status, statutory steps only or text chosen); the order they are shown in narrows nothing.
    pub fn is_narrowed(&self) -> bool {
        *self
            != Filter {
                scope: self.scope,
                sort: self.sort,
                reversed: self.reversed,
                ..Filter::default()
            }
    }

    /// Whether the rows are shown largest first (the latest due date, the newest update).
    pub fn descending(&self) -> bool {
        self.sort.descending() != self.reversed
    }

    /// A tap on a column's header: sorts by `by`, in its own order; a tap on the header it is
    /// sorted by already turns the order round.
    pub fn sort_by(&mut self, by: SortBy) {
        self.reversed = self.sort == by && !self.reversed;
        self.sort = by;
    }

    /// What the filter narrows, in words, part by part ("Owner: SENCO", "Year 5"); `pupil`
    /// names the chosen pupil. Empty when it narrows nothing.
    pub fn described(&self, pupil: Option<&str>) -> Vec<String> {
        let mut parts = Vec::new();
        if self.pupil.is_some() {
            parts.push(format!("Pupil: {}", pupil.unwrap_or("not in the record")));
        }
        if let Some(owner) = &self.owner {
            parts.push(format!("Owner: {}", owner.trim()));
        }
        if let Some(year_group) = self.year_group {
            parts.push(year_group.label().to_string());
        }
        if let Some(item_type) = self.item_type {
            parts.push(item_type.label().to_string());
        }
        if let Some(status) = self.status {
            parts.push(status.label().to_string());
        }
        if self.statutory {
            parts.push("Statutory deadlines only".into());
        }
        if !self.text.trim().is_empty() {
            parts.push(format!("“{}”", self.text.trim()));
        }
        parts
    }

    /// The filter as an address's query string (`pupil=…&status=open&q=reading`); the parts
    /// left open, and the default scope and sort, are left out.
    pub fn to_query(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if let Some(pupil) = self.pupil {
            query.append_pair("pupil", &pupil.to_string());
        }
        if let Some(owner) = &self.owner {
            query.append_pair("owner", owner);
        }
        if let Some(year_group) = self.year_group {
            query.append_pair("year", year_group.code());
        }
        if let Some(item_type) = self.item_type {
            query.append_pair("type", item_type.code());
        }
        if let Some(status) = self.status {
            query.append_pair("status", status.code());
        }
        if self.statutory {
            query.append_pair("statutory", "1");
        }
        if !self.text.trim().is_empty() {
            query.append_pair("q", &self.text);
        }
        if self.sort != SortBy::Due {
            query.append_pair("sort", self.sort.code());
        }
        if self.reversed {
            query.append_pair("order", "reversed");
        }
        query.finish()
    }

    /// Reads a filter back from a query string; a part it does not understand is left open.
    pub fn from_query(query: &str, scope: Scope) -> Filter {
        let mut filter = Filter {
            scope,
            ..Filter::default()
        };
        for (key, value) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
            match key.as_ref() {
                "pupil" => filter.pupil = PupilId::parse(&value),
                "owner" => filter.owner = Some(value.into_owned()).filter(|o| !o.trim().is_empty()),
                "year" => filter.year_group = YearGroup::from_text(&value),
                "type" => filter.item_type = ItemType::from_text(&value),
                "status" => filter.status = Status::from_text(&value),
                "statutory" => filter.statutory = value == "1",
                "q" => filter.text = value.into_owned(),
                "sort" => filter.sort = SortBy::from_code(&value).unwrap_or_default(),
                "order" => filter.reversed = value == "reversed",
                _ => {}
            }
        }
        filter
    }
}

pub(super) fn words_of(filter: &Filter) -> Vec<String> {
    super::folded(&filter.text)
        .split_whitespace()
        .map(String::from)
        .collect()
}

/// True when every row `next` lets through is among the rows `previous` let through, in the
/// same order: the filters differ only in their search, and each word searched before is part
/// of a word searched now (typing "read" then "readi").
pub fn narrows(previous: &Filter, next: &Filter) -> bool {
    let same_apart_from_text = Filter {
        text: String::new(),
        ..previous.clone()
    } == Filter {
        text: String::new(),
        ..next.clone()
    };
    let next_words = words_of(next);
    same_apart_from_text
        && words_of(previous)
            .iter()
            .all(|old| next_words.iter().any(|new| new.contains(old.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_narrows_when_anything_but_the_order_is_chosen() {
        assert!(!Filter::default().is_narrowed());
        let archive = Filter {
            scope: Scope::Archive,
            sort: SortBy::Owner,
            ..Filter::default()
        };
        assert!(
            !archive.is_narrowed(),
            "the scope and the order narrow nothing"
        );
        for narrowed in [
            Filter {
                owner: Some("SENCO".into()),
                ..archive.clone()
            },
            Filter {
                text: "reading".into(),
                ..archive.clone()
            },
            Filter {
                status: Some(Status::Parked),
                ..archive.clone()
            },
            Filter {
                statutory: true,
                ..archive.clone()
            },
        ] {
            assert!(narrowed.is_narrowed(), "{narrowed:?}");
            assert_eq!(narrowed.described(None).len(), 1, "{narrowed:?}");
        }
        assert!(
            archive.described(None).is_empty(),
            "the order is not a filter"
        );
    }

    #[test]
    fn a_filter_says_what_it_narrows_part_by_part() {
        let filter = Filter {
            pupil: Some(PupilId::from_random_bytes([7; 16])),
            owner: Some(" Mrs Öztürk ".into()),
            year_group: Some(YearGroup::Year5),
            status: Some(Status::Waiting),
            text: " speech ".into(),
            ..Filter::default()
        };
        assert_eq!(
            filter.described(Some("Siân Evans")),
            [
                "Pupil: Siân Evans",
                "Owner: Mrs Öztürk",
                "Year 5",
                "Waiting on someone else",
                "“speech”"
            ]
        );
        assert_eq!(filter.described(None)[0], "Pupil: not in the record");
    }

    #[test]
    fn a_filter_goes_into_the_address_and_comes_back_the_same() {
        let filter = Filter {
            scope: Scope::Archive,
            pupil: Some(PupilId::new()),
            owner: Some("Mrs O'Neil & co".into()),
            year_group: Some(YearGroup::Year10),
            item_type: Some(ItemType::DocumentToShare),
            status: Some(Status::Parked),
            statutory: true,
            text: "Zoë reading = 50%".into(),
            sort: SortBy::Owner,
            reversed: true,
        };
        let query = filter.to_query();
        assert!(!query.contains(' ') && !query.contains('#'), "{query}");
        assert_eq!(Filter::from_query(&query, Scope::Archive), filter);
        assert_eq!(Filter::default().to_query(), "");
        assert_eq!(Filter::from_query("", Scope::Live), Filter::default());
        assert_eq!(
            Filter::from_query(
                "?status=nonsense&year=year_99&pupil=x&sort=up&colour=red&statutory=yes&order=up",
                Scope::Live
            ),
            Filter::default(),
            "anything not understood is left open"
        );
    }

    #[test]
    fn a_second_tap_on_the_sorted_header_turns_the_order_round_and_a_third_back() {
        let mut filter = Filter::default();
        assert!(!filter.descending(), "soonest due first");
        filter.sort_by(SortBy::Due);
        assert!(
            filter.reversed && filter.descending(),
            "the latest due first"
        );
        filter.sort_by(SortBy::Due);
        assert!(!filter.reversed);
        filter.sort_by(SortBy::LastUpdate);
        assert!(
            !filter.reversed && filter.descending(),
            "a new column in its own order: newest first"
        );
        filter.sort_by(SortBy::LastUpdate);
        assert!(
            filter.reversed && !filter.descending(),
            "then the oldest first"
        );
        filter.sort_by(SortBy::Owner);
        assert_eq!(
            (filter.sort, filter.reversed),
            (SortBy::Owner, false),
            "another column starts in its own order"
        );
        filter.sort_by(SortBy::Owner);
        assert!(!filter.is_narrowed(), "the order narrows nothing");
        assert_eq!(filter.to_query(), "sort=owner&order=reversed");
    }
}
