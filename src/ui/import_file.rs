//! Bringing a file in: the file picker, reading a bundle, a CSV or a workbook (one of its sheets,
//! chosen), the progress, and the preview that shows what importing it would change.

use super::files;
use super::import_columns::Matching;
use super::import_preview::ImportPreview;
use super::passphrase::Unlock;
use super::sealing;
use super::state::AppState;
use super::widgets::focus;
use super::workbook;
use crate::core::bundle::{self, JSON_LIMIT_BYTES};
use crate::core::merge::ImportPlan;
use crate::core::sealed::{self, Contents, Problem};
use crate::core::spreadsheet::{
    is_workbook, CsvImport, ImportChoice, Sheet, CSV_LIMIT_BYTES, CSV_LIMIT_ROWS,
    WORKBOOK_LIMIT_BYTES,
};
use crate::store::device;
use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The names a workbook's file ends with (Excel's and LibreOffice's).
const WORKBOOK_ENDINGS: [&str; 5] = [".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"];

/// Where an import has got to.
#[derive(Clone, Debug, PartialEq)]
enum Stage {
    Idle,
    /// Reading or checking the file: what is happening, and how far (0 to 1) when known.
    Working(String, Option<f64>),
    /// An encrypted file waits for its passphrase: its name.
    Locked(String),
    /// The preview is showing.
    Preview,
}

/// The file picker, the progress of reading a file, and the preview.
#[component]
pub fn ImportFile() -> impl IntoView {
    let state = AppState::get();
    let stage = RwSignal::new(Stage::Idle);
    let plan = RwSignal::new(None::<ImportPlan>);
    // A spreadsheet read, kept while its preview shows, to be planned again after each choice.
    let import = StoredValue::new_local(None::<CsvImport>);
    let matching = RwSignal::new(Matching::default());
    // A workbook's sheets, and the one read, while its preview shows.
    let sheets = StoredValue::new_local(Vec::<Sheet>::new());
    let sheet_names = RwSignal::new(Vec::<String>::new());
    let sheet = RwSignal::new(0_usize);
    let locked = StoredValue::new_local(None::<Vec<u8>>);
    let unlock_problem = RwSignal::new(String::new());
    let unlocking = RwSignal::new(false);
    let reading = Reading {
        locked,
        unlock_problem,
        unlocking,
        state,
        stage,
        plan,
        import,
        matching,
        sheets,
        sheet_names,
        sheet,
    };
    let input = NodeRef::<leptos::html::Input>::new();
    let chosen = move |_| {
        let Some(file) = input
            .get_untracked()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0))
        else {
            return;
        };
        spawn_local(read_and_plan(reading, file));
    };
    let choose_sheet = Callback::new(move |at: usize| spawn_local(read_sheet(reading, at)));
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
    let open = Callback::new(move |passphrase: String| spawn_local(unlock(reading, passphrase)));
    let close = Callback::new(move |_: ()| {
        locked.set_value(None);
        unlock_problem.set(String::new());
        import.set_value(None);
        sheets.set_value(Vec::new());
        sheet_names.set(Vec::new());
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
                    "A .json bundle exported from SEND Log (up to {} MB) or an encrypted .sendlog file, or your school's own tracker: an Excel or LibreOffice workbook (.xlsx, .xls or .ods, up to {} MB) or a spreadsheet saved as CSV or Unicode text (up to {} MB and {} rows), a row near the top naming the columns. You see what it would change before anything is changed.",
                    JSON_LIMIT_BYTES / (1024 * 1024), WORKBOOK_LIMIT_BYTES / (1024 * 1024), CSV_LIMIT_BYTES / (1024 * 1024), thousands(CSV_LIMIT_ROWS)
                )}
            </p>
            <input id="import-file" type="file" node_ref=input aria-describedby="import-hint"
                accept=".json,.sendlog,.csv,.txt,.tsv,.xlsx,.xlsm,.xlsb,.xls,.ods,application/json,text/csv,text/plain,text/tab-separated-values,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel,application/vnd.oasis.opendocument.spreadsheet"
                disabled=move || matches!(stage.get(), Stage::Working(..))
                on:change=chosen />
        </div>
        <SheetChoice names=sheet_names chosen=sheet choose=choose_sheet />
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
            Stage::Locked(name) => view! {
                <Unlock name problem=unlock_problem busy=unlocking open cancel=close />
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

/// What reading a file works on: the app, the stage shown, the plan, and what is kept for the
/// preview's choices (the spreadsheet read, its columns, a workbook's sheets).
#[derive(Clone, Copy)]
struct Reading {
    state: AppState,
    stage: RwSignal<Stage>,
    plan: RwSignal<Option<ImportPlan>>,
    import: StoredValue<Option<CsvImport>, LocalStorage>,
    matching: RwSignal<Matching>,
    sheets: StoredValue<Vec<Sheet>, LocalStorage>,
    sheet_names: RwSignal<Vec<String>>,
    sheet: RwSignal<usize>,
    /// An encrypted file's bytes while its passphrase is asked for.
    locked: StoredValue<Option<Vec<u8>>, LocalStorage>,
    unlock_problem: RwSignal<String>,
    unlocking: RwSignal<bool>,
}

impl Reading {
    /// What is shown while the file is read.
    async fn working(&self, what: String) {
        self.stage.set(Stage::Working(what, None));
        files::let_the_page_draw().await;
    }

    /// A plan that refuses the file, saying why.
    fn refused(&self, name: &str, message: String) -> ImportPlan {
        self.state.peek(|record| {
            ImportPlan::refused(
                record,
                name,
                crate::core::merge::Problem::with_file(message),
            )
        })
    }

    /// Shows the plan, and takes the focus to the preview's heading.
    async fn show(&self, result: ImportPlan, take_focus: bool) {
        self.plan.set(Some(result));
        self.stage.set(Stage::Preview);
        files::let_the_page_draw().await;
        if !take_focus {
            return;
        }
        focus("preview-heading");
    }
}

/// Reads the chosen file and works out what importing it would do, showing progress.
async fn read_and_plan(reading: Reading, file: web_sys::File) {
    let Reading {
        state,
        import,
        matching,
        sheets,
        sheet_names,
        plan,
        ..
    } = reading;
    import.set_value(None);
    sheets.set_value(Vec::new());
    sheet_names.set(Vec::new());
    matching.set(Matching::default());
    files::time_from("sendlog:import-read");
    let name = file.name();
    let size = file.size() as usize;
    let lower = name.to_lowercase();
    let json = lower.ends_with(".json") || file.type_().contains("json");
    let csv = lower.ends_with(".csv") || file.type_().contains("csv");
    let named_workbook = WORKBOOK_ENDINGS.iter().any(|e| lower.ends_with(e));
    let named_sealed = lower.ends_with(&format!(".{}", sealed::EXTENSION));
    plan.set(None);
    reading
        .working(format!("Reading {name} ({})…", megabytes(size)))
        .await;
    let limit = if named_sealed {
        sealed::LIMIT_BYTES
    } else if json {
        JSON_LIMIT_BYTES
    } else if named_workbook {
        WORKBOOK_LIMIT_BYTES
    } else {
        CSV_LIMIT_BYTES
    };
    let result = if size > limit {
        reading.refused(
            &name,
            format!(
                "it is {}; the largest file of its kind SEND Log reads is {}.",
                megabytes(size),
                megabytes(limit)
            ),
        )
    } else {
        files::time_from("sendlog:import-file");
        let bytes = files::read(&file).await;
        files::time_to("sendlog:import-file");
        match bytes {
            Err(problem) => reading.refused(&name, problem),
            Ok(bytes) => match state.whole_history().await {
                // An import merges history by id, so it waits for all of it.
                Err(problem) => reading.refused(&name, problem),
                Ok(()) => {
                    // A file with no telling name or type is a bundle when it starts with "{",
                    // and a workbook when it starts as a zip or an Excel 97 file does.
                    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
                    let looks_like_json = json
                        || (!csv && text.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{'));
                    if sealed::is_sealed(&bytes) || named_sealed {
                        match sealed::open(&bytes) {
                            // Only the passphrase is missing: it is asked for.
                            Ok(_) => {
                                reading.locked.set_value(Some(bytes));
                                reading.unlock_problem.set(String::new());
                                reading.stage.set(Stage::Locked(name.clone()));
                                files::let_the_page_draw().await;
                                focus("unlock-passphrase");
                                files::time_to("sendlog:import-read");
                                return;
                            }
                            Err(problem) => reading.refused(&name, problem.to_string()),
                        }
                    } else if is_workbook(&bytes) {
                        read_workbook(reading, &name, bytes).await
                    } else if named_workbook {
                        reading.refused(
                            &name,
                            "it is named as a workbook, but it is not one SEND Log can read \
                             (it may be cut short, or another kind of file renamed). Open it in \
                             Excel or LibreOffice and save it again as .xlsx."
                                .to_string(),
                        )
                    } else if looks_like_json {
                        reading.working(format!("Checking {name}…")).await;
                        state.peek(|record| bundle::plan(record, &name, &bytes))
                    } else {
                        read_spreadsheet(reading, &name, bytes, 1).await
                    }
                }
            },
        }
    };
    reading.show(result, true).await;
    files::time_to("sendlog:import-read");
}

/// Opens the encrypted file waiting with the passphrase typed: a wrong one is said beside the
/// field, with what was typed left there; a changed file is refused; the right one leads on to
/// the preview of what the file holds.
async fn unlock(reading: Reading, passphrase: String) {
    let Some(bytes) = reading.locked.get_value() else {
        return;
    };
    let Stage::Locked(name) = reading.stage.get_untracked() else {
        return;
    };
    reading.unlocking.set(true);
    reading.unlock_problem.set(String::new());
    files::let_the_page_draw().await;
    let opened = sealing::unseal(&bytes, &passphrase).await;
    reading.unlocking.set(false);
    let result = match opened {
        Err(problem @ (Problem::WrongPassphrase | Problem::NoCrypto(_))) => {
            reading.unlock_problem.set(problem.to_string());
            focus("unlock-passphrase");
            return;
        }
        Err(problem) => reading.refused(&name, problem.to_string()),
        Ok((Contents::Bundle, plain)) => {
            reading.working(format!("Checking {name}…")).await;
            reading
                .state
                .peek(|record| bundle::plan(record, &name, &plain))
        }
        Ok((Contents::Table, plain)) if plain.len() > CSV_LIMIT_BYTES => reading.refused(
            &name,
            format!(
                "it holds a table of {}; the largest SEND Log reads is {}.",
                megabytes(plain.len()),
                megabytes(CSV_LIMIT_BYTES)
            ),
        ),
        Ok((Contents::Table, plain)) => read_spreadsheet(reading, &name, plain, 1).await,
    };
    reading.locked.set_value(None);
    reading.show(result, true).await;
}

/// Reads a workbook's sheets in the workbook worker, then the first with anything in it.
async fn read_workbook(reading: Reading, name: &str, bytes: Vec<u8>) -> ImportPlan {
    reading
        .working(format!("Opening the workbook {name}…"))
        .await;
    files::time_from("sendlog:import-workbook");
    let read = workbook::read(bytes).await;
    files::time_to("sendlog:import-workbook");
    let found = match read {
        Ok(found) => found,
        Err(problem) => return reading.refused(name, problem),
    };
    let first = found.iter().position(|s| !s.empty).unwrap_or(0);
    let csv = found[first].csv.clone();
    let header_row = found[first].header_row;
    reading
        .sheet_names
        .set(found.iter().map(|s| s.name.clone()).collect());
    reading.sheet.set(first);
    reading.sheets.set_value(found);
    read_spreadsheet(reading, name, csv, header_row).await
}

/// Reads another sheet of the workbook shown, when the person chooses it.
async fn read_sheet(reading: Reading, at: usize) {
    let Some((csv, header_row)) = reading
        .sheets
        .with_value(|sheets| sheets.get(at).map(|s| (s.csv.clone(), s.header_row)))
    else {
        return;
    };
    let name = reading
        .plan
        .with_untracked(|plan| plan.as_ref().map(|p| p.source.clone()))
        .unwrap_or_default();
    reading.sheet.set(at);
    reading.import.set_value(None);
    let result = read_spreadsheet(reading, &name, csv, header_row).await;
    reading.show(result, false).await;
}

/// Reads a spreadsheet a batch of rows at a time, showing how far it has got; `header_row` is
/// where its column names are (1 but for a workbook's sheet with a title above them).
async fn read_spreadsheet(
    reading: Reading,
    name: &str,
    bytes: Vec<u8>,
    header_row: usize,
) -> ImportPlan {
    let Reading {
        state,
        stage,
        import: kept,
        matching,
        ..
    } = reading;
    files::time_from("sendlog:import-open");
    let opened = CsvImport::open(name, bytes);
    files::time_to("sendlog:import-open");
    let mut import = match opened {
        Ok(import) => import.from_sheet(header_row),
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
    reading
        .working(format!(
            "Checking the rows of {name} against this device's record…"
        ))
        .await;
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

/// A workbook's sheets to choose from, when it has more than one: the preview is of the one
/// chosen, the first with anything in it to begin with.
#[component]
fn SheetChoice(
    names: RwSignal<Vec<String>>,
    chosen: RwSignal<usize>,
    choose: Callback<usize>,
) -> impl IntoView {
    let several = move || names.with(|n| n.len() > 1);
    view! {
        <Show when=several>
            <div class="field sheet-choice">
                <label for="import-sheet">"Sheet"</label>
                <p class="hint" id="import-sheet-hint">
                    {move || format!(
                        "This workbook has {} sheets. The actions are read from the one chosen here.",
                        names.with(Vec::len)
                    )}
                </p>
                <select id="import-sheet" aria-describedby="import-sheet-hint"
                    on:change=move |ev| {
                        if let Ok(at) = event_target_value(&ev).parse::<usize>() {
                            choose.run(at);
                        }
                    }>
                    {move || names.get().into_iter().enumerate().map(|(at, name)| view! {
                        <option value=at.to_string() prop:selected=move || chosen.get() == at>{name}</option>
                    }).collect_view()}
                </select>
            </div>
        </Show>
    }
}
