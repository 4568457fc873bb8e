//! Questions asked of the record: the tracker's filters, search and sort; the weekly review
//! (overdue, due this week, waiting, escalated, stale); a pupil's chronology. They answer with
//! positions of actions in the record, so a screen can show a page of a large answer at a time.

use super::action::{Action, ItemType, Status};
use super::choice::Choice;
use super::id::PupilId;
use super::meeting::Meeting;
use super::order;
use super::pupil::YearGroup;
use super::record::{Kind, Record, Touched};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::cell::OnceCell;
use std::cmp::Ordering;

/// A live row with no update for this many days is stale: a "dead record".
pub const STALE_AFTER_DAYS: i64 = 28;

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
    /// Free text, found in the pupil's name, the decision, the action, the owner or the note.
    pub text: String,
    pub sort: SortBy,
}

impl Filter {
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
        if !self.text.trim().is_empty() {
            query.append_pair("q", &self.text);
        }
        if self.sort != SortBy::Due {
            query.append_pair("sort", self.sort.code());
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
                "q" => filter.text = value.into_owned(),
                "sort" => filter.sort = SortBy::from_code(&value).unwrap_or_default(),
                _ => {}
            }
        }
        filter
    }
}

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
        [
            pupil,
            &action.decision,
            &action.next_step,
            &action.owner,
            &action.evidence,
        ]
        .join("\u{1f}")
        .to_lowercase()
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

    fn matches(&self, record: &Record, position: usize, words: &[String]) -> bool {
        self.texts(record)
            .get(position)
            .is_some_and(|text| words.iter().all(|w| text.contains(w.as_str())))
    }
}

fn words_of(filter: &Filter) -> Vec<String> {
    filter
        .text
        .to_lowercase()
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
            let words = words_of(filter);
            rows.iter()
                .copied()
                .filter(|&at| words.is_empty() || index.matches(record, at, &words))
                .collect()
        }
        _ => tracker(record, index, filter),
    }
}

/// Each action's owner, kept row by row, to tell whether a change could have changed the list
/// of owners already used ([`Record::owners`]): most edits (a status, a date) cannot, and the
/// list is then not worked out again.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OwnerWatch(Vec<String>);

impl OwnerWatch {
    pub fn new(record: &Record) -> Self {
        OwnerWatch(record.actions().iter().map(|a| a.owner.clone()).collect())
    }

    /// Takes in a change; says whether any owner was added, removed or changed.
    pub fn refresh(&mut self, record: &Record, touched: &Touched) -> bool {
        let actions = record.actions();
        let mut changed = self.0.len() != actions.len();
        self.0.resize(actions.len(), String::new());
        for &(kind, position) in &touched.0 {
            if kind == Kind::Actions && position < actions.len() {
                let owner = &actions[position].owner;
                if self.0[position] != *owner {
                    self.0[position].clone_from(owner);
                    changed = true;
                }
            }
        }
        changed
    }
}

/// The positions of the actions the filter lets through, in its sort order.
pub fn tracker(record: &Record, index: &SearchIndex, filter: &Filter) -> Vec<usize> {
    let admits = Admits::new(filter);
    let mut found: Vec<usize> = (0..record.actions().len())
        .filter(|&at| admits.row(record, index, at))
        .collect();
    sort(record, &mut found, filter.sort);
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
    super::order::sort_by_key(&mut edited, |&at| at);
    edited.dedup();
    let mut rows: Vec<usize> = previous
        .iter()
        .copied()
        .filter(|at| edited.binary_search(at).is_err())
        .collect();
    for &at in &edited {
        if at < record.actions().len() && admits.row(record, index, at) {
            let place = rows
                .partition_point(|&other| order(record, filter.sort, other, at) == Ordering::Less);
            rows.insert(place, at);
        }
    }
    rows
}

/// What a filter lets through, ready to ask of one row after another.
struct Admits<'f> {
    filter: &'f Filter,
    words: Vec<String>,
    owner: Option<String>,
}

impl<'f> Admits<'f> {
    fn new(filter: &'f Filter) -> Self {
        Admits {
            filter,
            words: words_of(filter),
            owner: filter.owner.as_deref().map(|o| o.trim().to_lowercase()),
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
            && self
                .owner
                .as_deref()
                .is_none_or(|o| a.owner.trim().eq_ignore_ascii_case(o))
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
    let due = || a.due.cmp(&b.due).then(a.raised.cmp(&b.raised));
    match by {
        SortBy::Due => due(),
        SortBy::Pupil => (name(a), a.due).cmp(&(name(b), b.due)),
        SortBy::Owner => (a.owner.to_lowercase(), a.due).cmp(&(b.owner.to_lowercase(), b.due)),
        SortBy::Status => status_rank(a.status)
            .cmp(&status_rank(b.status))
            .then_with(due),
        SortBy::LastUpdate => b.last_update.at.cmp(&a.last_update.at),
    }
    .then(x.cmp(&y))
}

/// Sorts positions (given in ascending order) as [`order`] does; the sorts are stable, so rows
/// that tie on the sort stay in the order they were added.
fn sort(record: &Record, positions: &mut [usize], by: SortBy) {
    let actions = record.actions();
    let name = |a: &Action| {
        record
            .pupil(a.pupil)
            .map_or(String::new(), |p| p.name.to_lowercase())
    };
    let due = |x: &Action, y: &Action| x.due.cmp(&y.due).then(x.raised.cmp(&y.raised));
    match by {
        SortBy::Due => order::sort_by(positions, |&x, &y| due(&actions[x], &actions[y])),
        SortBy::Pupil => {
            order::sort_by_key(positions, |&at| (name(&actions[at]), actions[at].due, at))
        }
        SortBy::Owner => order::sort_by_key(positions, |&at| {
            (actions[at].owner.to_lowercase(), actions[at].due, at)
        }),
        SortBy::Status => order::sort_by(positions, |&x, &y| {
            status_rank(actions[x].status)
                .cmp(&status_rank(actions[y].status))
                .then_with(|| due(&actions[x], &actions[y]))
        }),
        SortBy::LastUpdate => order::sort_by(positions, |&x, &y| {
            actions[y].last_update.at.cmp(&actions[x].last_update.at)
        }),
    }
}

fn status_rank(status: Status) -> usize {
    Status::ALL.iter().position(|s| *s == status).unwrap_or(0)
}

/// The school week a date falls in, Monday to Friday; at a weekend, the coming week.
pub fn school_week(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let monday = match today.weekday() {
        Weekday::Sat => today + Days::new(2),
        Weekday::Sun => today + Days::new(1),
        day => today - Days::new(u64::from(day.num_days_from_monday())),
    };
    (monday, monday + Days::new(4))
}

/// A live row with no update for [`STALE_AFTER_DAYS`] days or more.
pub fn is_stale(action: &Action, today: NaiveDate) -> bool {
    action.status.is_live()
        && (today - action.last_update.at.date_naive()).num_days() >= STALE_AFTER_DAYS
}

/// The weekly review: each list holds positions of live actions, soonest due first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WeeklyReview {
    pub overdue: Vec<usize>,
    /// Due from today to the end of this school week (and not already overdue).
    pub due_this_week: Vec<usize>,
    pub waiting: Vec<usize>,
    pub escalated: Vec<usize>,
    pub stale: Vec<usize>,
}

/// What the weekly review shows, as of `today`.
pub fn weekly_review(record: &Record, today: NaiveDate) -> WeeklyReview {
    let (_, friday) = school_week(today);
    let mut review = WeeklyReview::default();
    for (at, a) in record.actions().iter().enumerate() {
        if !a.status.is_live() {
            continue;
        }
        if a.is_overdue(today) {
            review.overdue.push(at);
        } else if a.due <= friday {
            review.due_this_week.push(at);
        }
        if a.status == Status::Waiting {
            review.waiting.push(at);
        }
        if a.escalate {
            review.escalated.push(at);
        }
        if is_stale(a, today) {
            review.stale.push(at);
        }
    }
    for list in [
        &mut review.overdue,
        &mut review.due_this_week,
        &mut review.waiting,
        &mut review.escalated,
        &mut review.stale,
    ] {
        sort(record, list, SortBy::Due);
    }
    review
}

/// One event in a pupil's history.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Event<'a> {
    Meeting(&'a Meeting),
    /// A closed action, on the day it was last updated (when it was closed).
    Closed(&'a Action),
}

impl Event<'_> {
    pub fn date(&self) -> NaiveDate {
        match self {
            Event::Meeting(m) => m.date,
            Event::Closed(a) => a.last_update.at.date_naive(),
        }
    }
}

/// A pupil's chronology: meetings and closed actions, oldest first.
pub fn chronology(record: &Record, pupil: PupilId) -> Vec<Event<'_>> {
    let mut events: Vec<Event> = record
        .meetings()
        .iter()
        .filter(|m| m.pupil == pupil)
        .map(Event::Meeting)
        .chain(
            record
                .actions()
                .iter()
                .filter(|a| a.pupil == pupil && !a.status.is_live())
                .map(Event::Closed),
        )
        .collect();
    super::order::sort_by(&mut events, |x, y| match x.date().cmp(&y.date()) {
        // On the same day, the meeting comes before what was closed at or after it.
        Ordering::Equal => matches!(y, Event::Meeting(_)).cmp(&matches!(x, Event::Meeting(_))),
        other => other,
    });
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Edit, NewMeeting, NewPupil, Undo};
    use crate::{ActionDraft, MeetingType, SendStatus};
    use chrono::{DateTime, TimeZone, Utc};

    /// Thursday 23 April 2026.
    fn today() -> NaiveDate {
        day(23)
    }
    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 4, d).unwrap()
    }
    fn at(d: u32) -> DateTime<Utc> {
        Utc.from_utc_datetime(&day(d).and_hms_opt(9, 0, 0).unwrap())
    }

    struct School {
        record: Record,
        zoe: PupilId,
        ben: PupilId,
    }

    fn pupil(record: &mut Record, name: &str, year_group: YearGroup) -> PupilId {
        let new = NewPupil {
            name: name.into(),
            year_group,
            send_status: SendStatus::SenSupport,
            annual_review: None,
        };
        record.add_pupil(new, at(1)).unwrap().0
    }

    /// Adds an action raised on `raised`, due on `due`, then sets its status on `raised`.
    fn act(
        s: &mut School,
        pupil: PupilId,
        step: &str,
        owner: &str,
        due: u32,
        status: Status,
    ) -> usize {
        let draft = ActionDraft {
            pupil: Some(pupil),
            raised: Some(day(1)),
            next_step: step.into(),
            owner: owner.into(),
            due: Some(day(due)),
            item_type: Some(ItemType::FollowUp),
            ..ActionDraft::default()
        };
        let (id, _) = s.record.add_action(&draft, day(1), at(1)).unwrap();
        s.record
            .edit_action(id, &[Edit::Status(status)], None, at(20))
            .unwrap();
        s.record.actions().len() - 1
    }

    fn school() -> School {
        let mut record = Record::default();
        let zoe = pupil(&mut record, "Zoë Brown", YearGroup::Year4);
        let ben = pupil(&mut record, "Ben O'Neil", YearGroup::Year9);
        School { record, zoe, ben }
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
            text: "Zoë reading = 50%".into(),
            sort: SortBy::Owner,
        };
        let query = filter.to_query();
        assert!(!query.contains(' ') && !query.contains('#'), "{query}");
        assert_eq!(Filter::from_query(&query, Scope::Archive), filter);
        assert_eq!(Filter::default().to_query(), "");
        assert_eq!(Filter::from_query("", Scope::Live), Filter::default());
        assert_eq!(
            Filter::from_query(
                "?status=nonsense&year=year_99&pupil=x&sort=up&colour=red",
                Scope::Live
            ),
            Filter::default(),
            "anything not understood is left open"
        );
    }

    #[test]
    fn the_school_week_runs_monday_to_friday() {
        assert_eq!(school_week(day(23)), (day(20), day(24)));
        assert_eq!(school_week(day(20)), (day(20), day(24)));
        // At the weekend, the coming week.
        assert_eq!(
            school_week(day(25)),
            (day(27), NaiveDate::from_ymd_opt(2026, 5, 1).unwrap())
        );
        assert_eq!(
            school_week(day(26)),
            (day(27), NaiveDate::from_ymd_opt(2026, 5, 1).unwrap())
        );
    }

    #[test]
    fn the_weekly_review_sorts_live_rows_into_its_five_questions() {
        let mut s = school();
        let (zoe, ben) = (s.zoe, s.ben);
        let late = act(
            &mut s,
            zoe,
            "Send the sleep diary",
            "Parent",
            21,
            Status::Open,
        );
        let today_due = act(
            &mut s,
            zoe,
            "Call the parent",
            "SENCO",
            23,
            Status::InProgress,
        );
        let friday = act(
            &mut s,
            ben,
            "Send the referral",
            "SENCO",
            24,
            Status::Waiting,
        );
        let next_week = act(&mut s, ben, "Review the plan", "SENCO", 28, Status::Open);
        let closed_late = act(&mut s, ben, "Share the report", "Parent", 2, Status::Done);
        let id = s.record.actions()[next_week].id;
        s.record
            .edit_action(id, &[Edit::Escalate(true)], None, at(20))
            .unwrap();

        let review = weekly_review(&s.record, today());
        assert_eq!(review.overdue, vec![late]);
        assert_eq!(review.due_this_week, vec![today_due, friday]);
        assert_eq!(review.waiting, vec![friday]);
        assert_eq!(review.escalated, vec![next_week]);
        assert!(review.stale.is_empty());
        assert!(
            !review.overdue.contains(&closed_late),
            "closed rows are never overdue"
        );
    }

    #[test]
    fn a_live_row_with_no_update_for_28_days_is_stale() {
        let mut s = school();
        let zoe = s.zoe;
        let row = act(
            &mut s,
            zoe,
            "Check the reading log",
            "Class teacher",
            30,
            Status::Open,
        );
        let updated = s.record.actions()[row].last_update.at.date_naive();
        assert!(!is_stale(&s.record.actions()[row], updated + Days::new(27)));
        assert!(is_stale(&s.record.actions()[row], updated + Days::new(28)));
        let later = updated + Days::new(40);
        assert_eq!(weekly_review(&s.record, later).stale, vec![row]);
        let id = s.record.actions()[row].id;
        s.record
            .edit_action(id, &[Edit::Status(Status::Parked)], None, at(22))
            .unwrap();
        assert!(
            weekly_review(&s.record, later).stale.is_empty(),
            "a parked row is not stale"
        );
    }

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
    fn a_pupils_chronology_has_meetings_and_closed_actions_in_date_order() {
        let mut s = school();
        let zoe = s.zoe;
        let meeting = |record: &mut Record, d: u32| {
            let new = NewMeeting {
                pupil: zoe,
                date: day(d),
                meeting_type: MeetingType::AnnualReview,
                attendees: vec![],
                summary: String::new(),
            };
            record.start_meeting(new, at(d)).unwrap().0
        };
        let first = meeting(&mut s.record, 2);
        let done = act(&mut s, zoe, "Share the report", "Parent", 10, Status::Done);
        let _live = act(
            &mut s,
            zoe,
            "Reduce written work",
            "Class teacher",
            30,
            Status::Open,
        );
        let second = meeting(&mut s.record, 20);
        let events = chronology(&s.record, zoe);
        let shape: Vec<String> = events
            .iter()
            .map(|e| match e {
                Event::Meeting(m) => format!("meeting {}", m.date),
                Event::Closed(a) => format!("closed {}", a.next_step),
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                "meeting 2026-04-02",
                "meeting 2026-04-20",
                "closed Share the report"
            ]
        );
        assert!(matches!(events[0], Event::Meeting(m) if m.id == first));
        assert!(matches!(events[1], Event::Meeting(m) if m.id == second));
        assert!(matches!(events[2], Event::Closed(a) if a.id == s.record.actions()[done].id));
    }

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
