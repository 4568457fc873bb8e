//! The passphrase, typed: the choice to encrypt a download (typed twice, its strength shown, a
//! weak one refused), and the field that opens an encrypted file being imported. Nothing typed
//! here is stored; it is gone when the screen is left.

use crate::core::sealed;
use leptos::prelude::*;

/// Whether downloads from one set of export buttons are encrypted, and with what.
#[derive(Clone, Copy)]
pub struct Protection {
    pub on: RwSignal<bool>,
    first: RwSignal<String>,
    again: RwSignal<String>,
}

impl Protection {
    pub fn new() -> Self {
        Protection {
            on: RwSignal::new(false),
            first: RwSignal::new(String::new()),
            again: RwSignal::new(String::new()),
        }
    }

    /// The passphrase to encrypt with, `None` for a plain file, or why the one typed will not
    /// do (and the field to go back to).
    pub fn chosen(&self) -> Result<Option<String>, (String, &'static str)> {
        if !self.on.get_untracked() {
            return Ok(None);
        }
        let first = self.first.get_untracked();
        let strength = sealed::strength(&first);
        if !strength.accepted() {
            return Err((
                format!("Nothing was downloaded. {}", strength.advice()),
                "seal-passphrase",
            ));
        }
        if self.again.get_untracked() != first {
            return Err((
                "Nothing was downloaded: the two passphrases are not the same. Type it again in the second box.".into(),
                "seal-again",
            ));
        }
        Ok(Some(first))
    }
}

/// The tick box that encrypts the downloads below it, and the passphrase typed twice.
#[component]
pub fn ProtectChoice(protection: Protection) -> impl IntoView {
    let Protection { on, first, again } = protection;
    let strength = move || {
        first.with(|p| {
            (!p.is_empty()).then(|| {
                let s = sealed::strength(p);
                let count = p.chars().count();
                match s {
                    sealed::Strength::TooShort => format!(
                        "Strength: too short ({count} of the {} characters needed).",
                        sealed::SHORTEST_PASSPHRASE
                    ),
                    _ => format!("Strength: {}", s.advice()),
                }
            })
        })
    };
    let differs = move || {
        let typed = again.with(|a| !a.is_empty());
        typed && first.with(|f| again.with(|a| f != a))
    };
    view! {
        <div class="field check">
            <input id="seal-on" type="checkbox" aria-describedby="seal-on-hint"
                prop:checked=move || on.get()
                on:change=move |ev| on.set(event_target_checked(&ev)) />
            <label for="seal-on">"Encrypt with a passphrase"</label>
        </div>
        <p class="hint" id="seal-on-hint">
            "For a file that will be emailed or carried on a USB stick: without the passphrase it cannot be read. Other tools can open it as the README describes."
        </p>
        <Show when=move || on.get()>
            <div class="field">
                <label for="seal-passphrase">"Passphrase"</label>
                <p class="hint" id="seal-passphrase-hint">"At least 12 characters. Three or four random words are easy to remember and hard to guess."</p>
                <input id="seal-passphrase" type="password" autocomplete="new-password"
                    aria-describedby="seal-passphrase-hint seal-strength"
                    prop:value=move || first.get()
                    on:input=move |ev| first.set(event_target_value(&ev)) />
                <p class="hint" id="seal-strength" aria-live="polite">{strength}</p>
            </div>
            <div class="field">
                <label for="seal-again">"The passphrase again"</label>
                <input id="seal-again" type="password" autocomplete="new-password"
                    aria-describedby="seal-again-note"
                    prop:value=move || again.get()
                    on:input=move |ev| again.set(event_target_value(&ev)) />
                <p class="hint" id="seal-again-note" aria-live="polite">
                    {move || differs().then_some("Not the same as the first.")}
                </p>
            </div>
            <p class="note">"Send the passphrase another way than the file — say it by phone or in person, never in the same email. It is not kept anywhere: if it is forgotten, the file cannot be opened."</p>
        </Show>
    }
}

/// Asks for the passphrase of the encrypted file `name`; `open` is called with what is typed,
/// `cancel` to choose another file. `problem` says why the last try did not open it, and the
/// passphrase typed stays in the field to be corrected.
#[component]
pub fn Unlock(
    name: String,
    problem: RwSignal<String>,
    busy: RwSignal<bool>,
    open: Callback<String>,
    cancel: Callback<()>,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        open.run(typed.get_untracked());
    };
    view! {
        <form class="card unlock" on:submit=submit aria-labelledby="unlock-heading">
            <h3 id="unlock-heading" tabindex="-1">{format!("{name} is encrypted")}</h3>
            <div class="field">
                <label for="unlock-passphrase">"Its passphrase"</label>
                <p class="hint" id="unlock-hint">"The passphrase it was encrypted with, from the person who sent it. It is used to open the file and not kept."</p>
                <input id="unlock-passphrase" type="password" autocomplete="off"
                    aria-describedby="unlock-hint unlock-problem"
                    aria-invalid=move || (!problem.with(String::is_empty)).then_some("true")
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev)) />
                <p id="unlock-problem" class=move || if problem.with(String::is_empty) { "hint" } else { "note refusal" } role="alert">{move || problem.get()}</p>
            </div>
            <div class="row">
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { "Opening…" } else { "Open the file" }}
                </button>
                <button type="button" class="secondary" on:click=move |_| cancel.run(())>"Choose another file"</button>
            </div>
        </form>
    }
}
