//! The tracker: every live action (or, as the archive, every done and parked one), one row each,
//! filtered by pupil, owner, year group, item type and status, searched, sorted; several rows
//! changed at once. The filter lives in the address.

use super::action_card::{Page, RowList};
use super::action_form::{AddAction, Place};
use super::action_table::Sorting;
use super::files;
use super::pupil_picker::pupil_options;
use super::route::{Address, Route};
use super::share::{Chosen, ExportButtons, THESE_ROWS};
use super::state::AppState;
use super::widgets::{choice_options, keep_selected};
use crate::core::query::{self, Filter, Scope, SortBy};
use crate::core::{Choice, ItemType, PupilId, Status, YearGroup};
use leptos::prelude::*;

#[component]
pub fn TrackerScreen(address: Address, scope: Scope) -> impl IntoView {
    let state = AppState::get();
    let route = address.route();
    let filter = Memo::new(move |_| {
        route.with(|r| r.filter().cloned()).unwrap_or(Filter {
            scope,
            ..Filter::default()
        })
    });
    // Each search keeps what it found, with the record's version, so that typing more of a
    // word narrows those rows, and an edit moves just the edited rows, instead of scanning the
    // whole record again.
    let search = Memo::new(move |previous: Option<&(Filter, u64, Vec<usize>)>| {
        files::time_from("sendlog:search");
        let next = filter.get();
        let version = state.version();
        let rows = state.search(|r, i| match previous {
            Some((before, seen, rows)) if *seen == version => {
                query::tracker_after(r, i, &next, Some((before, rows)))
            }
            Some((before, seen, rows)) if *seen + 1 == version && *before == next => {
                match state.edited_in(version) {
                    Some(edited) => query::tracker_after_edit(r, i, &next, rows, &edited),
                    None => query::tracker(r, i, &next),
                }
            }
            _ => query::tracker(r, i, &next),
        });
        files::time_to("sendlog:search");
        (next, version, rows)
    });
    // The first `limit` rows found, by id: held across taps and waits, which positions are
    // not. Only as many as are asked for, so that an edit works out a page's ids, not every
    // row's.
    let found = move |limit: usize| {
        search.with(|s| state.peek(|r| r.action_ids(&s.2[..limit.min(s.2.len())])))
    };
    let found_count = Memo::new(move |_| search.with(|s| s.2.len()));
    // The ticked rows, which the bulk change beneath the screen acts on: none on arriving,
    // none left on leaving.
    let selected = state.ticked;
    selected.set(Vec::new());
    on_cleanup(move || selected.set(Vec::new()));
    let show = move |change: &dyn Fn(&mut Filter)| {
        let mut next = filter.get_untracked();
        change(&mut next);
        selected.set(Vec::new());
        match scope {
            Scope::Live => Route::Tracker(next),
            Scope::Archive => Route::Archive(next),
        }
    };
    let (title, noun) = match scope {
        Scope::Live => ("Tracker", "live actions"),
        Scope::Archive => ("Archive", "done or parked actions"),
    };
    // The box shows the address's words, so Back or Forward to another search shows its own
    // (typing puts the words typed into the address at once, so the box is left as it is).
    let text = Memo::new(move |_| filter.with(|f| f.text.clone()));
    let pupils = pupil_options(state);
    // The owners as shown: "Class teacher (Mrs Patel)" is a person of their own.
    let owners = state.owner_choices;
    // Each select follows its own part of the filter, so typing a search does not touch the
    // thousands of options of the pupil and owner selects.
    let chosen_pupil = Memo::new(move |_| filter.with(|f| f.pupil.map(|p| p.to_string())));
    let chosen_owner =
        Memo::new(move |_| filter.with(|f| f.owner.as_ref().map(|o| o.to_lowercase())));
    let statuses: Vec<Status> = Status::ALL
        .iter()
        .copied()
        .filter(|s| s.is_live() == (scope == Scope::Live))
        .collect();
    let selected_text = move |value: Option<String>| value.unwrap_or_default();
    let (pupil_select, owner_select) = (NodeRef::new(), NodeRef::new());
    // The pupil and owner selects get their options (a school's two thousand pupils) once the
    // filters are first opened, not with every tracker drawn; the option chosen in the address
    // is drawn selected, since the select's value cannot be set before its options are there.
    let filters_opened = RwSignal::new(false);
    // Until then there is nothing to select, and the lists are not worked out (the owners'
    // is a pass over every action).
    keep_selected(pupil_select, move || {
        if !filters_opened.get() {
            return String::new();
        }
        pupils.track();
        chosen_pupil.get().unwrap_or_default()
    });
    keep_selected(owner_select, move || {
        if !filters_opened.get() {
            return String::new();
        }
        let chosen = chosen_owner.get();
        owners.with(|list| {
            list.iter()
                .find(|o| Some(o.to_lowercase()) == chosen)
                .cloned()
                .unwrap_or_default()
        })
    });
    // The form for a stand-alone item is drawn when it is opened, not with the tracker.
    let adding_here = RwSignal::new(false);
    let cleared = match scope {
        Scope::Live => Route::Tracker(Filter::default()),
        Scope::Archive => Route::Archive(Filter {
            scope,
            ..Filter::default()
        }),
    };

    view! {
        <section class="card" aria-labelledby="tracker-heading">
            <div class="tracker-top">
            <h2 id="tracker-heading">{title}</h2>
            <form class="filters" role="search" aria-label=format!("Filter the {}", title.to_lowercase())
                on:submit=|ev| ev.prevent_default()>
                <div class="filter-line">
                <div class="field search">
                    <label for="search">"Search"</label>
                    <input id="search" type="search" autocomplete="off"
                        placeholder="Pupil, decision, action, owner or note"
                        prop:value=move || text.get()
                        on:input=move |ev| {
                            let typed = event_target_value(&ev);
                            address.replace(show(&|f| f.text = typed.clone()));
                        }
                        on:blur=move |_| address.settle() />
                </div>
                <details class="filters-more" on:toggle=move |_| filters_opened.set(true)>
                <summary>{move || {
                    let parts = filter.with(|f| {
                        let pupil = f.pupil.and_then(|id| state.peek(|r| r.pupil(id).map(|p| p.name.clone())));
                        f.described(pupil.as_deref())
                    });
                    if parts.is_empty() { "Filters: none".to_string() } else { format!("Filters: {}", parts.join(" · ")) }
                }}</summary>
                <div class="grid filters-grid">
                    <div class="field">
                        <label for="filter-pupil">"Pupil"</label>
                        <select id="filter-pupil" node_ref=pupil_select on:change=move |ev| {
                            let value = PupilId::parse(&event_target_value(&ev));
                            show(&|f| f.pupil = value).go();
                        }>
                            <option value="">"All pupils"</option>
                            <For each=move || opened(filters_opened, pupils) key=|p| p.clone() let((id, name))>
                                <option selected=untrack(|| chosen_pupil.get()).as_deref() == Some(id.as_str()) value=id>{name}</option>
                            </For>
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-owner">"Owner"</label>
                        <select id="filter-owner" node_ref=owner_select on:change=move |ev| {
                            let value = Some(event_target_value(&ev)).filter(|v| !v.is_empty());
                            show(&|f| f.owner = value.clone()).go();
                        }>
                            <option value="">"All owners"</option>
                            <For each=move || opened(filters_opened, owners) key=|o| o.clone() let(owner)>
                                {
                                    let value = owner.clone();
                                    let chosen = untrack(|| chosen_owner.get()) == Some(owner.to_lowercase());
                                    view! { <option selected=chosen value=value>{owner}</option> }
                                }
                            </For>
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-year">"Year group"</label>
                        <select id="filter-year" on:change=move |ev| {
                            let value = YearGroup::from_text(&event_target_value(&ev));
                            show(&|f| f.year_group = value).go();
                        }>
                            {choice_options::<YearGroup>("All year groups", Memo::new(move |_| selected_text(filter.with(|f| f.year_group.map(|y| y.code().to_string())))).into())}
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-type">"Item type"</label>
                        <select id="filter-type" on:change=move |ev| {
                            let value = ItemType::from_text(&event_target_value(&ev));
                            show(&|f| f.item_type = value).go();
                        }>
                            {choice_options::<ItemType>("All item types", Memo::new(move |_| selected_text(filter.with(|f| f.item_type.map(|t| t.code().to_string())))).into())}
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-status">"Status"</label>
                        <select id="filter-status" on:change=move |ev| {
                            let value = Status::from_text(&event_target_value(&ev));
                            show(&|f| f.status = value).go();
                        }>
                            <option value="" prop:selected=move || filter.with(|f| f.status.is_none())>"All"</option>
                            {statuses.iter().map(|&s| view! {
                                <option value=s.code() prop:selected=move || filter.with(|f| f.status == Some(s))>{s.label()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field check">
                        <input id="filter-statutory" type="checkbox"
                            prop:checked=move || filter.with(|f| f.statutory)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                show(&|f| f.statutory = on).go();
                            } />
                        <label for="filter-statutory">"Statutory deadlines only"</label>
                    </div>
                    <div class="field">
                        <label for="sort">"Sort by"</label>
                        <select id="sort" on:change=move |ev| {
                            let value = SortBy::from_code(&event_target_value(&ev)).unwrap_or_default();
                            show(&|f| f.sort_by(value)).go();
                        }>
                            {SortBy::ALL.iter().map(|&s| view! {
                                <option value=s.code() prop:selected=move || filter.with(|f| f.sort == s)>{s.label()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                </details>
                </div>
            </form>
            </div>
            <div class="tools">
                <p class="count" aria-live="polite">
                {move || {
                    let n = found_count.get();
                    if n == 1 { format!("1 of the {noun}") } else { format!("{n} {noun}") }
                }}
                <Show when=move || filter.with(Filter::is_narrowed)>
                    " · "<a href=cleared.href()>"Clear filters"</a>
                </Show>
                {move || filter.with(|f| f.pupil).and_then(|id| {
                    let name = state.peek(|r| r.pupil(id).map(|p| p.name.clone()))?;
                    Some(view! { " · "<a href=Route::Pupil(id).href()>{format!("{name}'s page")}</a> })
                })}
            </p>
            {(scope == Scope::Live).then(|| view! {
                <details class="add-here" on:toggle=move |ev| {
                    use leptos::wasm_bindgen::JsCast;
                    let open = ev.target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
                        .is_some_and(|d| d.open());
                    if open {
                        adding_here.set(true);
                    }
                }>
                    <summary>"Add a stand-alone item"</summary>
                    <p class="hint">"For something that comes from no meeting: an annual review date, an intervention's start or end, a referral, a promised document."</p>
                    <Show when=move || adding_here.get()>
                        <AddAction place=Place::Anywhere heading="Add a stand-alone item" />
                    </Show>
                </details>
            })}
            <details class="exports-here">
                <summary>"Download these rows"</summary>
                <p class="hint">"The rows this filter shows, as a file for Excel (CSV) or an exact copy with their history (JSON)."</p>
                <ExportButtons labels=THESE_ROWS chosen=Callback::new(move |_| {
                    let about = filter.with_untracked(|f| match (&f.pupil, &f.owner) {
                        (Some(pupil), _) => state.peek(|r| r.pupil(*pupil).map(|p| p.name.clone())),
                        (None, Some(owner)) => Some(owner.clone()),
                        _ if f.is_narrowed() => Some("filtered".into()),
                        _ => (scope == Scope::Archive).then(|| "archive".into()),
                    });
                    Chosen::Rows(untrack(|| found(usize::MAX)), about)
                }) />
            </details>
            <button type="button" class="secondary" on:click=move |_| {
                selected.set(untrack(|| found(25)));
            }>"Select the first 25"</button>
            </div>
            <RowList rows=Callback::new(move |limit| Page { ids: found(limit), total: found_count.get() }) selection=selected page=16 label=title
                more_on_scroll=true restart=filter
                table=true sorting=Sorting {
                    by: Memo::new(move |_| filter.with(|f| f.sort)),
                    descending: Memo::new(move |_| filter.with(Filter::descending)),
                    choose: Callback::new(move |by| show(&|f| f.sort_by(by)).go()),
                } />
        </section>
    }
}

/// The options of a long select once the filters have been opened; none before.
fn opened<T: Clone + Send + Sync + 'static>(filters: RwSignal<bool>, list: Memo<Vec<T>>) -> Vec<T> {
    if filters.get() {
        list.get()
    } else {
        Vec::new()
    }
}
