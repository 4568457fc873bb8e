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
}

/// How long the address waits for typing to pause before it takes what was typed.
const TYPING_PAUSE: std::time::Duration = std::time::Duration::from_millis(400);

/// The screen showing, which follows the address, and which a search box changes at once; the
/// address takes a search once typing pauses (or the box is left, or the page hidden), since
/// writing the address takes a tablet several milliseconds, too long to do for every key.
#[derive(Clone, Copy)]
pub struct Address {
    route: RwSignal<Route>,
    pending: StoredValue<Option<TimeoutHandle>>,
}

impl Address {
    /// The screen the address shows, from now on following it as it changes.
    pub fn follow() -> Address {
        let route = RwSignal::new(Self::read());
        let address = Address {
            route,
            pending: StoredValue::new(None),
        };
        // Another screen chosen by Back or Forward: a search still waiting for a pause is not
        // written over it. (A tap on a link leaves the search box first, which settles it.)
        let changed = window_event_listener(leptos::ev::hashchange, move |_| {
            address.take_pending();
            route.set(Self::read());
        });
        // A tablet may put a hidden page away: the address has what was typed by then.
        let leaving = window_event_listener(leptos::ev::visibilitychange, move |_| {
            if document().hidden() {
                address.settle();
            }
        });
        on_cleanup(move || {
            changed.remove();
            leaving.remove();
        });
        address
    }

    pub fn route(&self) -> ReadSignal<Route> {
        self.route.read_only()
    }

    /// Shows `route` in place of the current one, as a search box does while typing: the
    /// browser's history gets no entry of its own for it.
    pub fn replace(&self, route: Route) {
        self.route.set(route);
        let address = *self;
        let handle = set_timeout_with_handle(move || address.settle(), TYPING_PAUSE).ok();
        if let Some(Some(before)) = self
            .pending
            .try_update_value(|p| std::mem::replace(p, handle))
        {
            before.clear();
        }
    }

    /// Writes a route still waiting for a pause into the address now, in place of its entry
    /// (as the search box is left, or the page hidden).
    pub fn settle(&self) {
        if !self.take_pending() {
            return;
        }
        let shown = self.route.get_untracked();
        if shown != Self::read() {
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ = history.replace_state_with_url(
                    &leptos::wasm_bindgen::JsValue::NULL,
                    "",
                    Some(&shown.href()),
                );
            }
        }
    }

    /// Forgets a write waiting for a pause; whether there was one.
    fn take_pending(&self) -> bool {
        match self.pending.try_update_value(Option::take) {
            Some(Some(handle)) => {
                handle.clear();
                true
            }
            _ => false,
        }
    }

    fn read() -> Route {
        web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .map(|hash| Route::parse(&hash))
            .unwrap_or(Route::Home)
    }
}
