//! One pupil: their live actions, then their history — meetings and closed actions in date order
//! (a chronology), each closed action with its outcome and evidence; their details and key adults.

use super::action_card::{Page, RowList};
use super::annual_review::AnnualReview;
use super::key_adults::KeyAdultsEditor;
use super::one_writer;
use super::remove_pupil::RemovePupil;
use super::route::Route;
use super::share::{Chosen, ExportButtons, THIS_PUPIL};
use super::state::AppState;
use super::widgets::{choice_select_then, not_on_this_device, DateInput};
use crate::core::bundle;
use crate::core::fields::PupilField;
use crate::core::key_adults;
use crate::core::query::{chronology, Event};
use crate::core::record::{PupilEdit, Refusal};
use crate::core::Kind;
use crate::core::{dates, draft};
use crate::core::{Choice, PupilId, SendStatus, YearGroup};
use leptos::prelude::*;

/// Scrolls to the chronology (the address is the screen's, so no #fragment can be used).
fn to_chronology() {
    let heading = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("chronology-heading"));
    if let Some(heading) = heading {
        heading.scroll_into_view();
        // Focus follows, so that a keyboard or screen reader carries on from there.
        use leptos::wasm_bindgen::JsCast;
        if let Ok(heading) = heading.dyn_into::<web_sys::HtmlElement>() {
            let _ = heading.focus();
        }
    }
}

/// One line of the chronology, ready to show.
#[derive(Clone, PartialEq)]
struct Line {
    date: String,
    kind: &'static str,
    title: String,
    detail: String,
    link: Option<String>,
}

#[component]
pub fn PupilScreen(id: PupilId) -> impl IntoView {
    let state = AppState::get();
    let pupil = Memo::new(move |_| state.read(&[Kind::Pupils], |r| r.pupil(id).cloned()));
    let live = Memo::new(move |_| {
        state.read(&[Kind::Actions], |r| {
            r.live_actions_of(id, None)
                .into_iter()
                .map(|a| a.id)
                .collect::<Vec<_>>()
        })
    });
    let lines = Memo::new(move |_| {
        state.read(&Kind::ALL, |r| {
            chronology(r, id)
                .into_iter()
                .map(|event| Line {
                    date: dates::uk(event.date()),
                    kind: event.kind(),
                    title: event.title(),
                    detail: event.detail(),
                    link: match event {
                        Event::Meeting(m) => Some(Route::Agreed(m.id).href()),
                        Event::Closed(_) | Event::Changed(..) => None,
                    },
                })
                .collect::<Vec<_>>()
        })
    });
    // The screen is drawn again only when the pupil comes or goes: a change to their details
    // changes just the text that shows them, so the details being changed stay open.
    let here = Memo::new(move |_| pupil.with(Option::is_some));
    let name = move || pupil.with(|p| p.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    // A file sent on or left in Downloads does not name the child unless the person chooses.
    let named_file = RwSignal::new(false);
    let file_about = move || {
        if named_file.get_untracked() {
            name()
        } else {
            "one pupil".to_string()
        }
    };
    move || {
        match here.get() {
        false => not_on_this_device("pupil").into_any(),
        true => view! {
            <section class="card" aria-labelledby="pupil-heading">
                <h2 id="pupil-heading">{name}</h2>
                <p class="muted">
                    {move || pupil.with(|p| p.as_ref().map(|p| format!(
                        "{} · {}{}",
                        p.year_group.label(),
                        p.send_status.label(),
                        p.annual_review.map(|d| format!(" · EHC plan annual review {}", dates::uk(d))).unwrap_or_default()
                    )))}
                </p>
                {move || pupil.with(|p| p.as_ref().filter(|p| !p.key_adults.is_empty()).map(|p| {
                    format!("{}: {}", PupilField::KeyAdults.label(), key_adults::readable(&p.key_adults))
                })).map(|text| view! { <p class="key-adults-line">{text}</p> })}
                {move || pupil.with(|p| p.as_ref().and_then(|p| p.left_on)).map(|day| view! {
                    <p class="note warning">{format!("{} {}", PupilField::LeftOn.label(), dates::uk(day))}</p>
                })}
                <p>
                    <button type="button" class="secondary" on:click=move |_| to_chronology()>
                        {move || format!("Chronology ({})", lines.with(Vec::len))}
                    </button>
                </p>
                <PupilDetails id />
                <details class="exports-here">
                    <summary>"Download this pupil's record"</summary>
                    <p class="hint">"Every action, meeting and change for this pupil: for a transfer, a request for their records, or Excel."</p>
                    <div class="field check">
                        <input id="pupil-file-named" type="checkbox" aria-describedby="pupil-file-named-hint"
                            prop:checked=move || named_file.get()
                            on:change=move |ev| named_file.set(event_target_checked(&ev)) />
                        <label for="pupil-file-named">"Put the pupil's name in the file name"</label>
                    </div>
                    <p class="hint" id="pupil-file-named-hint">
                        {move || format!("Without it the file is named {}, so a file sent or left in Downloads does not name the pupil.",
                            bundle::file_name("record", AppState::today(), Some("one pupil"), "json"))}
                    </p>
                    <ExportButtons labels=THIS_PUPIL chosen=Callback::new(move |_| Chosen::Pupil(id, file_about())) />
                </details>
            </section>
            <AnnualReview id />
            <section class="card" aria-labelledby="pupil-live-heading">
                <h2 id="pupil-live-heading">{move || format!("Live actions ({})", live.with(Vec::len))}</h2>
                <Show when=move || live.with(Vec::is_empty)>
                    <p class="empty">"No live actions."</p>
                </Show>
                <RowList rows=Callback::new(move |limit| live.with(|ids| Page::first(ids, limit))) label="Live actions" />
            </section>
            <section class="card" aria-labelledby="chronology-heading">
                <h2 id="chronology-heading" tabindex="-1">"Chronology"</h2>
                <p class="hint">"Meetings, closed actions and every change to their actions (dates moved, re-assignments, escalations, statuses), oldest first."</p>
                <Show when=move || lines.with(Vec::is_empty)>
                    <p class="empty">"No meetings or closed actions yet."</p>
                </Show>
                <ol class="chronology">
                    <For each=move || lines.get() key=|line| (line.date.clone(), line.kind, line.title.clone(), line.detail.clone()) let(line)>
                        <li class=format!("event {}", line.kind.to_lowercase().replace(' ', "-"))>
                            <span class="event-date">{line.date}</span>" "
                            <span class="badge status-badge">{line.kind}</span>" "
                            {match line.link {
                                Some(href) => view! { <a href=href class="event-title">{line.title}</a> }.into_any(),
                                None => view! { <strong class="event-title">{line.title}</strong> }.into_any(),
                            }}
                            {(!line.detail.is_empty()).then(|| view! { <p class="event-detail">{line.detail}</p> })}
                        </li>
                    </For>
                </ol>
            </section>
            <section class="card" aria-labelledby="remove-heading">
                <h2 id="remove-heading">"Remove this pupil's records"</h2>
                <RemovePupil id name=Signal::derive(name) />
            </section>
        }
        .into_any(),
    }
    }
}

/// A pupil's details, each stored as it is changed (and undone with "Undo"): name, year group,
/// SEND status and the EHC plan's annual review. While SEND Log is open in another tab, a
/// change is refused and kept on the device ([`one_writer::keep`]); it is shown again here, and
/// made once this tab may change the record.
#[component]
fn PupilDetails(id: PupilId) -> impl IntoView {
    let state = AppState::get();
    // What is stored comes back into the fields when it changes (after "Undo", say); a refused
    // name changes nothing stored, so what was typed stays.
    let stored = Memo::new(move |_| state.read(&[Kind::Pupils], |r| r.pupil(id).cloned()));
    let Some(now) = stored.get_untracked() else {
        return ().into_any();
    };
    let name = RwSignal::new(now.name);
    let year_group = RwSignal::new(now.year_group.code().to_string());
    let send_status = RwSignal::new(now.send_status.code().to_string());
    let review = RwSignal::new(now.annual_review.map(dates::iso).unwrap_or_default());
    let left = RwSignal::new(now.left_on.map(dates::iso).unwrap_or_default());
    let born = RwSignal::new(now.born.map(dates::iso).unwrap_or_default());
    let problem = RwSignal::new(None::<String>);
    // What is wrong with a date as typed (a year like 0001), shown beside its box.
    let review_problem = RwSignal::new(None::<String>);
    let left_problem = RwSignal::new(None::<String>);
    let born_problem = RwSignal::new(None::<String>);
    // The fields, each with the place where a change refused here is kept.
    let fields = [
        ("name", name),
        ("year", year_group),
        ("send", send_status),
        ("review", review),
        ("left", left),
        ("born", born),
    ];
    let place = move |field: &str| draft::pupil_box(id, field);
    let kept: Vec<_> = fields
        .iter()
        .filter_map(|&(field, value)| {
            one_writer::kept(state, &place(field)).map(|text| {
                value.set(text);
                field
            })
        })
        .collect();
    // What was kept is forgotten once made here (only then: the other tab may be keeping a
    // change to this field meanwhile).
    let picking_up = StoredValue::new(kept.clone());
    Effect::new(move |drawn: Option<()>| {
        let now = stored.get();
        // Not the first time: the fields start as stored, or as kept.
        if let (Some(p), Some(())) = (now, drawn) {
            name.set(p.name);
            year_group.set(p.year_group.code().to_string());
            send_status.set(p.send_status.code().to_string());
            review.set(p.annual_review.map(dates::iso).unwrap_or_default());
            left.set(p.left_on.map(dates::iso).unwrap_or_default());
            born.set(p.born.map(dates::iso).unwrap_or_default());
        }
    });
    let save = move |field: &'static str, edit: PupilEdit| match state
        .change_undoably(|record, _, now| record.edit_pupil(id, edit, now))
    {
        Ok(()) => {
            let picked = picking_up.try_update_value(|fields| {
                let before = fields.len();
                fields.retain(|f| *f != field);
                fields.len() < before
            });
            if picked == Some(true) {
                one_writer::saved(state, &place(field));
            }
            problem.set(None);
        }
        Err(Refusal::NotHere(_)) => {
            let value = fields
                .iter()
                .find(|(f, _)| *f == field)
                .map(|(_, v)| v.get_untracked());
            let note = one_writer::keep(state, &place(field), &value.unwrap_or_default());
            problem.set(Some(note.into()));
        }
        Err(refusal) => problem.set(Some(refusal.to_string())),
    };
    let name_changed = move || save("name", PupilEdit::Name(name.get_untracked()));
    let year_changed = Callback::new(move |()| {
        if let Some(year) = YearGroup::from_text(&year_group.get_untracked()) {
            save("year", PupilEdit::YearGroup(year));
        }
    });
    let status_changed = Callback::new(move |()| {
        if let Some(status) = SendStatus::from_text(&send_status.get_untracked()) {
            save("send", PupilEdit::SendStatus(status));
        }
    });
    // A date box: saved as it is typed once it can be read, or what is wrong shown beside it.
    let date_changed =
        move |field: &'static str,
              what: PupilField,
              text: RwSignal<String>,
              wrong: RwSignal<Option<String>>,
              edit: fn(Option<chrono::NaiveDate>) -> PupilEdit| {
            Callback::new(
                move |()| match dates::parse_typed(&text.get_untracked(), what.label()) {
                    Ok(date) => {
                        wrong.set(None);
                        save(field, edit(date));
                    }
                    Err(message) => wrong.set(Some(message)),
                },
            )
        };
    let review_changed = date_changed(
        "review",
        PupilField::AnnualReview,
        review,
        review_problem,
        PupilEdit::AnnualReview,
    );
    let left_changed = date_changed(
        "left",
        PupilField::LeftOn,
        left,
        left_problem,
        PupilEdit::LeftOn,
    );
    let born_changed = date_changed(
        "born",
        PupilField::Born,
        born,
        born_problem,
        PupilEdit::Born,
    );
    // What was kept: shown as not saved while this tab may not change the record, otherwise
    // made now, once the screen is drawn.
    // Open, to show them, when changes made in it are not saved yet.
    let unsaved = !kept.is_empty() && state.elsewhere.get_untracked();
    if !kept.is_empty() {
        if state.elsewhere.get_untracked() {
            problem.set(Some(one_writer::NOT_SAVED_HERE.into()));
        } else {
            request_animation_frame(move || {
                for field in kept {
                    match field {
                        "name" => name_changed(),
                        "year" => year_changed.run(()),
                        "send" => status_changed.run(()),
                        "left" => left_changed.run(()),
                        "born" => born_changed.run(()),
                        _ => review_changed.run(()),
                    }
                }
            });
        }
    }
    view! {
        <details class="pupil-details" open=unsaved>
            <summary>"Change details"</summary>
            <p class="hint">"Each change is stored as it is made; Undo takes it back."</p>
            <div class="grid">
                <div class="field">
                    <label for="pupil-name">"Name"</label>
                    <input id="pupil-name" type="text" autocomplete="off" aria-describedby="pupil-name-notes"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                        on:change=move |_| name_changed() />
                    <div id="pupil-name-notes" class="field-notes" aria-live="polite">
                        {move || problem.get().map(|p| view! { <p class="note refusal">{p}</p> })}
                    </div>
                </div>
                <div class="field">
                    <label for="pupil-year">"Year group"</label>
                    {choice_select_then::<YearGroup>("pupil-year", year_group, year_changed)}
                </div>
                <div class="field">
                    <label for="pupil-send">"SEND status"</label>
                    {choice_select_then::<SendStatus>("pupil-send", send_status, status_changed)}
                </div>
                <div class="field">
                    <label for="pupil-review">"EHC plan annual review (if any)"</label>
                    <DateInput id="pupil-review" value=review on_input=review_changed
                        described_by="pupil-review-notes" />
                    <div id="pupil-review-notes" class="field-notes" aria-live="polite">
                        {move || review_problem.get().map(|p| view! { <p class="note refusal">{p}</p> })}
                    </div>
                </div>
                <div class="field">
                    <label for="pupil-born">"Date of birth"</label>
                    <p class="hint" id="pupil-born-hint">"Only if your school's retention rule counts from it (Settings)."</p>
                    <DateInput id="pupil-born" value=born on_input=born_changed
                        described_by="pupil-born-hint pupil-born-notes" />
                    <div id="pupil-born-notes" class="field-notes" aria-live="polite">
                        {move || born_problem.get().map(|p| view! { <p class="note refusal">{p}</p> })}
                    </div>
                </div>
                <div class="field">
                    <label for="pupil-left">"Left the school on"</label>
                    <p class="hint" id="pupil-left-hint">"Empty while they are at the school. Their records are kept for the retention period from this day."</p>
                    <DateInput id="pupil-left" value=left on_input=left_changed
                        described_by="pupil-left-hint pupil-left-notes" />
                    <div id="pupil-left-notes" class="field-notes" aria-live="polite">
                        {move || left_problem.get().map(|p| view! { <p class="note refusal">{p}</p> })}
                    </div>
                </div>
            </div>
            <KeyAdultsEditor id />
        </details>
    }
    .into_any()
}
