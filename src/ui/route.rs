//! Which screen is showing, and the tracker's filter, kept in the address
//! (`#/tracker?owner=SENCO&status=waiting`), so back and forward work, a reload keeps the view,
//! and a view can be bookmarked.

use crate::core::query::{Filter, Scope};
use crate::core::{MeetingId, PupilId};
use leptos::prelude::*;

/// A screen of the app, with what it shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// Start a meeting, add a stand-alone action, see the newest actions.
    Home,
    /// A meeting in progress: check earlier actions, agree new ones, keep working notes.
    Meeting(MeetingId),
    /// What a meeting agreed, to read back before everyone leaves.
    Agreed(MeetingId),
    /// Every live action, filtered.
    Tracker(Filter),
    /// Done and parked actions, filtered.
    Archive(Filter),
    /// Overdue, due this week, waiting, escalated, stale.
    Review,
    /// One pupil: live actions, then the chronology.
    Pupil(PupilId),
    /// Every pupil, found by name.
    Pupils,
    /// Installing the app, and storage on this device.
    Settings,
    /// Export the record as JSON or CSV, and import a file.
    Share,
}

/// Which screen, without what it shows: changes only when the screen itself changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Home,
    Meeting(MeetingId),
    Agreed(MeetingId),
    Tracker,
    Archive,
    Review,
    Pupil(PupilId),
    Pupils,
    Settings,
    Share,
}

impl Screen {
    /// The screen of the menu it belongs to: a pupil's page is one of Pupils.
    pub fn in_menu(self) -> Screen {
        match self {
            Screen::Pupil(_) => Screen::Pupils,
            screen => screen,
        }
    }

    /// Whether it is a meeting or its read-back, where a parent may be looking at the screen.
    pub fn in_meeting(self) -> bool {
        matches!(self, Screen::Meeting(_) | Screen::Agreed(_))
    }

    /// Whether two screens are one place, as far as a change made on one goes: a meeting and
    /// its read-back are.
    pub fn same_place(self, other: Screen) -> bool {
        match (self, other) {
            (Screen::Meeting(a) | Screen::Agreed(a), Screen::Meeting(b) | Screen::Agreed(b)) => {
                a == b
            }
            _ => self == other,
        }
    }
}

impl Route {
    /// Reads the address's fragment; anything unknown is the home screen.
    pub fn parse(hash: &str) -> Route {
        let hash = hash.trim_start_matches('#');
        let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        match parts.as_slice() {
            ["meeting", id] => MeetingId::parse(id).map_or(Route::Home, Route::Meeting),
            ["meeting", id, "agreed"] => MeetingId::parse(id).map_or(Route::Home, Route::Agreed),
            ["tracker"] => Route::Tracker(Filter::from_query(query, Scope::Live)),
            ["archive"] => Route::Archive(Filter::from_query(query, Scope::Archive)),
            ["review"] => Route::Review,
            ["pupil", id] => PupilId::parse(id).map_or(Route::Home, Route::Pupil),
            ["pupils"] => Route::Pupils,
            ["settings"] => Route::Settings,
            ["share"] => Route::Share,
            _ => Route::Home,
        }
    }

    /// The address of this screen, for a link.
    pub fn href(&self) -> String {
        let with_query = |path: &str, filter: &Filter| {
            let query = filter.to_query();
            if query.is_empty() {
                format!("#/{path}")
            } else {
                format!("#/{path}?{query}")
            }
        };
        match self {
            Route::Home => "#/".into(),
            Route::Meeting(id) => format!("#/meeting/{id}"),
            Route::Agreed(id) => format!("#/meeting/{id}/agreed"),
            Route::Tracker(filter) => with_query("tracker", filter),
            Route::Archive(filter) => with_query("archive", filter),
            Route::Review => "#/review".into(),
            Route::Pupil(id) => format!("#/pupil/{id}"),
            Route::Pupils => "#/pupils".into(),
            Route::Settings => "#/settings".into(),
            Route::Share => "#/share".into(),
        }
    }

    pub fn screen(&self) -> Screen {
        match self {
            Route::Home => Screen::Home,
            Route::Meeting(id) => Screen::Meeting(*id),
            Route::Agreed(id) => Screen::Agreed(*id),
            Route::Tracker(_) => Screen::Tracker,
            Route::Archive(_) => Screen::Archive,
            Route::Review => Screen::Review,
            Route::Pupil(id) => Screen::Pupil(*id),
            Route::Pupils => Screen::Pupils,
            Route::Settings => Screen::Settings,
            Route::Share => Screen::Share,
        }
    }

    /// The filter this screen shows, if it has one.
    pub fn filter(&self) -> Option<&Filter> {
        match self {
            Route::Tracker(filter) | Route::Archive(filter) => Some(filter),
            _ => None,
        }
    }

    /// Shows this screen, as a new entry in the browser's history.
    pub fn go(&self) {
        if let Some(window) = web_sys::window() {
            let _ = window.location().set_hash(&self.href());
        }
    }

    /// Shows this screen in place of the current entry (for typing in a search box).
    pub fn replace(&self) {
        if let Some(window) = web_sys::window() {
            let location = window.location();
            let here = location.href().unwrap_or_default();
            let base = here.split('#').next().unwrap_or_default();
            let _ = location.replace(&format!("{base}{}", self.href()));
        }
    }
}

/// The current route, following the address as it changes.
pub fn current_route() -> ReadSignal<Route> {
    let read = || {
        web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .map(|hash| Route::parse(&hash))
            .unwrap_or(Route::Home)
    };
    let (route, set_route) = signal(read());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| set_route.set(read()));
    on_cleanup(move || handle.remove());
    route
}
