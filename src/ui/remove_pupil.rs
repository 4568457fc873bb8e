//! Removing a pupil's records for good at the end of their retention period, once their name is
//! typed to confirm: on their page, and in the list of pupils due for removal.

use super::route::Route;
use super::state::AppState;
use crate::core::PupilId;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The end of a pupil's retention period: their records removed from this device, for good, once
/// their name is typed to confirm.
///
/// On the pupil's own page the removal leads to the home screen; in a list (`in_list`: the
/// pupils due for removal) the list stays, less that pupil.
#[component]
pub fn RemovePupil(
    id: PupilId,
    name: Signal<String>,
    #[prop(optional)] in_list: bool,
) -> impl IntoView {
    let state = AppState::get();
    let open = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let remove = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (named, name) = state.peek(|r| match r.pupil(id) {
            Some(p) => (p.is_named(&typed.get_untracked()), p.name.clone()),
            None => (false, String::new()),
        });
        if !named {
            problem.set(Some(format!(
                "Type the pupil's name as it is shown, {name}, to confirm. Nothing was removed."
            )));
            return;
        }
        spawn_local(async move {
            match state.remove_pupil(id).await {
                Ok(()) if in_list => {}
                Ok(()) => Route::Home.go(),
                Err(reason) => problem.set(Some(format!("Nothing was removed: {reason}"))),
            }
        });
    };
    view! {
        <div class="remove-pupil">
            {(!in_list).then(|| view! { <p class="hint">"At the end of the retention period your school's policy sets: this pupil, their meetings, actions and history are removed from this device for good. Download their record above first if it must be kept. Files already exported are not touched."</p> })}
            <Show
                when=move || open.get()
                fallback=move || view! {
                    <button type="button" class="secondary" on:click=move |_| open.set(true)>
                        {move || if in_list { format!("Remove {}'s records…", name.get()) } else { "Remove this pupil's records…".to_string() }}
                    </button>
                }
            >
                <form on:submit=remove novalidate aria-label=move || if in_list { format!("Remove {}'s records", name.get()) } else { "Remove this pupil's records".to_string() }>
                    <div class="field">
                        <label for=format!("remove-name-{id}")>{move || format!("To confirm, type the pupil's name: {}", name.get())}</label>
                        <input id=format!("remove-name-{id}") type="text" autocomplete="off" aria-describedby=format!("remove-notes-{id}")
                            prop:value=move || typed.get()
                            on:input=move |ev| typed.set(event_target_value(&ev)) />
                        <div id=format!("remove-notes-{id}") class="field-notes" aria-live="polite">
                            {move || problem.get().map(|p| view! { <p class="note refusal">{p}</p> })}
                        </div>
                    </div>
                    <div class="row">
                        <button type="submit" class="primary">"Remove for good"</button>
                        <button type="button" class="secondary" on:click=move |_| { open.set(false); problem.set(None); }>"Cancel"</button>
                    </div>
                </form>
            </Show>
        </div>
    }
}
