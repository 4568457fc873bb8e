//! Small form parts shared by the screens: a select over a closed list, a date with quick picks,
//! and the guard notes shown beside a field.

use crate::core::dates::{self, QuickDue};
use crate::core::guard::{Concern, Severity};
use crate::core::Choice;
use leptos::prelude::*;

/// A `<select>` over a closed list; `value` holds the chosen code.
pub fn choice_select<C: Choice>(id: impl Into<String>, value: RwSignal<String>) -> AnyView {
    select_of::<C>(id.into(), value, None, None)
}

/// [`choice_select`], calling `changed` after each choice a person makes.
pub fn choice_select_then<C: Choice>(
    id: impl Into<String>,
    value: RwSignal<String>,
    changed: Callback<()>,
) -> AnyView {
    select_of::<C>(id.into(), value, Some(changed), None)
}

/// [`choice_select_then`], described by the note with id `described_by`.
pub fn choice_select_noted<C: Choice>(
    id: impl Into<String>,
    value: RwSignal<String>,
    described_by: impl Into<String>,
    changed: Callback<()>,
) -> AnyView {
    select_of::<C>(id.into(), value, Some(changed), Some(described_by.into()))
}

fn select_of<C: Choice>(
    id: String,
    value: RwSignal<String>,
    changed: Option<Callback<()>>,
    described_by: Option<String>,
) -> AnyView {
    view! {
        <select id=id aria-describedby=described_by on:change=move |ev| {
            value.set(event_target_value(&ev));
            if let Some(changed) = changed {
                changed.run(());
            }
        }>
            {C::ALL
                .iter()
                .map(|choice| {
                    let code = choice.code();
                    view! {
                        <option value=code prop:selected=move || value.get() == code>
                            {choice.label()}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
    .into_any()
}

/// The options of a filter's `<select>` over a closed list: "all" first, then each choice;
/// `chosen` is the selected code ("" for all).
pub fn choice_options<C: Choice>(all: &'static str, chosen: Signal<String>) -> AnyView {
    view! {
        <option value="" prop:selected=move || chosen.with(String::is_empty)>{all}</option>
        {C::ALL
            .iter()
            .map(|choice| {
                let code = choice.code();
                view! { <option value=code prop:selected=move || chosen.with(|c| c == code)>{choice.label()}</option> }
            })
            .collect_view()}
    }
    .into_any()
}

/// A date input (ISO value) with optional quick picks counted from today.
#[component]
pub fn DateInput(
    #[prop(into)] id: String,
    value: RwSignal<String>,
    #[prop(optional)] quick: bool,
    #[prop(optional)] on_input: Option<Callback<()>>,
    #[prop(optional, into)] described_by: Option<String>,
) -> impl IntoView {
    let set = move |text: String| {
        value.set(text);
        if let Some(callback) = on_input {
            callback.run(());
        }
    };
    view! {
        <div class="date-input">
            <input
                type="date"
                id=id
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |ev| set(event_target_value(&ev))
            />
            <span class="date-shown" aria-hidden="true">
                {move || dates::parse_iso(&value.get()).map(dates::uk_with_day)}
            </span>
            {quick.then(|| {
                view! {
                    <div class="quick-picks" role="group" aria-label="Quick dates">
                        {QuickDue::ALL
                            .into_iter()
                            .map(|pick| {
                                let shown = dates::uk(pick.from(super::AppState::today()));
                                view! {
                                    <button
                                        type="button"
                                        class="chip"
                                        title=shown.clone()
                                        on:click=move |_| set(dates::iso(pick.from(super::AppState::today())))
                                    >
                                        {pick.label()}
                                    </button>
                                }
                            })
                            .collect_view()}
                    </div>
                }
            })}
        </div>
    }
}

/// Keeps a long select (every pupil, every owner) showing the option whose value `chosen`
/// gives, with one effect for the whole select rather than one per option: a school's two
/// thousand pupils then cost two thousand plain options, not two thousand effects.
pub fn keep_selected(select: NodeRef<leptos::html::Select>, chosen: impl Fn() -> String + 'static) {
    Effect::new(move |_| {
        let value = chosen();
        if let Some(select) = select.get() {
            select.set_value(&value);
        }
    });
}

/// What a screen shows when the meeting or pupil in its address is not in this device's record
/// (a link from another device, or a record since removed).
pub fn not_on_this_device(what: &'static str) -> impl IntoView {
    view! {
        <section class="card">
            <h2>{format!("This {what} is not on this device")}</h2>
            <p>
                "It may have been recorded on another device. "
                <a href=super::route::Route::Home.href()>"Go to the home screen"</a>
            </p>
        </section>
    }
}

/// The guard notes for one field: refusals and warnings, each with its reason.
#[component]
pub fn FieldNotes(#[prop(into)] id: String, notes: Signal<Vec<Concern>>) -> impl IntoView {
    view! {
        <div id=id class="field-notes" aria-live="polite">
            {move || {
                notes
                    .get()
                    .into_iter()
                    .map(|concern| {
                        let refusal = concern.severity == Severity::Refusal;
                        view! {
                            <p class="note" class:refusal=refusal class:warning=!refusal>
                                <span class="note-mark" aria-hidden="true">
                                    {if refusal { "✗ " } else { "⚠ " }}
                                </span>
                                <span class="visually-hidden">
                                    {if refusal { "Needed: " } else { "Check: " }}
                                </span>
                                {concern.message}
                            </p>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}

/// Takes the focus to the element with id `id` (a field to correct, a heading to read from).
pub fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(field) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|f| f.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = field.focus();
    }
}
