//! The screens: Leptos components that read signals and call the core. No business rule lives
//! here; a screen turns taps and typing into core operations and shows what the core says.

mod action_card;
mod action_form;
mod action_table;
mod agreed;
mod annual_review;
mod backup;
mod bulk;
mod drafts;
mod edit_action;
mod files;
mod form_state;
mod home;
mod import_columns;
mod import_file;
mod import_preview;
mod install_steps;
mod installed;
mod key_adults;
mod meeting;
mod one_writer;
mod passphrase;
mod pupil;
mod pupil_picker;
mod pupils;
mod remove_pupil;
mod retention;
mod review;
mod route;
mod sealing;
mod settings;
mod share;
mod state;
mod stopped;
mod table_line;
mod tracker;
mod viewport;
mod welcome;
mod widgets;
mod workbook;

use crate::core::query::{Filter, Scope};
use crate::store::Store;
use leptos::prelude::*;
use leptos::task::{spawn_local, spawn_local_scoped};
use route::{Route, Screen};
pub use state::{AppState, History, Saving};

/// Mounts the app in the page's body.
pub fn mount() {
    stopped::catch_panics();
    leptos::mount::mount_to_body(App);
}

/// Where start-up has got to.
#[derive(Clone)]
enum Opening {
    Loading,
    /// The open record's state (also provided as context to every component beneath the
    /// app). Boxed: the state is a few dozen handles, the other variants a word or two.
    Ready(Box<AppState>),
    /// Why, and the database if it opened (so that what is stored can still be taken off).
    Failed(String, Option<Store>),
}

#[component]
fn App() -> impl IntoView {
    let opening = RwSignal::new_local(Opening::Loading);
    provide_context(installed::Installation::start());
    provide_context(viewport::Wide::start());
    // Scoped to the app's owner, so that the state provided below, once the record is open,
    // reaches every component drawn beneath the app.
    spawn_local_scoped(async move {
        spawn_local(async {
            crate::store::device::request_persistence().await;
        });
        // The lock is asked for and the record read at the same time: a tab that may not
        // write reads it too.
        let claimed = one_writer::claim();
        files::time_from("sendlog:load");
        let opened = match Store::open().await {
            Ok(store) => match store.load().await {
                Ok(record) => Ok((record, store)),
                Err(problem) => Err((problem, Some(store))),
            },
            Err(problem) => Err((problem, None)),
        };
        files::time_to("sendlog:load");
        let here = claimed.await;
        if !here {
            one_writer::reload_when_free();
        }
        opening.set(match opened {
            Ok((record, store)) => {
                let state = AppState::new(record, store);
                state.peek(|r| crate::store::device::forget_strays(r, AppState::today()));
                state.elsewhere.set(!here);
                state.read_earlier_history();
                provide_context(state);
                Opening::Ready(Box::new(state))
            }
            Err((problem, store)) => Opening::Failed(problem.to_string(), store),
        });
    });
    let address = route::Address::follow();
    let route = address.route();
    let screen = Memo::new(move |_| route.with(Route::screen));
    // A new screen starts at its top, with focus on it, as a new page would.
    let main = NodeRef::<leptos::html::Main>::new();
    Effect::new(move |previous: Option<Screen>| {
        let now = screen.get();
        if previous.is_some_and(|before| before != now) {
            if let Some(main) = main.get_untracked() {
                let _ = main.focus();
                main.set_scroll_top(0);
            }
        }
        now
    });
    // The open record's state, once it is open.
    let open = move || match opening.get() {
        Opening::Ready(state) => Some(*state),
        _ => None,
    };
    view! {
        <header class="app-header">
            <h1><a href=Route::Home.href()>"SEND Log"</a></h1>
            {move || open().map(|_| view! { <SavedBadge /> })}
            <Navigation screen />
        </header>
        // The screen scrolls on its own, between the header and the foot, so that nothing at
        // the foot ever lies over it.
        <main id="main" tabindex="-1" node_ref=main>
            <div class="page">
                {move || open().map(|state| view! {
                    <installed::UpdateOffer />
                    <Show when=move || state.elsewhere.get()>
                        <p class="notice warning-notice" role="status">
                            <strong>"Open in another tab or window. "</strong>
                            "You can read the record here, but changes are made in one place at a time. Close the other one and this one takes over."
                        </p>
                    </Show>
                    <stopped::Rescued />
                    {move || match state.history.get() {
                        History::Failed(problem) => Some(view! { <p class="notice error" role="alert">{problem}</p> }),
                        _ => None,
                    }}
                })}
                {move || match opening.get() {
                    Opening::Loading => view! { <p class="notice">"Opening your record…"</p> }.into_any(),
                    Opening::Failed(message, store) => view! {
                        <installed::UpdateOffer />
                        <div class="notice error" role="alert">
                            <h2>"The record could not be opened"</h2>
                            <p>{message}</p>
                        </div>
                        {store.map(|store| view! { <stopped::DownloadStored store /> })}
                    }
                    .into_any(),
                    Opening::Ready(_) => match screen.get() {
                        Screen::Home => view! { <home::HomeScreen /> }.into_any(),
                        Screen::Meeting(id) => view! { <meeting::MeetingScreen id /> }.into_any(),
                        Screen::Agreed(id) => view! { <agreed::AgreedScreen id /> }.into_any(),
                        Screen::Tracker => view! { <tracker::TrackerScreen address scope=Scope::Live /> }.into_any(),
                        Screen::Archive => view! { <tracker::TrackerScreen address scope=Scope::Archive /> }.into_any(),
                        Screen::Review => view! { <review::ReviewScreen /> }.into_any(),
                        Screen::Pupil(id) => view! { <pupil::PupilScreen id /> }.into_any(),
                        Screen::Pupils => view! { <pupils::PupilsScreen /> }.into_any(),
                        Screen::Settings => view! { <settings::SettingsScreen /> }.into_any(),
                        Screen::Share => view! { <share::ShareScreen /> }.into_any(),
                    },
                }}
            </div>
        </main>
        // The last change with its Undo, and the bulk change while rows are ticked: beneath the
        // screen, in view wherever it is scrolled to.
        {move || open().map(|state| view! {
            <div class="foot">
                <LastChange screen />
                <bulk::BulkChange selected=state.ticked />
            </div>
        })}
    }
}

/// Shows whether every change is stored on this device. After a failed write, a bar at the
/// foot of the screen (seen wherever the person is on the page) says what happened, with a
/// button that writes again what it left out.
#[component]
fn SavedBadge() -> impl IntoView {
    let state = AppState::get();
    let failure = move || match state.saving.get() {
        Saving::Failed(message) => Some(message),
        _ => None,
    };
    view! {
        <p class="saved" role="status" aria-live="polite"
            class:failed=move || failure().is_some()>
            {move || match state.saving.get() {
                Saving::Saved => "✓ Saved on this device",
                Saving::Writing => "Saving…",
                Saving::Failed(_) => "Not saved on this device",
            }}
        </p>
        <Show when=move || failure().is_some()>
            <div class="save-failed" role="alert">
                <p>{failure}</p>
                <button type="button" on:click=move |_| state.save_again()>"Try again"</button>
            </div>
        </Show>
    }
}

/// The main screens, always one tap away; during a meeting, one deliberate step away, since
/// every other screen shows other pupils and a parent may be looking on.
#[component]
fn Navigation(screen: Memo<Screen>) -> impl IntoView {
    let links = [
        (Route::Home, Screen::Home, "Home"),
        (
            Route::Tracker(Filter::default()),
            Screen::Tracker,
            "Tracker",
        ),
        (Route::Review, Screen::Review, "Weekly review"),
        (Route::Pupils, Screen::Pupils, "Pupils"),
        (
            Route::Archive(Filter {
                scope: Scope::Archive,
                ..Filter::default()
            }),
            Screen::Archive,
            "Archive",
        ),
        (Route::Share, Screen::Share, "Import and export"),
        (Route::Settings, Screen::Settings, "Settings"),
    ];
    let in_meeting = Memo::new(move |_| screen.get().in_meeting());
    let leaving = RwSignal::new(false);
    // Asked again in every meeting.
    Effect::new(move |_| {
        in_meeting.track();
        leaving.set(false);
    });
    let all = move || {
        links
            .clone()
            .into_iter()
            .map(|(route, here, label)| view! {
                <a href=route.href() aria-current=move || (screen.get().in_menu() == here).then_some("page")>{label}</a>
            })
            .collect_view()
    };
    view! {
        <nav class="main-nav" aria-label="Main">
            <Show when=move || in_meeting.get() fallback=all>
                <Show when=move || leaving.get() fallback=move || view! {
                    <button type="button" class="leave" on:click=move |_| leaving.set(true)>"Leave the meeting…"</button>
                }>
                    <p class="leave-note" role="status">"The other screens show other pupils. Leave the meeting?"</p>
                    <button type="button" class="leave" on:click=move |_| Route::Home.go()>"Leave the meeting"</button>
                    <button type="button" class="leave" on:click=move |_| leaving.set(false)>"Stay in the meeting"</button>
                </Show>
            </Show>
        </nav>
    }
}

/// What the last change did, and the button that takes it back. Both belong to the screen the
/// change was made on (a meeting and its read-back are one place): on any other screen neither
/// shows, so a meeting with a parent looking on never shows another pupil's change, and Undo
/// there cannot take back a change made elsewhere.
#[component]
fn LastChange(screen: Memo<Screen>) -> impl IntoView {
    let state = AppState::get();
    let made_on = RwSignal::new(None::<Screen>);
    Effect::new(move |_| {
        state.last_change.track();
        state.announcement.track();
        made_on.set(Some(screen.get_untracked()));
    });
    let here = move || {
        made_on
            .get()
            .is_some_and(|made| made.same_place(screen.get()))
    };
    // What was done with nothing left to undo (records removed, then Home) is said on the
    // screen it leads to as well, but never in a meeting it was not made in.
    let said =
        move || here() || state.last_change.with(Option::is_none) && !screen.get().in_meeting();
    view! {
        <div class="last-change">
            <p role="status" aria-live="polite">{move || if said() { state.announcement.get() } else { String::new() }}</p>
            <Show when=move || here() && state.last_change.with(Option::is_some)>
                <button type="button" class="secondary" on:click=move |_| state.undo()>
                    {move || state.last_change.with(|c| c.as_ref().map(|c| format!("Undo: {}", c.label.trim_end_matches('.'))))}
                </button>
            </Show>
        </div>
    }
}
