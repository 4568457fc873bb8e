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

/// Calls `near` when the element of `target` comes into view, or within `margin` pixels of it,
/// while the calling component is drawn (a list's "Show more", so that scrolling to the end of
/// what is drawn draws the next lines). Each time `again` changes (what `near` drew), the
/// element is looked at afresh, so that one still in view asks again until the screen is full.
/// Where the browser has no IntersectionObserver, the element is simply there to be tapped.
pub fn when_near<E>(
    target: NodeRef<E>,
    margin: u32,
    again: impl Fn() + 'static,
    near: impl Fn() + 'static,
) where
    E: leptos::html::ElementType,
    E::Output: JsCast + Clone + 'static,
{
    let seen = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
        let entering = entries.iter().any(|entry| {
            entry
                .dyn_into::<web_sys::IntersectionObserverEntry>()
                .is_ok_and(|e| e.is_intersecting())
        });
        if entering {
            near();
        }
    });
    let options = web_sys::IntersectionObserverInit::new();
    options.set_root_margin(&format!("{margin}px"));
    let Ok(observer) =
        web_sys::IntersectionObserver::new_with_options(seen.as_ref().unchecked_ref(), &options)
    else {
        return;
    };
    let watched = observer.clone();
    // The element comes and goes (the button is drawn only while there is more): each one
    // drawn is watched, and the observer stops with the component.
    Effect::new(move |_| {
        again();
        watched.disconnect();
        if let Some(element) = target.get() {
            watched.observe(element.unchecked_ref());
        }
    });
    let held = send_wrapper::SendWrapper::new((observer, seen));
    on_cleanup(move || held.0.disconnect());
}
