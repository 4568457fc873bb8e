//! What a meeting agreed, on one screen, to read back to the parent before they leave: each new
//! action with its decision, owner and date (each editable, for a typo heard in the reading),
//! and what was decided about earlier actions. Working notes are not shown: they were never
//! agreed. The school's name and contact line, set in Settings, head and end the parent's
//! printed copy. Reaching it finishes the meeting.

use super::edit_action::EditAction;
use super::route::Route;
use super::state::AppState;
use super::widgets::not_on_this_device;
use crate::core::dates;
use crate::core::query;
use crate::core::Kind;
use crate::core::{ActionId, MeetingId};
use crate::store::device;
use leptos::prelude::*;

#[component]
pub fn AgreedScreen(id: MeetingId) -> impl IntoView {
    let state = AppState::get();
    if device::left_open() == Some(id) {
        device::keep_left_open(None);
    }
    let letterhead = device::letterhead();
    let school = (!letterhead.school.is_empty()).then(|| letterhead.school.clone());
    let contact = letterhead.contact_line();
    let unset = letterhead.is_empty();
    let summary = Memo::new(move |_| {
        state.read(&Kind::ALL, |r| {
            let meeting = r.meeting(id)?;
            let pupil = r
                .pupil(meeting.pupil)
                .map(|p| p.name.clone())
                .unwrap_or_default();
            let title = format!(
                "Agreed at the {} for {}, {}",
                meeting.meeting_type.in_sentence(),
                pupil,
                dates::uk(meeting.date)
            );
            let about = meeting.described();
            let agreed: Vec<(ActionId, [String; 4])> = r
                .actions_of_meeting(id)
                .into_iter()
                .map(|a| {
                    (
                        a.id,
                        [
                            a.decision.clone(),
                            a.next_step.clone(),
                            query::owner_shown(r, a).into_owned(),
                            dates::uk(a.due),
                        ],
                    )
                })
                .collect();
            let checked: Vec<(String, String)> = r
                .reviewed_at(id)
                .into_iter()
                .filter_map(|h| {
                    r.action(h.action)
                        .map(|a| (a.next_step.clone(), h.note.clone()))
                })
                .collect();
            Some((title, about, agreed, checked))
        })
    });
    // The action being edited, if any: its form is shown under the table.
    let editing = RwSignal::new(None::<ActionId>);
    move || {
        match summary.get() {
        None => not_on_this_device("meeting").into_any(),
        Some((title, about, agreed, checked)) => view! {
            <section class="card agreed" aria-labelledby="read-back-heading">
                {school.clone().map(|school| view! { <p class="letterhead">{school}</p> })}
                <h2 id="read-back-heading">{title}</h2>
                {(!about.is_empty()).then(|| view! { <p class="about">{about}</p> })}
                <p class="hint">"Read this back before everyone leaves. It is already saved. To give the parent a copy, print it or save it as a PDF."</p>
                {if agreed.is_empty() {
                    view! { <p class="empty">"No new actions were agreed."</p> }.into_any()
                } else {
                    view! {
                        <table class="read-back">
                            <caption class="visually-hidden">"Actions agreed"</caption>
                            <thead><tr>
                                <th scope="col">"Decision"</th><th scope="col">"Action"</th>
                                <th scope="col">"Owner"</th><th scope="col">"By"</th>
                                <th scope="col" class="no-print"><span class="visually-hidden">"Change"</span></th>
                            </tr></thead>
                            <tbody>
                                {agreed.into_iter().map(|(action, [decision, step, owner, due])| {
                                    let label = format!("Edit: {step}");
                                    view! {
                                        <tr>
                                            <td>{decision}</td><td>{step}</td><td>{owner}</td><td class="nowrap">{due}</td>
                                            <td class="no-print">
                                                <button type="button" class="secondary" aria-label=label
                                                    aria-expanded=move || (editing.get() == Some(action)).to_string()
                                                    on:click=move |_| editing.update(|e| {
                                                        *e = if *e == Some(action) { None } else { Some(action) }
                                                    })>"Edit"</button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        {move || editing.get().map(|action| view! {
                            <div class="no-print read-back-edit">
                                <EditAction id=action closed=Callback::new(move |()| editing.set(None)) />
                            </div>
                        })}
                    }.into_any()
                }}
                {(!checked.is_empty()).then(|| view! {
                    <h3>"Earlier actions checked"</h3>
                    <ul class="checked">
                        {checked.into_iter().map(|(step, note)| view! {
                            <li><strong>{step}</strong>" — "{note}</li>
                        }).collect_view()}
                    </ul>
                })}
                {contact.clone().map(|contact| view! { <p class="contact-line">{contact}</p> })}
                {unset.then(|| view! {
                    <p class="hint">"To put your school's name and whom to contact on this copy, set them once in "
                        <a href=Route::Settings.href()>"Settings"</a>"."</p>
                })}
                <div class="row">
                    <button type="button" class="primary" on:click=move |_| print()>"Print or save as PDF"</button>
                    <a class="button secondary" href=Route::Meeting(id).href()>"Back to the meeting"</a>
                </div>
            </section>
        }
        .into_any(),
    }
    }
}

/// Opens the browser's print dialogue, which also saves as a PDF; the print stylesheet leaves out
/// the app's header, buttons and hints.
fn print() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}
