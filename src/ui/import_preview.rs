//! The preview of an import: what the file would add and change, each conflict with both
//! versions to choose between, and every problem by row and column. Nothing changes until
//! "Import these changes" is pressed, and then everything changes at once (or nothing does).

use super::files;
use super::import_columns::{ColumnMatching, Matching};
use super::state::AppState;
use super::widgets::choice_options;
use crate::core::bundle::{self, Part};
use crate::core::merge::{Conflict, Difference, Entity, ImportPlan, ValueToChoose};
use crate::core::spreadsheet::ImportChoice;
use crate::core::{Choice, YearGroup};
use chrono::Utc;
use leptos::prelude::*;

/// At most this many problems, updates or warnings are listed; the rest are counted.
const LISTED: usize = 200;

#[component]
pub fn ImportPreview(
    plan: RwSignal<Option<ImportPlan>>,
    close: Callback<()>,
    /// Takes a choice made in the preview (a spreadsheet's) and plans the file again.
    choose: Callback<ImportChoice>,
    /// A spreadsheet's columns, as matched.
    matching: RwSignal<Matching>,
) -> impl IntoView {
    let state = AppState::get();
    let problems = move || plan.with(|p| p.as_ref().is_some_and(|p| !p.problems.is_empty()));
    let refusal = RwSignal::new(None::<String>);
    let source = move || plan.with(|p| p.as_ref().map(|p| p.source.clone()).unwrap_or_default());
    let can_apply = move || plan.with(|p| p.as_ref().is_some_and(ImportPlan::can_apply));
    let nothing = move || plan.with(|p| p.as_ref().is_some_and(ImportPlan::already_here));
    let apply = move |_| {
        let result = plan.with_untracked(|p| {
            p.as_ref()
                .map(|p| state.import(p, p.headline()))
                .unwrap_or(Ok(()))
        });
        match result {
            Ok(()) => close.run(()),
            Err(problem) => refusal.set(Some(problem.to_string())),
        }
    };
    let backup = move |_| {
        leptos::task::spawn_local(async move {
            if let Err(problem) = state.whole_history().await {
                refusal.set(Some(problem));
                return;
            }
            let name = bundle::file_name("record", AppState::today(), None, "json");
            let bytes = state.peek(|r| bundle::export(r, &Part::Everything, Utc::now()));
            if let Err(problem) = files::download(&bytes, &name, "application/json") {
                refusal.set(Some(problem));
            }
        });
    };
    view! {
        <section class="import-preview card" aria-labelledby="preview-heading">
            <h3 id="preview-heading" tabindex="-1">{move || format!("Check before importing: {}", source())}</h3>
            <ColumnMatching matching choose />
            <YearGroups plan choose />
            <ValuesToChoose plan choose />
            {move || if problems() {
                view! { <Problems plan matching /> }.into_any()
            } else if nothing() {
                view! {
                    <p class="outcome">"Everything in this file is already on this device. There is nothing to import."</p>
                }.into_any()
            } else {
                view! { <Summary plan /> }.into_any()
            }}
            <Notes plan />
            <Show when=move || !problems() && !can_apply()>
                <p class="outcome">"Make each choice above (a year group for each new pupil, a meaning for each value SEND Log does not know) to import this file."</p>
            </Show>
            {move || refusal.get().map(|message| view! { <p class="refused" role="alert">{message}</p> })}
            <div class="row finish">
                <Show when=move || can_apply() && !nothing()>
                    <button type="button" class="primary big" on:click=apply>"Import these changes"</button>
                    <button type="button" class="secondary" on:click=backup>"Download a copy of this device's record first"</button>
                </Show>
                <button type="button" class="secondary" on:click=move |_| close.run(())>
                    {move || if can_apply() && !nothing() { "Cancel" } else { "Close" }}
                </button>
            </div>
        </section>
    }
}

/// Why nothing can be imported: every problem, by row and column.
#[component]
fn Problems(plan: RwSignal<Option<ImportPlan>>, matching: RwSignal<Matching>) -> impl IntoView {
    let problems =
        move || plan.with(|p| p.as_ref().map(|p| p.problems.clone()).unwrap_or_default());
    view! {
        <div class="notice error" role="alert">
            <p><strong>{move || {
                let count = problems().len();
                if count == 1 {
                    "Nothing can be imported from this file. Nothing on this device has changed.".to_string()
                } else {
                    format!("Nothing can be imported from this file: it has {count} problems. Nothing on this device has changed.")
                }
            }}</strong></p>
            <ul class="problems">
                {move || problems().into_iter().take(LISTED).map(|p| view! { <li>{p.to_string()}</li> }).collect_view()}
            </ul>
            {move || {
                let more = problems().len().saturating_sub(LISTED);
                (more > 0).then(|| view! { <p>{format!("…and {more} more.")}</p> })
            }}
            <p>{move || if matching.with(|m| m.columns.is_empty()) {
                "Put these right in the file (or export it again from SEND Log), then choose it again."
            } else {
                "Where a column fills the wrong field (or none), match it in the column matching above. Anything else, put right in the file, then choose it again."
            }}</p>
        </div>
    }
}

/// What the import would do: counts, the rows it changes, and the conflicts to choose.
#[component]
fn Summary(plan: RwSignal<Option<ImportPlan>>) -> impl IntoView {
    let state = AppState::get();
    let lines = move || plan.with(|p| p.as_ref().map(ImportPlan::summary).unwrap_or_default());
    let updates = move || {
        plan.with(|p| {
            p.as_ref()
                .map(|p| state.peek(|r| p.updates(r, LISTED)))
                .unwrap_or_default()
        })
    };
    // The first few warnings, and how many there are: a large file can have thousands.
    let warnings = move || {
        plan.with(|p| {
            p.as_ref()
                .map(|p| {
                    let listed = p.warnings.iter().take(LISTED).cloned().collect::<Vec<_>>();
                    (p.warnings.len(), listed)
                })
                .unwrap_or_default()
        })
    };
    view! {
        <p>"If you import this file:"</p>
        <ul class="import-summary">
            {move || lines().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
        </ul>
        {move || {
            let updates = updates();
            (!updates.is_empty()).then(|| view! {
                <details class="changes">
                    <summary>{format!("See what changes ({})", updates.len())}</summary>
                    <ul>
                        {updates.into_iter().map(|u| view! {
                            <li><strong>{u.what}</strong> <Differences differences=u.differences /></li>
                        }).collect_view()}
                    </ul>
                </details>
            })
        }}
        <Conflicts plan />
        {move || {
            let (count, listed) = warnings();
            (count > 0).then(|| view! {
                <details class="changes">
                    <summary>{format!("{count} to look at again after importing (they can be imported as they are)")}</summary>
                    <ul>{listed.into_iter().map(|w| view! { <li>{w.to_string()}</li> }).collect_view()}</ul>
                </details>
            })
        }}
    }
}

#[component]
fn Differences(differences: Vec<Difference>) -> impl IntoView {
    view! {
        <ul class="differences">
            {differences.into_iter().map(|d| view! {
                <li>{format!("{}: {} → {}", d.label, blank(&d.ours), blank(&d.theirs))}</li>
            }).collect_view()}
        </ul>
    }
}

fn blank(text: &str) -> String {
    if text.is_empty() {
        "(empty)".into()
    } else {
        text.to_string()
    }
}

/// Each conflict: both versions side by side, and which to keep.
#[component]
fn Conflicts(plan: RwSignal<Option<ImportPlan>>) -> impl IntoView {
    let count = move || plan.with(|p| p.as_ref().map_or(0, ImportPlan::conflict_count));
    let everywhere = move |take: bool| {
        plan.update(|p| {
            if let Some(p) = p {
                p.take_theirs_everywhere(take)
            }
        })
    };
    view! {
        <Show when=move || { count() > 0 }>
            <section class="conflicts" aria-labelledby="conflicts-heading">
                <h4 id="conflicts-heading">{move || format!("Conflicts ({})", count())}</h4>
                <p class="hint">"These rows were changed differently on this device and in the file, at the same time. This device's version is kept unless you choose the file's."</p>
                <Show when=move || { count() > 1 }>
                    <div class="row">
                        <button type="button" class="secondary" on:click=move |_| everywhere(true)>"Use the file's version for all"</button>
                        <button type="button" class="secondary" on:click=move |_| everywhere(false)>"Keep this device's version for all"</button>
                    </div>
                </Show>
                {move || plan.with(|p| p.as_ref().map(|p| {
                    let pupils = p.pupils.conflicts.iter().enumerate().map(|(i, c)| conflict_view(plan, c, format!("pupil-{i}"), i, |p, i, take| p.pupils.conflicts[i].take_theirs = take));
                    let meetings = p.meetings.conflicts.iter().enumerate().map(|(i, c)| conflict_view(plan, c, format!("meeting-{i}"), i, |p, i, take| p.meetings.conflicts[i].take_theirs = take));
                    let actions = p.actions.conflicts.iter().enumerate().map(|(i, c)| conflict_view(plan, c, format!("action-{i}"), i, |p, i, take| p.actions.conflicts[i].take_theirs = take));
                    pupils.chain(meetings).chain(actions).take(LISTED).collect_view()
                }))}
            </section>
        </Show>
    }
}

/// A conflict, the `at`th of its kind; `choose` records the choice in the plan.
fn conflict_view<T: Entity>(
    plan: RwSignal<Option<ImportPlan>>,
    conflict: &Conflict<T>,
    key: String,
    at: usize,
    choose: fn(&mut ImportPlan, usize, bool),
) -> AnyView {
    let set = move |take: bool| {
        plan.update(|p| {
            if let Some(p) = p {
                choose(p, at, take)
            }
        })
    };
    let take_theirs = conflict.take_theirs;
    view! {
        <fieldset class="conflict">
            <legend>{conflict.what.to_string()}</legend>
            <table>
                <thead><tr><th scope="col">"Field"</th><th scope="col">"On this device"</th><th scope="col">"In the file"</th></tr></thead>
                <tbody>
                    {conflict.differences.iter().map(|d| view! {
                        <tr><th scope="row">{d.label}</th><td>{blank(&d.ours)}</td><td>{blank(&d.theirs)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <div class="check">
                <input type="radio" id=format!("{key}-ours") name=key.clone() prop:checked=!take_theirs on:change=move |_| set(false) />
                <label for=format!("{key}-ours")>"Keep this device's version"</label>
            </div>
            <div class="check">
                <input type="radio" id=format!("{key}-theirs") name=key.clone() prop:checked=take_theirs on:change=move |_| set(true) />
                <label for=format!("{key}-theirs")>"Use the file's version"</label>
            </div>
        </fieldset>
    }
    .into_any()
}

/// How the file was read: columns not used, defaults taken.
#[component]
fn Notes(plan: RwSignal<Option<ImportPlan>>) -> impl IntoView {
    let notes = move || plan.with(|p| p.as_ref().map(|p| p.notes.clone()).unwrap_or_default());
    view! {
        <ul class="hint notes">
            {move || notes().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
        </ul>
    }
}

/// New pupils the file gives no year group: a year group to choose for each, or one for all.
#[component]
fn YearGroups(plan: RwSignal<Option<ImportPlan>>, choose: Callback<ImportChoice>) -> impl IntoView {
    let asked = move || {
        plan.with(|p| {
            p.as_ref()
                .map(|p| p.years_to_choose.clone())
                .unwrap_or_default()
        })
    };
    // The choice for all shows the year group when every pupil has that one.
    let all = Signal::derive(move || {
        let asked = asked();
        let first = asked.first().and_then(|y| y.chosen);
        match first {
            Some(year) if asked.iter().all(|y| y.chosen == Some(year)) => year.code().to_string(),
            _ => String::new(),
        }
    });
    let year_of = |ev: leptos::ev::Event| YearGroup::from_text(&event_target_value(&ev));
    // Kept by name while choices are made, so the choice just made keeps the focus.
    let each = move || asked().into_iter().enumerate().collect::<Vec<_>>();
    view! {
        <Show when=move || plan.with(|p| p.as_ref().is_some_and(|p| !p.years_to_choose.is_empty()))>
            <fieldset class="year-groups">
                <legend>{move || format!("New pupils without a year group ({})", asked().len())}</legend>
                <p class="hint">"The file gives these pupils no year group. Choose one for each, or one for all of them; nothing is imported until each has one."</p>
                <div class="field">
                    <label for="year-for-all">"Year group for all of them"</label>
                    <select id="year-for-all" on:change=move |ev| {
                        if let Some(year) = year_of(ev) {
                            choose.run(ImportChoice::EveryYearGroup(year));
                        }
                    }>
                        {choice_options::<YearGroup>("Choose a year group", all)}
                    </select>
                </div>
                <ul>
                    <For each=each key=|(at, asked)| (*at, asked.name.clone()) let((at, asked))>
                        {
                            let id = format!("year-of-{at}");
                            let name = asked.name.clone();
                            let chosen = Signal::derive(move || {
                                plan.with(|p| {
                                    p.as_ref()
                                        .and_then(|p| p.years_to_choose.get(at))
                                        .and_then(|y| y.chosen)
                                        .map(|y| y.code().to_string())
                                        .unwrap_or_default()
                                })
                            });
                            let from_class = Signal::derive(move || {
                                plan.with(|p| {
                                    p.as_ref()
                                        .and_then(|p| p.years_to_choose.get(at))
                                        .and_then(|y| y.from_class.clone())
                                })
                            });
                            view! {
                                <li class="field">
                                    <label for=id.clone()>{format!("Year group of {}", asked.name)}</label>
                                    {move || from_class.get().map(|class| view! {
                                        <p class="hint">{format!("Guessed from the class or form “{class}”: check it.")}</p>
                                    })}
                                    <select id=id on:change=move |ev| {
                                        choose.run(ImportChoice::YearGroup { name: name.clone(), year: year_of(ev) });
                                    }>
                                        {choice_options::<YearGroup>("Choose a year group", chosen)}
                                    </select>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </fieldset>
        </Show>
    }
}

/// Values the file uses that SEND Log does not know ("Amber" as a status): what each means, to
/// choose once for every row that has it.
#[component]
fn ValuesToChoose(
    plan: RwSignal<Option<ImportPlan>>,
    choose: Callback<ImportChoice>,
) -> impl IntoView {
    let asked = move || {
        plan.with(|p| {
            p.as_ref()
                .map(|p| p.values_to_choose.clone())
                .unwrap_or_default()
        })
    };
    let each = move || asked().into_iter().enumerate().collect::<Vec<_>>();
    view! {
        <Show when=move || plan.with(|p| p.as_ref().is_some_and(|p| !p.values_to_choose.is_empty()))>
            <fieldset class="values-to-choose">
                <legend>{move || format!("Values SEND Log does not know ({})", asked().len())}</legend>
                <p class="hint">"Choose what each one means; the choice is used on every row that has it. Nothing is imported until each has one."</p>
                <ul>
                    <For each=each key=|(at, asked)| (*at, asked.field, asked.text.clone()) let((at, asked))>
                        <ValueToChooseField plan choose at asked />
                    </For>
                </ul>
            </fieldset>
        </Show>
    }
}

#[component]
fn ValueToChooseField(
    plan: RwSignal<Option<ImportPlan>>,
    choose: Callback<ImportChoice>,
    at: usize,
    asked: ValueToChoose,
) -> impl IntoView {
    let id = format!("value-of-{at}");
    let chosen = Memo::new(move |_| {
        plan.with(|p| {
            p.as_ref()
                .and_then(|p| p.values_to_choose.get(at))
                .and_then(|v| v.chosen)
        })
    });
    let rows = asked
        .rows
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let more = if asked.count > asked.rows.len() {
        ", …"
    } else {
        ""
    };
    let rows = if asked.count == 1 {
        format!("On row {rows}")
    } else {
        format!("On {} rows: {rows}{more}", asked.count)
    };
    let (field, text) = (asked.field, asked.text.clone());
    view! {
        <li class="field">
            <label for=id.clone()>{format!("{}: “{}”", asked.header, asked.text)}</label>
            <p class="hint">{rows}</p>
            <select id=id on:change=move |ev| {
                let label = event_target_value(&ev);
                choose.run(ImportChoice::Value {
                    field: field.to_string(),
                    text: text.clone(),
                    label: (!label.is_empty()).then_some(label),
                });
            }>
                <option value="" prop:selected=move || chosen.get().is_none()>{format!("Choose the {}", field.to_lowercase())}</option>
                {asked.choices.iter().map(|&label| view! {
                    <option value=label prop:selected=move || chosen.get() == Some(label)>{label}</option>
                }).collect_view()}
            </select>
        </li>
    }
}
