//! How much room the screen gives: whether lists are drawn as a table (a tablet either way up)
//! or as cards (a phone), followed as the window changes.

use leptos::prelude::*;
use leptos::wasm_bindgen::{closure::Closure, JsCast};

/// The narrowest window that draws the tracker's lists as a table. The style sheet's
/// `@media (min-width: 700px)` rules (style/main.css) lay out the same width.
const TABLE_FROM: &str = "(min-width: 700px)";

/// Whether the window is wide enough for a table, as a signal the app provides once.
#[derive(Clone, Copy)]
pub struct Wide(pub ReadSignal<bool>);

impl Wide {
    /// Starts following the window's width; call once, at start-up.
    pub fn start() -> Wide {
        let list = web_sys::window().and_then(|w| w.match_media(TABLE_FROM).ok().flatten());
        let (wide, set_wide) = signal(list.as_ref().is_some_and(|l| l.matches()));
        if let Some(list) = list {
            let watched = list.clone();
            let changed = Closure::<dyn Fn()>::new(move || set_wide.set(watched.matches()));
            // Held for the life of the page: the app follows the width until it closes.
            let _ =
                list.add_event_listener_with_callback("change", changed.as_ref().unchecked_ref());
            changed.forget();
        }
        Wide(wide)
    }

    /// The window's answer, for a component's body (false where none was provided).
    pub fn get() -> bool {
        use_context::<Wide>().is_some_and(|w| w.0.get())
    }
}
