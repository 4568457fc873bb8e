//! Import and export: download the record (JSON) or its tables (CSV), and bring a file in. The
//! export buttons are shared with the tracker and the pupil page, which export what they show.

use super::backup::LastCopy;
use super::files;
use super::import_columns::Matching;
use super::import_preview::ImportPreview;
use super::state::AppState;
use crate::core::bundle::{self, Part, JSON_LIMIT_BYTES};
use crate::core::merge::ImportPlan;
use crate::core::spreadsheet::{
    self, CsvImport, ImportChoice, Table, CSV_LIMIT_BYTES, CSV_LIMIT_ROWS,
};
use crate::core::{ActionId, PupilId};
use crate::store::device;
use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

#[component]
pub fn ShareScreen() -> impl IntoView {
    view! {
        <h2>"Import and export"</h2>
        <section class="card" aria-labelledby="export-heading">
            <h3 id="export-heading">"Export"</h3>
            <p>"Files go to this device's downloads; nothing is sent anywhere. Share them as your school shares personal data, and delete copies you no longer need."</p>
            <ul class="hint">
                <li><strong>"Everything (JSON)"</strong>": an exact copy of the whole record — pupils, meetings, actions and every change — to move it to another device or keep as a backup."</li>
                <li><strong>"The action log (CSV)"</strong>": every action, live and archived, as a table for Excel."</li>
                <li><strong>"The tracker (CSV)"</strong>": the live actions, soonest due first. To export one pupil or one owner, filter the tracker and use its download buttons."</li>
            </ul>
            <ExportButtons chosen=Callback::new(|_| Chosen::Everything) labels=EVERYTHING />
            <LastCopy />
        </section>
        <section class="card" aria-labelledby="import-heading">
            <h3 id="import-heading">"Import"</h3>
            <ImportFile />
        </section>
    }
}

/// Which rows an export holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Chosen {
    Everything,
    /// The rows a filter shows, and words for the file name.
    Rows(Vec<ActionId>, Option<String>),
    /// One pupil's whole record, with their name for the file name.
    Pupil(PupilId, String),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Format {
    Json,
    Csv(Table),
}

/// The buttons' names, for the JSON bundle, the action log and the tracker.
pub type Labels = [&'static str; 3];

pub const EVERYTHING: Labels = [
    "Download everything (JSON)",
    "Download the action log (CSV)",
    "Download the tracker (CSV)",
];
pub const THESE_ROWS: Labels = [
    "Download these rows with their history (JSON)",
    "Download these rows as the action log (CSV)",
    "Download these rows as the tracker (CSV)",
];
pub const THIS_PUPIL: Labels = [
    "Download this pupil's record (JSON)",
    "Download this pupil's action log (CSV)",
    "Download this pupil's tracker (CSV)",
];

/// Download buttons for what `chosen` picks when one is pressed: the JSON bundle, and the CSV
/// tables.
#[component]
pub fn ExportButtons(chosen: Callback<(), Chosen>, labels: Labels) -> impl IntoView {
    let state = AppState::get();
    let busy = RwSignal::new(None::<String>);
    let said = RwSignal::new(String::new());
    // A file made ready on a device that can share files, and whether it is the whole record.
    let ready = RwSignal::new_local(None::<(web_sys::File, bool)>);
    let export = move |format: Format| {
        let chosen = chosen.run(());
        let today = AppState::today();
        let (word, extension, mime) = match format {
            Format::Json => ("record", "json", "application/json"),
            Format::Csv(table) => (table.file_word(), "csv", "text/csv;charset=utf-8"),
        };
        let about = match &chosen {
            Chosen::Everything => None,
            Chosen::Rows(_, about) => about.clone(),
            Chosen::Pupil(_, name) => Some(name.clone()),
        };
        let name = bundle::file_name(word, today, about.as_deref(), extension);
        busy.set(Some(format!("Preparing {name}…")));
        said.set(String::new());
        ready.set(None);
        spawn_local(async move {
            files::let_the_page_draw().await;
            if format == Format::Json {
                if let Err(problem) = state.whole_history().await {
                    busy.set(None);
                    said.set(problem);
                    return;
                }
            }
            files::time_from("sendlog:export");
            let bytes = state.peek(|record| {
                let part = match &chosen {
                    Chosen::Everything => Part::Everything,
                    Chosen::Rows(rows, _) => Part::Actions(rows),
                    Chosen::Pupil(pupil, _) => Part::Pupil(*pupil),
                };
                match format {
                    Format::Json => bundle::export(record, &part, Utc::now()),
                    Format::Csv(table) => spreadsheet::export(record, table, &part, today),
                }
            });
            let whole = format == Format::Json && chosen == Chosen::Everything;
            let file = files::file_of(&bytes, &name, mime);
            files::time_to("sendlog:export");
            busy.set(None);
            // Where files can be shared (a tablet), the person chooses: share or save.
            if let Ok(file) = &file {
                if files::can_share(file) {
                    said.set(format!(
                        "{name} is ready. Share it, or save it to this device."
                    ));
                    ready.set(Some((file.clone(), whole)));
                    return;
                }
            }
            said.set(saved(
                file.and_then(|f| files::download_file(&f)),
                &name,
                whole,
                state,
            ));
        });
    };
    let share = move |_| {
        let Some((file, whole)) = ready.get_untracked() else {
            return;
        };
        let name = file.name();
        spawn_local(async move {
            match files::share(&file).await {
                Ok(files::Shared::Done) => {
                    if whole {
                        state.note_export();
                    }
                    ready.set(None);
                    said.set(format!("{name} is shared."));
                }
                Ok(files::Shared::Cancelled) => said.set(format!(
                    "{name} was not shared. Share it, or save it to this device."
                )),
                Err(problem) => said.set(problem),
            }
        });
    };
    let save = move |_| {
        if let Some((file, whole)) = ready.get_untracked() {
            ready.set(None);
            said.set(saved(
                files::download_file(&file),
                &file.name(),
                whole,
                state,
            ));
        }
    };
    let formats = [
        Format::Json,
        Format::Csv(Table::ActionLog),
        Format::Csv(Table::Tracker),
    ];
    view! {
        <div class="row exports">
            {formats.into_iter().zip(labels).map(|(format, label)| view! {
                <button type="button" class="secondary" disabled=move || busy.with(Option::is_some)
                    on:click=move |_| export(format)>
                    {label}
                </button>
            }).collect_view()}
        </div>
        <p role="status" class="hint">{move || busy.get().unwrap_or_else(|| said.get())}</p>
        <Show when=move || ready.with(Option::is_some)>
            <div class="row exports">
                <button type="button" class="primary" on:click=share>"Share…"</button>
                <button type="button" class="secondary" on:click=save>"Save to this device"</button>
            </div>
        </Show>
    }
}

/// What a download said; the whole record's is noted as the last copy made.
fn saved(result: Result<(), String>, name: &str, whole: bool, state: AppState) -> String {
    match result {
        Ok(()) => {
            if whole {
                state.note_export();
            }
            format!("{name} is saved to this device's downloads.")
        }
        Err(problem) => problem,
    }
}

/// Where an import has got to.
#[derive(Clone, Debug, PartialEq)]
enum Stage {
    Idle,
    /// Reading or checking the file: what is happening, and how far (0 to 1) when known.
    Working(String, Option<f64>),
    /// The preview is showing.
    Preview,
}

/// The file picker, the progress of reading a file, and the preview.
#[component]
fn ImportFile() -> impl IntoView {
    let state = AppState::get();
    let stage = RwSignal::new(Stage::Idle);
    let plan = RwSignal::new(None::<ImportPlan>);
    // A spreadsheet read, kept while its preview shows, to be planned again after each choice.
    let import = StoredValue::new_local(None::<CsvImport>);
    let matching = RwSignal::new(Matching::default());
    let input = NodeRef::<leptos::html::Input>::new();
    let chosen = move |_| {
        let Some(file) = input
            .get_untracked()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0))
        else {
            return;
        };
        spawn_local(read_and_plan(state, file, stage, plan, import, matching));
    };
    let choose = Callback::new(move |choice: ImportChoice| {
        let again = import.try_update_value(|import| {
            import.as_mut().map(|import| {
                let column = matches!(choice, ImportChoice::Column { .. });
                import.choose(choice);
                if column {
                    device::keep_column_choices(&import.header_key(), &import.choices_text());
                }
                let again = state.peek(|record| import.plan(record, AppState::today(), Utc::now()));
                (again, matching_of(import))
            })
        });
        if let Some(Some((again, shown))) = again {
            plan.set(Some(again));
            matching.set(shown);
        }
    });
    let close = Callback::new(move |_: ()| {
        import.set_value(None);
        matching.set(Matching::default());
        plan.set(None);
        stage.set(Stage::Idle);
        if let Some(input) = input.get_untracked() {
            input.set_value("");
            let _ = input.focus();
        }
    });
    view! {
        <div class="field">
            <label for="import-file">"Choose a file to import"</label>
            <p class="hint" id="import-hint">
                {format!(
                    "A .json bundle exported from SEND Log (up to {} MB), or a spreadsheet saved by Excel as CSV or Unicode text (up to {} MB and {} rows), its first row naming the columns. You see what it would change before anything is changed.",
                    JSON_LIMIT_BYTES / (1024 * 1024), CSV_LIMIT_BYTES / (1024 * 1024), thousands(CSV_LIMIT_ROWS)
                )}
            </p>
            <input id="import-file" type="file" node_ref=input aria-describedby="import-hint"
                accept=".json,.csv,.txt,.tsv,application/json,text/csv,text/plain,text/tab-separated-values"
                disabled=move || matches!(stage.get(), Stage::Working(..))
                on:change=chosen />
        </div>
        {move || match stage.get() {
            Stage::Working(what, progress) => view! {
                <div class="import-progress" role="status">
                    <p>{what}</p>
                    {match progress {
                        Some(done) => view! { <progress max="1" prop:value=done aria-label="Progress"></progress> }.into_any(),
                        None => view! { <progress aria-label="Progress"></progress> }.into_any(),
                    }}
                </div>
            }.into_any(),
            Stage::Preview => view! { <ImportPreview plan close choose matching /> }.into_any(),
            Stage::Idle => ().into_any(),
        }}
    }
}

/// "100,000".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Reads the chosen file and works out what importing it would do, showing progress.
async fn read_and_plan(
    state: AppState,
    file: web_sys::File,
    stage: RwSignal<Stage>,
    plan: RwSignal<Option<ImportPlan>>,
    import: StoredValue<Option<CsvImport>, LocalStorage>,
    matching: RwSignal<Matching>,
) {
    import.set_value(None);
    matching.set(Matching::default());
    files::time_from("sendlog:import-read");
    let name = file.name();
    let size = file.size() as usize;
    let lower = name.to_lowercase();
    let json = lower.ends_with(".json") || file.type_().contains("json");
    let csv = lower.ends_with(".csv") || file.type_().contains("csv");
    plan.set(None);
    stage.set(Stage::Working(
        format!("Reading {name} ({})…", megabytes(size)),
        None,
    ));
    files::let_the_page_draw().await;
    let refused = |message: String| {
        state.peek(|record| {
            ImportPlan::refused(
                record,
                &name,
                crate::core::merge::Problem::with_file(message),
            )
        })
    };
    let limit = if json {
        JSON_LIMIT_BYTES
    } else {
        CSV_LIMIT_BYTES
    };
    let result = if size > limit {
        refused(format!(
            "it is {}; the largest file SEND Log reads is {}.",
            megabytes(size),
            megabytes(limit)
        ))
    } else {
        files::time_from("sendlog:import-file");
        let bytes = files::read(&file).await;
        files::time_to("sendlog:import-file");
        match bytes {
            Err(problem) => refused(problem),
            Ok(bytes) => match state.whole_history().await {
                // An import merges history by id, so it waits for all of it.
                Err(problem) => refused(problem),
                Ok(()) => {
                    // A file with no telling name or type is a bundle when it starts with "{".
                    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
                    let looks_like_json = json
                        || (!csv && text.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{'));
                    if looks_like_json {
                        stage.set(Stage::Working(format!("Checking {name}…"), None));
                        files::let_the_page_draw().await;
                        state.peek(|record| bundle::plan(record, &name, &bytes))
                    } else {
                        read_spreadsheet(state, &name, bytes, stage, import, matching).await
                    }
                }
            },
        }
    };
    plan.set(Some(result));
    stage.set(Stage::Preview);
    files::let_the_page_draw().await;
    files::time_to("sendlog:import-read");
    if let Some(heading) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("preview-heading"))
        .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = heading.focus();
    }
}

/// Reads a spreadsheet a batch of rows at a time, showing how far it has got.
async fn read_spreadsheet(
    state: AppState,
    name: &str,
    bytes: Vec<u8>,
    stage: RwSignal<Stage>,
    kept: StoredValue<Option<CsvImport>, LocalStorage>,
    matching: RwSignal<Matching>,
) -> ImportPlan {
    files::time_from("sendlog:import-open");
    let opened = CsvImport::open(name, bytes);
    files::time_to("sendlog:import-open");
    let mut import = match opened {
        Ok(import) => import,
        Err(problem) => return state.peek(|record| ImportPlan::refused(record, name, problem)),
    };
    files::time_from("sendlog:import-parse");
    loop {
        // A quarter of a large school's record at a time: the bar moves, and drawing it
        // costs little next to the reading.
        let done = import.read(25_000);
        stage.set(Stage::Working(
            format!("Reading the rows of {name}…"),
            Some(import.progress()),
        ));
        files::let_the_page_draw().await;
        if done {
            break;
        }
    }
    files::time_to("sendlog:import-parse");
    stage.set(Stage::Working(
        format!("Checking the rows of {name} against this device's record…"),
        None,
    ));
    files::let_the_page_draw().await;
    files::time_from("sendlog:import-check");
    // Columns matched by hand for a file with the same header row, as kept on this device.
    if let Some(choices) = device::column_choices(&import.header_key()) {
        import.take_choices_text(&choices);
    }
    let plan = state.peek(|record| import.plan(record, AppState::today(), Utc::now()));
    files::time_to("sendlog:import-check");
    matching.set(matching_of(&import));
    kept.set_value(Some(import));
    plan
}

fn megabytes(bytes: usize) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

/// A spreadsheet's columns as the column-matching step shows them.
fn matching_of(import: &CsvImport) -> Matching {
    Matching {
        needed: import.needs_matching(),
        columns: import.matching(),
    }
}
