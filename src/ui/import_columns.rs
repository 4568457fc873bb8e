//! The column-matching step of a spreadsheet's preview: each column of the file, its first few
//! values, and which SEND Log field it fills (or "leave out", or into the note), to choose.

use crate::core::spreadsheet::{ColumnMatch, ImportChoice, Target};
use leptos::prelude::*;

/// The columns of the file as matched, and whether the person must look (a column not placed, or
/// a needed field without a column).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Matching {
    pub needed: bool,
    pub columns: Vec<ColumnMatch>,
}

#[component]
pub fn ColumnMatching(
    matching: RwSignal<Matching>,
    choose: Callback<ImportChoice>,
) -> impl IntoView {
    let needed = move || matching.with(|m| m.needed);
    // Opened whenever something must be matched, and never closed by itself: the last needed
    // choice does not fold the table away under the person's finger (and focus).
    let details = NodeRef::<leptos::html::Details>::new();
    Effect::new(move |_| {
        if needed() {
            if let Some(details) = details.get() {
                details.set_open(true);
            }
        }
    });
    // Each column's row is kept while choices are made (keyed by place and header), so the
    // choice just made keeps the focus and a keyboard user carries on down the table.
    let columns = move || {
        matching.with(|m| {
            m.columns
                .iter()
                .enumerate()
                .map(|(at, c)| (at, c.header.clone(), c.samples.join(" · ")))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || matching.with(|m| !m.columns.is_empty())>
            <details class="columns" node_ref=details>
                <summary>{move || if needed() {
                    "Match the file's columns to SEND Log's fields".to_string()
                } else {
                    format!("How the {} columns were matched (change any)", matching.with(|m| m.columns.len()))
                }}</summary>
                <p class="hint">"For each column of the file, choose the field of SEND Log it fills. Pupil, Action, Owner and Due are needed. A column with no field of its own (a RAG colour, say) can go into the note. Your choices are kept on this device for the next file with the same column names."</p>
                <table>
                    <thead><tr><th scope="col">"Column in the file"</th><th scope="col">"First values"</th><th scope="col">"Fills"</th></tr></thead>
                    <tbody>
                        <For each=columns key=|(at, header, _)| (*at, header.clone()) let((at, header, samples))>
                            <ColumnRow matching choose at header samples />
                        </For>
                    </tbody>
                </table>
            </details>
        </Show>
    }
}

#[component]
fn ColumnRow(
    matching: RwSignal<Matching>,
    choose: Callback<ImportChoice>,
    at: usize,
    header: String,
    samples: String,
) -> impl IntoView {
    let id = format!("column-{at}");
    let header = if header.is_empty() {
        format!("Column {}", at + 1)
    } else {
        header
    };
    let current = Memo::new(move |_| matching.with(|m| m.columns.get(at).map(|c| c.target)));
    view! {
        <tr>
            <th scope="row"><label for=id.clone()>{header}</label></th>
            <td>{samples}</td>
            <td>
                <select id=id on:change=move |ev| {
                    if let Some(target) = Target::from_code(&event_target_value(&ev)) {
                        choose.run(ImportChoice::Column { at, target });
                    }
                }>
                    {Target::all().map(|target| view! {
                        <option value=target.code() prop:selected=move || current.get() == Some(target)>{target.label()}</option>
                    }).collect_view()}
                </select>
            </td>
        </tr>
    }
}
