//! The weekly review: one screen that answers what is overdue, what is due this week, what is
//! waiting on someone else, what needs escalation, and which live rows have gone stale.

use super::action_card::{Page, RowList};
use super::state::AppState;
use crate::core::dates;
use crate::core::query::{self, school_week, STALE_AFTER_DAYS};
use crate::core::{ActionId, Kind};
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
    let sections: [(&'static str, &'static str, String, Memo<Vec<ActionId>>); 5] = [
        ("overdue", "Overdue", "Live actions past their due date.".into(), part(|r| &r.overdue)),
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
                <RowList rows=Callback::new(move |limit| rows.with(|ids| Page::first(ids, limit))) page=20 label=title />
            </section>
        }).collect_view()}
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
