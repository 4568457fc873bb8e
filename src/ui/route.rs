//! Which screen is showing, kept in the address (`#/meeting/<id>`), so back and forward work,
//! a reload keeps the screen, and a screen can be bookmarked.

use crate::core::MeetingId;
use leptos::prelude::*;

/// A screen of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// Start a meeting, add a stand-alone action, see the actions.
    Home,
    /// A meeting in progress: check earlier actions, agree new ones, keep working notes.
    Meeting(MeetingId),
    /// What a meeting agreed, to read back before everyone leaves.
    Agreed(MeetingId),
}

impl Route {
    /// Reads the address's fragment; anything unknown is the home screen.
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_matches('/');
        let parts: Vec<&str> = path.split('/').collect();
        match parts.as_slice() {
            ["meeting", id] => MeetingId::parse(id).map_or(Route::Home, Route::Meeting),
            ["meeting", id, "agreed"] => MeetingId::parse(id).map_or(Route::Home, Route::Agreed),
            _ => Route::Home,
        }
    }

    /// The address of this screen, for a link.
    pub fn href(self) -> String {
        match self {
            Route::Home => "#/".into(),
            Route::Meeting(id) => format!("#/meeting/{id}"),
            Route::Agreed(id) => format!("#/meeting/{id}/agreed"),
        }
    }

    /// Shows this screen, as a new entry in the browser's history.
    pub fn go(self) {
        if let Some(window) = web_sys::window() {
            let _ = window.location().set_hash(&self.href());
        }
    }
}

/// The current screen, following the address as it changes.
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
