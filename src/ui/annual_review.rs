//! A pupil's EHC plan review on their page: the next review and its stage, the phase-transfer
//! deadline, and what the review date and the transfer year offer (their statutory steps,
//! previewed, added, moved or followed by next year's in one tap that "Undo" takes back); and,
//! in Settings, the setting's own phase-transfer years.

use super::state::AppState;
use crate::core::dates;
use crate::core::query::{self, Offer};
use crate::core::statutory::{self, TRANSFER_YEARS};
use crate::core::{Choice, Kind, PupilId, SendStatus, YearGroup};
use crate::store::device;
use leptos::prelude::*;

/// What the section shows, worked out from the record.
#[derive(Clone, PartialEq)]
struct Shown {
    /// "Next annual review: Fri 12 Mar 2027 · Advice in", or how to set one.
    next: String,
    transfer: Option<String>,
    /// Said when the pupil moves this year and no review is set early enough.
    review_in_time: Option<String>,
    /// What the review date offers, and what the transfer year offers, each with its steps as
    /// lines: what, and when.
    offers: Vec<(Offer, Vec<String>)>,
}

fn shown(
    record: &crate::core::Record,
    id: PupilId,
    also: &[YearGroup],
    today: chrono::NaiveDate,
) -> Option<Shown> {
    let pupil = record.pupil(id)?;
    if pupil.send_status != SendStatus::EhcPlan {
        return None;
    }
    let reviews = query::pupil_reviews(record, pupil, also, today);
    let next = match pupil.annual_review {
        Some(review) => {
            let stage = reviews
                .lines
                .iter()
                .find(|l| l.review == review)
                .map_or("Not planned yet", |l| l.stage());
            format!(
                "Next annual review: {} · {stage}",
                dates::uk_with_day(review)
            )
        }
        None => "No annual review date yet: set one in the details above, and its statutory steps are planned from it.".into(),
    };
    let deadline = query::transfer_due(pupil, also, today);
    let transfer = deadline.map(|d| statutory::transfer_text(pupil.year_group, d));
    let review_in_time = deadline
        .filter(|d| query::needs_review_before(pupil, *d))
        .map(|d| {
            format!(
                "Hold an annual review in time for the plan to be amended by {}: set its date in the details above and its steps are offered.",
                dates::uk(d)
            )
        });
    let offers = reviews
        .offers
        .into_iter()
        .map(|offer| {
            let lines = lines_of(&offer);
            (offer, lines)
        })
        .collect();
    Some(Shown {
        next,
        transfer,
        review_in_time,
        offers,
    })
}

/// Each step an offer adds or moves, as a line: what, and when.
fn lines_of(offer: &Offer) -> Vec<String> {
    match offer {
        Offer::Plan { drafts, .. } | Offer::Transfer { drafts, .. } => drafts
            .iter()
            .filter_map(|d| {
                let link = d.statutory?;
                let latest = link
                    .step
                    .latest(link.review)
                    .filter(|l| Some(*l) != d.due)
                    .map(|l| format!(" (no later than {})", dates::uk(l)))
                    .unwrap_or_default();
                Some(format!(
                    "{}: due {}{latest}",
                    d.next_step,
                    dates::uk(d.due?)
                ))
            })
            .collect(),
        Offer::Move { moves, .. } => moves
            .iter()
            .map(|m| {
                format!(
                    "{}: {} → {}",
                    m.step.rule().action,
                    dates::uk(m.from),
                    dates::uk(m.to)
                )
            })
            .collect(),
        Offer::Next { .. } => Vec::new(),
    }
}

/// The offer's question and its button.
fn asked(offer: &Offer) -> (String, String) {
    match offer {
        Offer::Plan { review, drafts } => (
            format!(
                "Plan the statutory steps of the review on {}? Each is an action for the owner below, marked as statutory.",
                dates::uk(*review)
            ),
            match drafts.len() {
                1 => "Add this action".to_string(),
                n => format!("Add these {n} actions"),
            },
        ),
        Offer::Move { from, to, moves } => (
            format!(
                "The review moved from {} to {}. Move its steps not yet done to the new dates?",
                dates::uk(*from),
                dates::uk(*to)
            ),
            match moves.len() {
                1 => "Move this action".to_string(),
                n => format!("Move {n} actions"),
            },
        ),
        Offer::Transfer { deadline, .. } => (
            format!(
                "Add the phase-transfer deadline, {}, as a statutory action?",
                dates::uk(*deadline)
            ),
            "Add this action".to_string(),
        ),
        Offer::Next { held, next } => (
            format!(
                "The review on {} is held. The next is due within 12 months: by {}.",
                dates::uk(*held),
                dates::uk(*next)
            ),
            format!("Set the next review to {}", dates::uk(*next)),
        ),
    }
}

#[component]
pub fn AnnualReview(id: PupilId) -> impl IntoView {
    let state = AppState::get();
    let today = AppState::today();
    let also = device::transfer_years();
    let view_of = Memo::new(move |_| {
        state.read(&[Kind::Pupils, Kind::Actions], |r| {
            shown(r, id, &also, today)
        })
    });
    let problem = RwSignal::new(None::<String>);
    // Who the actions offered go to: the SENCO unless another owner is typed.
    let owner = RwSignal::new(query::PLANNED_OWNER.to_string());
    let take = move |offer: Offer| {
        let offer = offer.with_owner(&owner.get_untracked());
        let taken = state.change_undoably(|record, today, now| {
            query::take_offer(record, id, &offer, today, now)
        });
        problem.set(taken.err().map(|p| p.to_string()));
    };
    move || {
        view_of.get().map(|shown| {
            let Shown {
                next,
                transfer,
                review_in_time,
                offers,
            } = shown;
            let adds = offers.iter().any(|(o, _)| o.adds());
            view! {
                <section class="card" aria-labelledby="annual-review-heading">
                    <h2 id="annual-review-heading">"EHC plan review"</h2>
                    <p class="review-next">{next}</p>
                    {transfer.map(|text| view! { <p class="note warning transfer">{text}</p> })}
                    {review_in_time.map(|text| view! { <p class="hint">{text}</p> })}
                    {adds.then(|| view! {
                        <div class="field">
                            <label for="review-owner">"Owner of the actions offered"</label>
                            <input id="review-owner" type="text" autocomplete="off"
                                prop:value=move || owner.get()
                                on:input=move |ev| owner.set(event_target_value(&ev)) />
                        </div>
                    })}
                    {offers.into_iter().map(|(offer, lines)| {
                        let (question, button) = asked(&offer);
                        let question_id = match offer {
                            Offer::Transfer { .. } => "transfer-offer-question",
                            _ => "review-offer-question",
                        };
                        view! {
                            <div class="panel review-offer" role="group" aria-labelledby=question_id>
                                <p id=question_id>{question}</p>
                                {(!lines.is_empty()).then(|| view! {
                                    <ul class="review-steps">
                                        {lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                                    </ul>
                                })}
                                <button type="button" class="primary" on:click=move |_| take(offer.clone())>{button}</button>
                            </div>
                        }
                    }).collect_view()}
                    {move || problem.get().map(|p| view! { <p class="note refusal" role="alert">{p}</p> })}
                </section>
            }
        })
    }
}

/// Settings: the year groups, besides the statutory ones, from which this setting's pupils move
/// to their next phase (a first or middle school's Year 4, say), kept on this device.
#[component]
pub fn TransferSettings() -> impl IntoView {
    let chosen = RwSignal::new(device::transfer_years());
    let said = RwSignal::new(String::new());
    let others: Vec<YearGroup> = YearGroup::ALL
        .iter()
        .copied()
        .filter(|y| !TRANSFER_YEARS.contains(y))
        .collect();
    let toggle = move |year: YearGroup, on: bool| {
        chosen.update(|years| {
            years.retain(|y| *y != year);
            if on {
                years.push(year);
            }
        });
        let kept = device::keep_transfer_years(&chosen.get_untracked());
        said.set(if kept {
            "Kept on this device.".into()
        } else {
            "This browser would not keep it: its storage is full or switched off.".into()
        });
    };
    view! {
        <section class="card" aria-labelledby="transfers-heading">
            <h2 id="transfers-heading">"Phase transfers"</h2>
            <p class="hint">"A pupil with an EHC plan in Nursery, Year 2, Year 6 or Year 11 moves to their next phase: the plan must be amended naming the next setting by 15 February (31 March from Year 11), as their page and the weekly review say. If your pupils also move on from another year (a first or middle school, say), tick it. Kept on this device, as the letterhead is."</p>
            <fieldset class="checks">
                <legend>"Transfer years of our own"</legend>
                {others.into_iter().map(|year| {
                    let box_id = format!("transfer-{}", year.code());
                    view! {
                        <div class="field check">
                            <input id=box_id.clone() type="checkbox"
                                prop:checked=move || chosen.with(|c| c.contains(&year))
                                on:change=move |ev| toggle(year, event_target_checked(&ev)) />
                            <label for=box_id>{year.label()}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <p class="hint" role="status">{move || said.get()}</p>
        </section>
    }
}
