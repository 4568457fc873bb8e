//! A pupil's key adults on their page: each a role and a name, stored as it is changed (Undo
//! takes it back); an action owned by a role named here is shown as that person.

use super::state::AppState;
use super::widgets::choice_select_then;
use crate::core::fields::PupilField;
use crate::core::key_adults::{self, KeyAdult, KeyRole};
use crate::core::record::PupilEdit;
use crate::core::Kind;
use crate::core::{Choice, PupilId};
use leptos::prelude::*;

/// One line of the editor: its own key (lines come and go), the role's code and the name.
#[derive(Clone, Copy)]
struct Line {
    key: u32,
    role: RwSignal<String>,
    name: RwSignal<String>,
}

/// The pupil's key adults, one per line, under their details: the list a person sees as they
/// are stored, read again only when what is stored changes from elsewhere (an Undo).
#[component]
pub fn KeyAdultsEditor(id: PupilId) -> impl IntoView {
    let state = AppState::get();
    let stored = Memo::new(move |_| {
        state.read(&[Kind::Pupils], |r| {
            r.pupil(id)
                .map(|p| p.key_adults.clone())
                .unwrap_or_default()
        })
    });
    let next_key = StoredValue::new(0u32);
    let line = move |role: KeyRole, name: &str| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        Line {
            key,
            role: RwSignal::new(role.code().to_string()),
            name: RwSignal::new(name.to_string()),
        }
    };
    let lines_of = move |adults: &[KeyAdult]| -> Vec<Line> {
        adults.iter().map(|a| line(a.role, &a.name)).collect()
    };
    let lines = RwSignal::new(stored.with_untracked(|a| lines_of(a)));
    let problem = RwSignal::new(None::<String>);
    let typed = move || -> Vec<KeyAdult> {
        lines.with_untracked(|lines| {
            lines
                .iter()
                .map(|l| KeyAdult {
                    role: KeyRole::from_text(&l.role.get_untracked()).unwrap_or(KeyRole::Other),
                    name: l.name.get_untracked(),
                })
                .collect()
        })
    };
    // What is stored comes back into the lines when it changes from elsewhere (Undo); a line
    // still being named (not stored yet) stays while what is stored is what was typed.
    Effect::new(move |_| {
        let now = stored.get();
        if key_adults::tidy(&typed()) != now {
            lines.set(lines_of(&now));
        }
    });
    let save = move || {
        let adults = typed();
        match state.change_undoably(|record, _, now| {
            record.edit_pupil(id, PupilEdit::KeyAdults(adults), now)
        }) {
            Ok(()) => problem.set(None),
            Err(refusal) => problem.set(Some(format!("Not saved: {refusal}"))),
        }
    };
    let add = move |_| {
        lines.update(|l| l.push(line(KeyRole::ClassTeacher, "")));
        let key = lines.with_untracked(|l| l.last().map(|l| l.key));
        if let Some(key) = key {
            request_animation_frame(move || {
                if let Some(input) = document().get_element_by_id(&format!("adult-name-{key}")) {
                    use leptos::wasm_bindgen::JsCast;
                    if let Ok(input) = input.dyn_into::<web_sys::HtmlElement>() {
                        let _ = input.focus();
                    }
                }
            });
        }
    };
    view! {
        <fieldset class="key-adults">
            <legend>{PupilField::KeyAdults.label()}</legend>
            <p class="hint" id="key-adults-hint">"Their class teacher, key worker or TA, and others, by name. An action owned by \"Class teacher\" (or \"TA\", \"Key worker\", \"Form tutor\", \"Head of year\") is then shown, filtered and downloaded as that person."</p>
            <ul class="key-adult-lines">
                <For each=move || lines.get() key=|l| l.key let(l)>
                    {
                        let (role_id, name_id) = (format!("adult-role-{}", l.key), format!("adult-name-{}", l.key));
                        let key = l.key;
                        view! {
                            <li class="row">
                                <div class="field">
                                    <label for=role_id.clone()>"Role"</label>
                                    {choice_select_then::<KeyRole>(role_id.clone(), l.role, Callback::new(move |()| save()))}
                                </div>
                                <div class="field">
                                    <label for=name_id.clone()>"Adult's name"</label>
                                    <input id=name_id type="text" autocomplete="off" aria-describedby="key-adults-hint"
                                        prop:value=move || l.name.get()
                                        on:input=move |ev| l.name.set(event_target_value(&ev))
                                        on:change=move |_| save() />
                                </div>
                                <button type="button" class="secondary"
                                    aria-label=move || match l.name.with(|n| n.trim().is_empty()) {
                                        true => "Remove this key adult".to_string(),
                                        false => format!("Remove {}", l.name.get().trim()),
                                    }
                                    on:click=move |_| {
                                        lines.update(|lines| lines.retain(|other| other.key != key));
                                        save();
                                    }>"Remove"</button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <button type="button" class="secondary" on:click=add>"Add a key adult"</button>
            <div class="field-notes" aria-live="polite">
                {move || problem.get().map(|p| view! { <p class="note refusal">{p}</p> })}
            </div>
        </fieldset>
    }
}
