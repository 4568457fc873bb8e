//! A pupil's EHC plan review on their page: the next review and its stage, the phase-transfer
//! deadline, and what the review date offers (its statutory steps, previewed, added, moved or
//! followed by next year's in one tap that "Undo" takes back).

use super::state::AppState;
use crate::core::dates;
use crate::core::query::{self, Offer};
use crate::core::statutory;
use crate::core::{Kind, PupilId, SendStatus};
use leptos::prelude::*;

/// What the section shows, worked out from the record.
#[derive(Clone, PartialEq)]
struct Shown {
    /// "Next annual review: Fri 12 Mar 2027 · Advice in", or how to set one.
    next: String,
    transfer: Option<String>,
    offer: Option<Offer>,
    /// Each offered step as a line: what, and when.
    lines: Vec<String>,
}

fn shown(record: &crate::core::Record, id: PupilId, today: chrono::NaiveDate) -> Option<Shown> {
    let pupil = record.pupil(id)?;
    if pupil.send_status != SendStatus::EhcPlan {
        return None;
    }
    let next = match pupil.annual_review {
        Some(review) => {
            let stage = query::reviews_of(record, id)
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
    let transfer = statutory::transfer_deadline(pupil.year_group, &[], today)
        .filter(|d| *d >= today)
        .map(|d| statutory::transfer_text(pupil.year_group, d));
    let offer = query::offer(record, pupil, today);
    let lines = match &offer {
        Some(Offer::Plan { drafts, .. }) => drafts
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
        Some(Offer::Move { moves, .. }) => moves
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
        _ => Vec::new(),
    };
    Some(Shown {
        next,
        transfer,
        offer,
        lines,
    })
}

/// The offer's question and its button.
fn asked(offer: &Offer) -> (String, String) {
    match offer {
        Offer::Plan { review, drafts } => (
            format!(
                "Plan the statutory steps of the review on {}? Each is an action for the SENCO (change the owner afterwards), marked as statutory.",
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
    let view_of =
        Memo::new(move |_| state.read(&[Kind::Pupils, Kind::Actions], |r| shown(r, id, today)));
    let problem = RwSignal::new(None::<String>);
    let take = move |offer: Offer| {
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
                offer,
                lines,
            } = shown;
            view! {
                <section class="card" aria-labelledby="annual-review-heading">
                    <h2 id="annual-review-heading">"EHC plan review"</h2>
                    <p class="review-next">{next}</p>
                    {transfer.map(|text| view! { <p class="note warning transfer">{text}</p> })}
                    {offer.map(|offer| {
                        let (question, button) = asked(&offer);
                        view! {
                            <div class="panel review-offer" role="group" aria-labelledby="review-offer-question">
                                <p id="review-offer-question">{question}</p>
                                {(!lines.is_empty()).then(|| view! {
                                    <ul class="review-steps">
                                        {lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                                    </ul>
                                })}
                                <button type="button" class="primary" on:click=move |_| take(offer.clone())>{button}</button>
                                {move || problem.get().map(|p| view! { <p class="note refusal">{p}</p> })}
                            </div>
                        }
                    })}
                </section>
            }
        })
    }
}
