//! The app as an installed, offline app: registers the service worker (sw.js, made by the
//! build), offers a new version when one is ready — never reloading by itself, and only once
//! every change is saved — keeps the browser's offer to install the app for the Settings
//! screen, and fetches the app's files again when asked (for an app that misbehaves after an
//! update).

use super::files;
use super::state::{AppState, Saving};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState,
};

/// What the browser says about installing and updating the app.
#[derive(Clone, Copy)]
pub struct Installation {
    /// A new version is installed and waiting for the person to take it.
    pub update_ready: RwSignal<bool>,
    /// The browser has offered to install the app (Chrome, Edge, Android).
    pub can_install: RwSignal<bool>,
    /// Running from the home screen, as an installed app.
    pub installed: bool,
    /// iPad or iPhone Safari, which installs only through Share → Add to Home Screen.
    pub apple: bool,
    /// The kind of device and browser, for the steps of installing shown first.
    pub browser: Browser,
    registration: StoredValue<Option<ServiceWorkerRegistration>, LocalStorage>,
    install_offer: StoredValue<Option<web_sys::Event>, LocalStorage>,
    asked_to_update: RwSignal<bool>,
    /// The open record, once it is open ([`UpdateOffer`] is shown with it): updating and
    /// reloading the app's files wait until every change in it is stored.
    record: StoredValue<Option<AppState>, LocalStorage>,
}

/// The device and browser in hand, as far as installing goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Browser {
    /// iPad or iPhone: Safari (and every browser there) installs through Share → Add to Home
    /// Screen.
    Apple,
    /// An Android tablet or phone: Chrome's menu, or its own offer.
    Android,
    /// Firefox on a computer, which does not install web apps.
    Firefox,
    /// Chrome or Edge on a computer.
    Computer,
}

/// Why the app's files cannot be fetched again just now.
const NEEDS_THE_NETWORK: &str = "Reloading the app's files needs the network, and SEND Log cannot \
    reach it from this device just now. Nothing was changed: connect to the internet or the \
    school's Wi-Fi, then try again. Until then SEND Log carries on as it is.";

impl Installation {
    /// The installation, from the context the app provides at start-up (see `App` in
    /// [`super`]); for a component's body, as [`AppState::get`] is.
    pub fn get() -> Installation {
        expect_context::<Installation>()
    }

    /// Registers the service worker and starts listening; call once, at start-up.
    pub fn start() -> Installation {
        let window = web_sys::window().expect("a browser window");
        let navigator = window.navigator();
        let standalone = window
            .match_media("(display-mode: standalone)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches())
            || js_sys::Reflect::get(&navigator, &"standalone".into())
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
        let agent = navigator.user_agent().unwrap_or_default();
        let apple = ["iPad", "iPhone", "iPod"].iter().any(|d| agent.contains(d))
            || (agent.contains("Macintosh") && navigator.max_touch_points() > 1);
        let browser = if apple {
            Browser::Apple
        } else if agent.contains("Android") {
            Browser::Android
        } else if agent.contains("Firefox") {
            Browser::Firefox
        } else {
            Browser::Computer
        };
        let installation = Installation {
            update_ready: RwSignal::new(false),
            can_install: RwSignal::new(false),
            installed: standalone,
            apple,
            browser,
            registration: StoredValue::new_local(None),
            install_offer: StoredValue::new_local(None),
            asked_to_update: RwSignal::new(false),
            record: StoredValue::new_local(None),
        };
        installation.catch_install_offer();
        installation.register();
        installation
    }

    fn catch_install_offer(self) {
        let offer = window_event_listener_untyped("beforeinstallprompt", move |event| {
            event.prevent_default();
            self.install_offer.set_value(Some(event));
            self.can_install.set(true);
        });
        let installed = window_event_listener_untyped("appinstalled", move |_| {
            self.can_install.set(false);
        });
        // Listeners for the life of the app.
        std::mem::forget((offer, installed));
    }

    fn register(self) {
        // A browser (or an http:// address) without service workers has no `serviceWorker`:
        // then the app simply works without one.
        let Some(container) = web_sys::window()
            .map(|w| w.navigator())
            .filter(|n| js_sys::Reflect::has(n, &"serviceWorker".into()).unwrap_or(false))
            .map(|n| n.service_worker())
        else {
            return;
        };
        spawn_local(async move {
            let Ok(registration) = JsFuture::from(container.register("./sw.js")).await else {
                return;
            };
            let Ok(registration) = registration.dyn_into::<ServiceWorkerRegistration>() else {
                return;
            };
            self.watch(&container, &registration);
            self.registration.set_value(Some(registration));
        });
    }

    /// Notices a new version waiting, now or later, and reloads once it has taken over — which
    /// happens only when the person asked for it.
    fn watch(self, container: &ServiceWorkerContainer, registration: &ServiceWorkerRegistration) {
        let waiting = {
            let (container, registration) = (container.clone(), registration.clone());
            move || registration.waiting().is_some() && container.controller().is_some()
        };
        self.update_ready.set(waiting());
        // One being installed is followed until it is: the one found now (the page's own
        // navigation may have started it already), and each found later.
        let follow = {
            let registration = registration.clone();
            move || {
                let Some(installing) = registration.installing() else {
                    return;
                };
                let worker = installing.clone();
                let waiting = waiting.clone();
                let changed = Closure::<dyn FnMut()>::new(move || {
                    if worker.state() == ServiceWorkerState::Installed && waiting() {
                        self.update_ready.set(true);
                    }
                });
                installing.set_onstatechange(Some(changed.as_ref().unchecked_ref()));
                changed.forget();
            }
        };
        follow();
        let found = Closure::<dyn FnMut()>::new(follow);
        registration.set_onupdatefound(Some(found.as_ref().unchecked_ref()));
        found.forget();
        let took_over = Closure::<dyn FnMut()>::new(move || {
            if self.asked_to_update.get_untracked() {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().reload();
                }
            }
        });
        container.set_oncontrollerchange(Some(took_over.as_ref().unchecked_ref()));
        took_over.forget();
        // Look for a new version whenever the app comes back to the screen.
        let registration = registration.clone();
        let visible = window_event_listener(leptos::ev::visibilitychange, move |_| {
            let shown = web_sys::window()
                .and_then(|w| w.document())
                .is_some_and(|d| !d.hidden());
            if shown {
                // Offline, the check fails: that is expected, and the app carries on.
                if let Ok(check) = registration.update() {
                    spawn_local(async move {
                        let _ = JsFuture::from(check).await;
                    });
                }
            }
        });
        std::mem::forget(visible);
    }

    /// The person asked for the new version: it takes over once every change is saved (at once
    /// when no record could be opened), and the page then reloads.
    pub fn update_when_saved(self) {
        self.asked_to_update.set(true);
        let record = self.record.get_value();
        Effect::new(move |_| {
            let ready = record.is_none_or(|state| {
                state.saving.track();
                state.elsewhere.track();
                nothing_to_lose(state)
            });
            if ready {
                if let Some(waiting) = self
                    .registration
                    .with_value(|r| r.as_ref().and_then(|r| r.waiting()))
                {
                    let _ = waiting.post_message(&JsValue::from_str("take-over"));
                }
            }
        });
    }

    /// Fetches the app's files again, for an app that misbehaves after an update: when the
    /// server can be reached and every change is stored, a new version on the server is taken
    /// at once; otherwise the service worker fetches every file of this version again, checks
    /// each, and replaces the ones it kept (deleting any other cache of the app's files); then
    /// the page reloads. What was kept is replaced only by a complete, checked set, so a
    /// network that fails part-way leaves the app as it was. The record (IndexedDB) and the
    /// notes in localStorage are never touched. Offline, changes nothing and says why.
    pub async fn reload_files(self) -> Result<(), String> {
        let window = web_sys::window().ok_or(NEEDS_THE_NETWORK)?;
        if !window.navigator().on_line() || !server_answers(&window).await {
            return Err(NEEDS_THE_NETWORK.into());
        }
        if let Some(state) = self.record.get_value() {
            while state.saving.get_untracked() == Saving::Writing {
                files::pause(100).await;
            }
            if !nothing_to_lose(state) {
                return Err(
                    "Not every change is stored on this device yet, and reloading now \
                    would lose it. Tap Try again at the foot of the screen; once the header \
                    says Saved, reload the app's files."
                        .into(),
                );
            }
        }
        let reload = || {
            window.location().reload().map_err(|_| {
                "The page could not be reloaded: close SEND Log and open it again.".to_string()
            })
        };
        // No service worker (not registered yet, or none in this browser): the page itself
        // comes from the server.
        let Some(registration) = self.registration.get_value() else {
            return reload();
        };
        if let Ok(check) = registration.update() {
            let _ = JsFuture::from(check).await;
        }
        while registration.installing().is_some() {
            files::pause(100).await;
        }
        if let Some(waiting) = registration.waiting() {
            // A new version, complete and checked: it takes over, and the page reloads.
            self.asked_to_update.set(true);
            let _ = waiting.post_message(&JsValue::from_str("take-over"));
            return Ok(());
        }
        if let Some(active) = registration.active() {
            refresh(&window, &active).await?;
        }
        reload()
    }

    /// Shows the browser's own install dialogue, where it offered one.
    pub fn install(self) {
        let Some(offer) = self.install_offer.with_value(Clone::clone) else {
            return;
        };
        let prompt = js_sys::Reflect::get(&offer, &"prompt".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        if let Some(prompt) = prompt {
            let _ = prompt.call0(&offer);
            self.install_offer.set_value(None);
            self.can_install.set(false);
        }
    }
}

/// Whether the page can be reloaded without losing anything: every change is stored, or, in a
/// tab that may not change the record, nothing is being written (what was typed there is kept
/// on the device, see [`super::one_writer`]). After a refused write, changes are only on screen.
fn nothing_to_lose(state: AppState) -> bool {
    match state.saving.get_untracked() {
        Saving::Saved => true,
        Saving::Writing => false,
        Saving::Failed(_) => state.elsewhere.get_untracked(),
    }
}

/// Whether the app's server answers now (the service worker's script is never kept, so this
/// asks the server itself).
async fn server_answers(window: &web_sys::Window) -> bool {
    let asked = window.fetch_with_str(&format!("./sw.js?reachable={}", files::now()));
    match JsFuture::from(asked).await {
        Ok(response) => js_sys::Reflect::get(&response, &"ok".into())
            .ok()
            .and_then(|ok| ok.as_bool())
            .unwrap_or(false),
        Err(_) => false,
    }
}

/// Has the service worker fetch this version's files again and replace the ones it keeps
/// (sw.js, "refresh-files"); the error says why it did not.
async fn refresh(window: &web_sys::Window, worker: &ServiceWorker) -> Result<(), String> {
    let container = window.navigator().service_worker();
    let mut settle = None;
    let answered = js_sys::Promise::new(&mut |resolve, _| settle = Some(resolve));
    let settle = settle.ok_or("The app's files could not be fetched again.")?;
    let listener = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        let data = js_sys::Reflect::get(&event, &"data".into()).unwrap_or_default();
        let about_this = js_sys::Reflect::get(&data, &"refreshed".into())
            .is_ok_and(|refreshed| !refreshed.is_undefined());
        if about_this {
            let _ = settle.call1(&JsValue::NULL, &data);
        }
    });
    let callback: &js_sys::Function = listener.as_ref().unchecked_ref();
    let _ = container.add_event_listener_with_callback("message", callback);
    // Fetching the app takes seconds; on a very slow network it is given two minutes.
    let gave_up = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 120_000);
    });
    let answer = match worker.post_message(&JsValue::from_str("refresh-files")) {
        Ok(()) => JsFuture::from(js_sys::Promise::race(&js_sys::Array::of2(
            &answered, &gave_up,
        )))
        .await
        .unwrap_or_default(),
        Err(_) => JsValue::UNDEFINED,
    };
    let _ = container.remove_event_listener_with_callback("message", callback);
    let field = |name: &str| js_sys::Reflect::get(&answer, &name.into()).unwrap_or_default();
    match field("refreshed").as_bool() {
        Some(true) => Ok(()),
        Some(false) => Err(format!(
            "The app's files could not all be fetched again ({}). Nothing was changed: SEND \
             Log carries on as it is. Try again later; if it happens again, the server may be \
             part-way through an update.",
            field("problem").as_string().unwrap_or_default()
        )),
        None => Err(
            "The app's files could not be fetched again: the download did not finish. \
             Nothing was changed: SEND Log carries on as it is. Try again with a better \
             connection."
                .into(),
        ),
    }
}

/// Offers a new version, never forcing it: it is taken when the person taps the button, once
/// every change in the open record (if one could be opened: then its state is in context) is
/// saved.
#[component]
pub fn UpdateOffer() -> impl IntoView {
    let installation = Installation::get();
    installation.record.set_value(use_context::<AppState>());
    let asked = RwSignal::new(false);
    view! {
        <Show when=move || installation.update_ready.get()>
            <div class="update-offer" role="status">
                <p>"A new version of SEND Log is ready."</p>
                <button type="button" class="primary" disabled=move || asked.get()
                    on:click=move |_| {
                        asked.set(true);
                        installation.update_when_saved();
                    }>
                    {move || if asked.get() { "Updating…" } else { "Reload to update" }}
                </button>
            </div>
        </Show>
    }
}
