//! The weekly review: one screen that answers what is overdue, which statutory deadlines are
//! coming, what is due this week, what is waiting on someone else, what needs escalation, which
//! live rows have gone stale, and whose phase transfer is due this school year.

use super::action_card::{Page, RowList};
use super::route::Route;
use super::state::AppState;
use crate::core::dates;
use crate::core::query::{self, school_week, STALE_AFTER_DAYS, STATUTORY_AHEAD_DAYS};
use crate::core::statutory;
use crate::core::{ActionId, Choice, Kind};
use chrono::Days;
use leptos::prelude::*;

#[component]
pub fn ReviewScreen() -> impl IntoView {
    let state = AppState::get();
    let today = AppState::today();
    let review = Memo::new(move |_| {
        state.read(&[Kind::Actions, Kind::Pupils], |r| {
            query::weekly_review(r, today)
        })
    });
    let (monday, friday) = school_week(today);
    // Each part by id, worked out with the review (from the record as it was then).
    let part = move |pick: fn(&query::WeeklyReview) -> &Vec<usize>| {
        Memo::new(move |_| review.with(|w| state.peek(|r| r.action_ids(pick(w)))))
    };
    let ahead = today
        .checked_add_days(Days::new(STATUTORY_AHEAD_DAYS))
        .map(dates::uk)
        .unwrap_or_default();
    let sections: [(&'static str, &'static str, String, Memo<Vec<ActionId>>); 6] = [
        ("overdue", "Overdue", "Live actions past their due date.".into(), part(|r| &r.overdue)),
        (
            "statutory",
            "Statutory deadlines in the next 4 weeks",
            format!("EHC plan review steps due by {ahead}, and any whose deadline the law sets has passed."),
            part(|r| &r.statutory),
        ),
        (
            "this-week",
            "Due this week",
            format!("Due from today to Friday {}.", dates::uk(friday)),
            part(|r| &r.due_this_week),
        ),
        ("waiting", "Waiting on someone else", "Chase these.".into(), part(|r| &r.waiting)),
        (
            "escalation",
            "Needs escalation",
            "Flagged for escalation; clear the flag once it is dealt with.".into(),
            part(|r| &r.escalated),
        ),
        (
            "stale",
            "Stale",
            format!("Live, with no update for {STALE_AFTER_DAYS} days or more: update, close or park them."),
            part(|r| &r.stale),
        ),
    ];
    view! {
        <section class="card" aria-labelledby="review-heading">
            <h2 id="review-heading">"Weekly review"</h2>
            <p class="hint">{format!("Week of {} to {}.", dates::uk(monday), dates::uk(friday))}</p>
            <nav class="review-summary" aria-label="Weekly review sections">
                <ul>
                    {sections.iter().map(|(id, title, _, rows)| {
                        let (id, title, rows) = (*id, *title, *rows);
                        view! {
                            <li><a href=format!("#review-{id}") on:click=move |ev| {
                                ev.prevent_default();
                                scroll_to(&format!("review-{id}"));
                            }>
                                <span class="count-figure">{move || rows.with(Vec::len)}</span>" "{title}
                            </a></li>
                        }
                    }).collect::<Vec<_>>()}
                </ul>
            </nav>
        </section>
        {sections.into_iter().map(|(id, title, hint, rows)| view! {
            <section class="card" id=format!("review-{id}") aria-labelledby=format!("review-{id}-heading")>
                <h2 id=format!("review-{id}-heading")>{title}" "<span class="count-pill">{move || rows.with(Vec::len)}</span></h2>
                <p class="hint">{hint}</p>
                <Show when=move || rows.with(Vec::is_empty)>
                    <p class="empty">"None."</p>
                </Show>
                <RowList rows=Callback::new(move |limit| rows.with(|ids| Page::first(ids, limit))) page=20 label=title table=true />
            </section>
        }).collect_view()}
        <Transfers today />
    }
}

/// Scrolls a section into view without changing the address (which holds the screen).
fn scroll_to(id: &str) {
    if let Some(section) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        section.scroll_into_view();
    }
}

/// The pupils with an EHC plan whose phase-transfer deadline falls in this school year and has
/// not passed: shown from the autumn term (the school year starts on 1 September).
#[component]
fn Transfers(today: chrono::NaiveDate) -> impl IntoView {
    let state = AppState::get();
    let also = crate::store::device::transfer_years();
    let lines = Memo::new(move |_| {
        state.read(&[Kind::Pupils], |r| {
            query::transfers(r, &also, today)
                .into_iter()
                .filter_map(|(id, deadline)| {
                    let p = r.pupil(id)?;
                    Some((
                        Route::Pupil(id).href(),
                        format!("{} ({})", p.name, p.year_group.label()),
                        statutory::transfer_text(p.year_group, deadline),
                    ))
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="card" id="review-transfers" aria-labelledby="review-transfers-heading">
            <h2 id="review-transfers-heading">"Phase transfers this school year "<span class="count-pill">{move || lines.with(Vec::len)}</span></h2>
            <p class="hint">"Pupils with an EHC plan moving to their next phase (Nursery, Year 2, Year 6 and Year 11, and any year ticked in Settings): the plan is amended naming the next setting by 15 February, or by 31 March from Year 11."</p>
            <Show when=move || lines.with(Vec::is_empty)>
                <p class="empty">"None."</p>
            </Show>
            <ul class="transfers">
                {move || lines.get().into_iter().map(|(href, who, text)| view! {
                    <li><a href=href class="pupil">{who}</a>" "<span>{text}</span></li>
                }).collect_view()}
            </ul>
        </section>
    }
}
