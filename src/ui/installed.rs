//! The app as an installed, offline app: registers the service worker (sw.js, made by the
//! build), offers a new version when one is ready — never reloading by itself, and only once
//! every change is saved — and keeps the browser's offer to install the app for the Settings
//! screen.

use super::state::{AppState, Saving};
use super::widgets::{dynamic, show_when};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

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
    registration: StoredValue<Option<ServiceWorkerRegistration>, LocalStorage>,
    install_offer: StoredValue<Option<web_sys::Event>, LocalStorage>,
    asked_to_update: RwSignal<bool>,
}

impl Installation {
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
        let installation = Installation {
            update_ready: RwSignal::new(false),
            can_install: RwSignal::new(false),
            installed: standalone,
            apple,
            registration: StoredValue::new_local(None),
            install_offer: StoredValue::new_local(None),
            asked_to_update: RwSignal::new(false),
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
        let Some(container) = web_sys::window().map(|w| w.navigator().service_worker()) else {
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
        let found = {
            let registration = registration.clone();
            Closure::<dyn FnMut()>::new(move || {
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
            })
        };
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

    /// The person asked for the new version: it takes over once every change is saved, and the
    /// page then reloads.
    pub fn update_when_saved(self, state: AppState) {
        self.asked_to_update.set(true);
        Effect::new(move |_| {
            if state.saving.get() == Saving::Saved {
                if let Some(waiting) = self
                    .registration
                    .with_value(|r| r.as_ref().and_then(|r| r.waiting()))
                {
                    let _ = waiting.post_message(&JsValue::from_str("take-over"));
                }
            }
        });
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

/// Offers a new version, never forcing it: it is taken when the person taps the button.
#[component]
pub fn UpdateOffer(state: AppState, installation: Installation) -> impl IntoView {
    let asked = RwSignal::new(false);
    view! {
        {show_when(move || installation.update_ready.get(), move || view! {
            <div class="update-offer" role="status">
                <p>"A new version of SEND Log is ready."</p>
                <button type="button" class="primary" disabled=move || asked.get()
                    on:click=move |_| {
                        asked.set(true);
                        installation.update_when_saved(state);
                    }>
                    {dynamic(move || (if asked.get() { "Updating…" } else { "Reload to update" }).into_any())}
                </button>
            </div>
        }.into_any())}
    }
}
