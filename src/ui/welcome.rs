//! The first run: an empty device says what SEND Log is for, offers the example record to try
//! it with, and says how to bring back a school's record from an export. While the example is
//! loaded, a note says so and clears it in one (confirmed) step.

use super::install_steps::InstallSteps;
use super::route::Route;
use super::state::AppState;
use crate::core::example;
use crate::core::Kind;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What the record holds, as far as the first run is concerned.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Start {
    /// Nothing at all: a new device, or one cleared.
    Empty,
    /// The example's pupils are here.
    Example,
    /// A school's own record.
    InUse,
}

#[component]
pub fn Welcome() -> impl IntoView {
    let state = AppState::get();
    let start = Memo::new(move |_| {
        state.read(&[Kind::Pupils], |record| {
            if record.pupils().is_empty() {
                Start::Empty
            } else if example::is_loaded(record) {
                Start::Example
            } else {
                Start::InUse
            }
        })
    });
    let problem = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let load = move |_| match state.load_example() {
        Ok(()) => problem.set(None),
        Err(refusal) => problem.set(Some(refusal.to_string())),
    };
    let clear = move |_| {
        spawn_local(async move {
            match state.clear_example().await {
                Ok(()) => problem.set(None),
                Err(reason) => problem.set(Some(format!("The example was not cleared: {reason}"))),
            }
            confirming.set(false);
        });
    };
    let problem_view = move || {
        problem
            .get()
            .map(|p| view! { <p class="note refusal" role="alert">{p}</p> })
    };
    view! {
        <Show when=move || start.get() == Start::Empty>
            <section class="card welcome" aria-labelledby="welcome-heading">
                <h2 id="welcome-heading">"Welcome to SEND Log"</h2>
                <p>"SEND Log keeps your SEND action log and live tracker on this device: what each meeting agreed, who owns each next step and by when, and the follow-through until it is done. It works with the network off, and nothing is sent anywhere."</p>
                <p>"To try it first, load the example record: four fictional pupils, their meetings, and actions in every state. You can clear it again in one step."</p>
                <button type="button" class="primary" on:click=load>"Load the example record"</button>
                {problem_view}
                <p class="hint">"Expecting your school's record here? It is kept on the device it was typed on. Open "<a href=Route::Share.href()>"Import and export"</a>" and import your latest export from SEND Log (the .json file): everything in it comes back as it was."</p>
                <div class="install">
                    <InstallSteps />
                </div>
            </section>
        </Show>
        <Show when=move || start.get() == Start::Example>
            <section class="card welcome" aria-labelledby="example-heading">
                <h2 id="example-heading">"You are trying the example record"</h2>
                <p>"Its pupils are fictional, marked “(example)”. Clear it when you are ready to start your own; anything you have added for other pupils stays."</p>
                <Show
                    when=move || confirming.get()
                    fallback=move || view! {
                        <button type="button" class="secondary" on:click=move |_| confirming.set(true)>"Clear the example"</button>
                    }
                >
                    <div role="group" aria-labelledby="clear-question">
                        <p id="clear-question"><strong>"Clear the example? Its four pupils, their meetings, actions and history are removed from this device."</strong></p>
                        <div class="row">
                            <button type="button" class="primary" on:click=clear>"Yes, clear the example"</button>
                            <button type="button" class="secondary" on:click=move |_| confirming.set(false)>"Keep it"</button>
                        </div>
                    </div>
                </Show>
                {problem_view}
            </section>
        </Show>
    }
}
