//! Sharing the record: JSON bundles and CSV spreadsheets out and back in, merges between two
//! devices, every kind of broken file, and importers fed arbitrary bytes.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use sendlog::core::bundle::{self, Part};
use sendlog::core::merge::{self, ImportPlan};
use sendlog::core::record::{Edit, NewPupil, Record};
use sendlog::core::sample::{sample, SampleSize};
use sendlog::core::spreadsheet::{self, CsvImport, Table, CELL_LIMIT_CHARS};
use sendlog::core::{ActionDraft, Choice, ItemType, SendStatus, Status, YearGroup, SCHEMA_VERSION};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 4, 23).unwrap()
}
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 23, 15, 4, 5).unwrap()
}
fn school(actions: usize) -> Record {
    school_of(7, actions)
}
/// Another school's record: none of its ids are in [`school`]'s.
fn school_of(seed: u64, actions: usize) -> Record {
    sample(
        seed,
        SampleSize {
            pupils: actions / 10 + 1,
            actions,
        },
        today(),
    )
}

fn json_plan(record: &Record, bytes: &[u8]) -> ImportPlan {
    bundle::plan(record, "sendlog-2026-04-23.json", bytes)
}
fn csv_plan(record: &Record, bytes: &[u8]) -> ImportPlan {
    match CsvImport::open("sendlog-actions-2026-04-23.csv", bytes.to_vec()) {
        Ok(mut import) => import.plan(record, today(), now()),
        Err(problem) => ImportPlan::refused(record, "sendlog-actions-2026-04-23.csv", problem),
    }
}
fn imported(record: &mut Record, plan: &ImportPlan) {
    assert!(plan.can_apply(), "problems: {:?}", plan.problems);
    merge::apply(record, plan).expect("the plan applies");
}
/// The problems of a plan as one line each: "Row 3, Due: …".
fn problems(plan: &ImportPlan) -> Vec<String> {
    plan.problems.iter().map(|p| p.to_string()).collect()
}
fn csv_text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// A one-pupil record with names that must survive every trip.
fn named_record() -> Record {
    let mut record = Record::default();
    let mut add = |name: &str, step: &str, owner: &str| {
        let (pupil, _) = record
            .add_pupil(
                NewPupil {
                    name: name.into(),
                    year_group: YearGroup::Year7,
                    send_status: SendStatus::EhcPlan,
                    annual_review: None,
                },
                now(),
            )
            .unwrap();
        let draft = ActionDraft {
            pupil: Some(pupil),
            item_type: Some(ItemType::Referral),
            decision: "Agreed: \"quiet space\", at lunch,\r\nand after school".into(),
            next_step: step.into(),
            owner: owner.into(),
            due: Some(today() + Duration::days(7)),
            ..ActionDraft::default()
        };
        record.add_action(&draft, today(), now()).unwrap();
    };
    add(
        "Siân Evans",
        "Send the referral, with \"both\" forms",
        "Mrs O'Neil",
    );
    add("Zoë Brontë", "=HYPERLINK(\"http://evil\")", "Łukasz Nowak");
    add("O'Neil, Aoife", "+44 call to parent", "@SENCO");
    add("Tab Pupil", "\tindented step", "-Class teacher");
    add("Return Pupil", "\rcarriage return first", "Mr Carter");
    add("Newline Pupil", "\nline feed first", "Ms Khan");
    add("Quote Pupil", "'=already quoted", "Ms Khan");
    record
}

// ---------------------------------------------------------------- JSON bundles

#[test]
fn a_bundle_imported_into_an_empty_device_exports_byte_for_byte_the_same() {
    let record = school(300);
    let first = bundle::export(&record, &Part::Everything, now());
    let mut fresh = Record::default();
    let plan = json_plan(&fresh, &first);
    assert_eq!(plan.actions.added.len(), 300);
    assert_eq!(plan.history.len(), record.history().len());
    imported(&mut fresh, &plan);
    assert_eq!(fresh, record, "the same record, row for row");
    assert_eq!(bundle::export(&fresh, &Part::Everything, now()), first);
}

#[test]
fn a_bundle_says_what_it_is_and_dates_are_iso_8601() {
    let record = named_record();
    let json: serde_json::Value =
        serde_json::from_slice(&bundle::export(&record, &Part::Everything, now())).unwrap();
    assert_eq!(json["format"], "sendlog");
    assert_eq!(json["schema"], sendlog::core::SCHEMA_VERSION);
    assert_eq!(json["exported_at"], "2026-04-23T15:04:05Z");
    assert_eq!(json["actions"][0]["due"], "2026-04-30");
    assert_eq!(json["actions"][0]["status"], "open");
    assert_eq!(json["pupils"][0]["name"], "Siân Evans");
    assert_eq!(json["pupils"][1]["name"], "Zoë Brontë");
    assert_eq!(json["actions"][1]["owner"], "Łukasz Nowak");
}

#[test]
fn importing_the_same_bundle_twice_changes_nothing_the_second_time() {
    let theirs = school(120);
    let mut ours = school_of(8, 40);
    let file = bundle::export(&theirs, &Part::Everything, now());
    let plan = json_plan(&ours, &file);
    imported(&mut ours, &plan);
    let after_first = ours.clone();
    let again = json_plan(&ours, &file);
    assert!(again.already_here(), "{again:?}");
    assert_eq!(again.actions.unchanged, 120);
    imported(&mut ours, &again);
    assert_eq!(ours, after_first);
}

#[test]
fn the_newer_edit_wins_both_ways_and_history_from_both_devices_is_kept() {
    let base = school(50);
    let id = base.actions()[3].id;
    let mut ipad = base.clone();
    let mut android = base.clone();
    ipad.edit_action(id, &[Edit::Owner("Mr Carter".into())], None, now())
        .unwrap();
    android
        .edit_action(
            id,
            &[Edit::Evidence("Report seen on Android".into())],
            None,
            now() + Duration::hours(1),
        )
        .unwrap();
    let from_android = bundle::export(&android, &Part::Everything, now());
    let plan = json_plan(&ipad, &from_android);
    assert_eq!(plan.actions.replaced.len(), 1, "Android's edit is newer");
    assert_eq!(plan.history.len(), 1, "Android's history entry is new here");
    imported(&mut ipad, &plan);
    assert_eq!(ipad.action(id).unwrap().evidence, "Report seen on Android");
    let notes: Vec<&str> = ipad
        .history_of(id)
        .iter()
        .map(|h| h.note.as_str())
        .collect();
    assert!(notes.iter().any(|n| n.starts_with("Owner")), "{notes:?}");
    assert!(notes.iter().any(|n| n.starts_with("Evidence")), "{notes:?}");

    let from_ipad_before = bundle::export(&base, &Part::Everything, now());
    let older = json_plan(&ipad, &from_ipad_before);
    assert_eq!(older.actions.kept_newer, 1, "an older version never wins");
    assert!(older.changes_nothing());
}

#[test]
fn two_different_edits_of_the_same_age_are_listed_with_both_versions() {
    let base = school(30);
    let id = base.actions()[0].id;
    let mut ours = base.clone();
    let mut theirs = base.clone();
    ours.edit_action(id, &[Edit::Owner("Mr Carter".into())], None, now())
        .unwrap();
    theirs
        .edit_action(id, &[Edit::Owner("Ms Khan".into())], None, now())
        .unwrap();
    let file = bundle::export(&theirs, &Part::Everything, now());
    let mut plan = json_plan(&ours, &file);
    assert_eq!(plan.conflict_count(), 1);
    let conflict = &plan.actions.conflicts[0];
    let owner = conflict
        .differences
        .iter()
        .find(|d| d.label == "Owner")
        .expect("the owner differs");
    assert_eq!(
        (owner.ours.as_str(), owner.theirs.as_str()),
        ("Mr Carter", "Ms Khan")
    );
    assert!(conflict.what.contains(&ours.actions()[0].next_step));

    let kept = ours.clone();
    let mut keep = ours.clone();
    imported(&mut keep, &plan);
    assert_eq!(
        keep.action(id).unwrap().owner,
        "Mr Carter",
        "ours is kept by default"
    );
    assert_eq!(keep.actions(), kept.actions());

    plan.actions.conflicts[0].take_theirs = true;
    imported(&mut ours, &plan);
    assert_eq!(ours.action(id).unwrap().owner, "Ms Khan");
}

#[test]
fn undoing_an_import_puts_the_record_back_exactly() {
    let mut ours = school(1500);
    let before = ours.clone();
    let mut theirs = school(1500);
    let id = theirs.actions()[1200].id;
    theirs
        .edit_action(id, &[Edit::Status(Status::Parked)], None, now())
        .unwrap();
    let extra = school_of(8, 2100);
    let mut file = bundle::export(&theirs, &Part::Everything, now());
    let plan = json_plan(&ours, &file);
    let (undo, touched) = merge::apply(&mut ours, &plan).unwrap();
    assert!(!touched.is_empty());
    assert_ne!(ours, before);
    ours.undo(&undo, now()).unwrap();
    assert_eq!(ours, before);

    // An import that adds rows (and buckets) is taken back too.
    file = bundle::export(&extra, &Part::Everything, now());
    let plan = json_plan(&ours, &file);
    assert!(
        plan.actions.added.len() > 500,
        "a different seed, so new rows"
    );
    let (undo, _) = merge::apply(&mut ours, &plan).unwrap();
    ours.undo(&undo, now()).unwrap();
    assert_eq!(ours, before);
}

#[test]
fn a_plan_made_before_the_record_changed_is_not_applied() {
    let mut ours = school(20);
    let plan = json_plan(
        &ours,
        &bundle::export(&school_of(8, 30), &Part::Everything, now()),
    );
    let id = ours.actions()[0].id;
    ours.edit_action(id, &[Edit::Owner("Mr Carter".into())], None, now())
        .unwrap();
    let before = ours.clone();
    let refusal = merge::apply(&mut ours, &plan).unwrap_err();
    assert!(
        refusal.to_string().contains("choose the file again"),
        "{refusal}"
    );
    assert_eq!(ours, before);
}

#[test]
fn broken_bundles_are_refused_with_a_reason_and_change_nothing() {
    let mut ours = school_of(8, 20);
    let before = ours.clone();
    let good = bundle::export(&school(25), &Part::Everything, now());
    let good_text = String::from_utf8(good.clone()).unwrap();
    let newer = good_text
        .replacen(
            &format!("\"schema\":{SCHEMA_VERSION}"),
            &format!("\"schema\":{}", SCHEMA_VERSION + 1),
            1,
        )
        .replacen(&bundle::written_by(), "SEND Log 9.0.0", 1);
    assert!(
        newer.contains("\"written_by\":\"SEND Log 9.0.0\""),
        "a bundle names its release"
    );
    let newer_says = format!("saved by SEND Log 9.0.0 (schema {}", SCHEMA_VERSION + 1);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("newer schema", newer.into_bytes(), &newer_says),
        (
            "cut short",
            good[..good.len() / 2].to_vec(),
            "ends too soon",
        ),
        ("not JSON", b"hello, world".to_vec(), "not valid JSON"),
        (
            "someone else's JSON",
            b"{\"name\": \"x\"}".to_vec(),
            "not a SEND Log bundle",
        ),
        (
            "a row missing a field",
            good_text
                .replacen("\"owner\":", "\"owner_name\":", 1)
                .into_bytes(),
            "missing field `owner`",
        ),
        (
            "a pupil that is nowhere",
            {
                let mut json: serde_json::Value = serde_json::from_slice(&good).unwrap();
                json["pupils"] = serde_json::json!([]);
                serde_json::to_vec(&json).unwrap()
            },
            "is neither in the file nor on this device",
        ),
        (
            "an action twice",
            {
                let mut json: serde_json::Value = serde_json::from_slice(&good).unwrap();
                let first = json["actions"][0].clone();
                json["actions"].as_array_mut().unwrap().push(first);
                serde_json::to_vec(&json).unwrap()
            },
            "appears twice",
        ),
        (
            "an owner that is a team",
            {
                let mut json: serde_json::Value = serde_json::from_slice(&good).unwrap();
                json["actions"][0]["owner"] = "TBC".into();
                serde_json::to_vec(&json).unwrap()
            },
            "Action 1 in the file, owner",
        ),
    ];
    for (what, bytes, says) in cases {
        let plan = json_plan(&ours, &bytes);
        let all = problems(&plan).join(" | ");
        assert!(!plan.can_apply(), "{what}: refused");
        assert!(all.contains(says), "{what}: expected {says:?} in {all:?}");
        assert!(merge::apply(&mut ours, &plan).is_err(), "{what}");
        assert_eq!(ours, before, "{what}: nothing changed");
    }
}

#[test]
fn a_filtered_bundle_holds_just_those_rows_with_their_pupils_and_history() {
    let record = school(200);
    let pupil = record.actions()[0].pupil;
    let file = bundle::export(&record, &Part::Pupil(pupil), now());
    let json: serde_json::Value = serde_json::from_slice(&file).unwrap();
    let actions = json["actions"].as_array().unwrap();
    assert!(!actions.is_empty());
    assert!(actions.iter().all(|a| a["pupil"] == pupil.to_string()));
    assert_eq!(json["pupils"].as_array().unwrap().len(), 1);
    let mut fresh = Record::default();
    let plan = json_plan(&fresh, &file);
    imported(&mut fresh, &plan);
    assert_eq!(fresh.actions().len(), actions.len());
    for action in fresh.actions() {
        assert_eq!(fresh.history_of(action.id), record.history_of(action.id));
    }
}

// ---------------------------------------------------------------- CSV out

#[test]
fn csv_opens_cleanly_in_excel_bom_crlf_rfc_4180_quoting_and_iso_dates() {
    let bytes = spreadsheet::export(
        &named_record(),
        Table::ActionLog,
        &Part::Everything,
        today(),
    );
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 with a byte-order mark"
    );
    let text = csv_text(&bytes[3..]);
    assert!(text.starts_with("Date raised,Pupil,Year group,SEND status,"));
    assert!(text.ends_with("\r\n"));
    assert!(
        !text.replace("\r\n", "").contains('\n') || text.contains("\"Agreed"),
        "bare line feeds only inside quoted cells"
    );
    assert!(text.contains("2026-04-23,Siân Evans,Year 7,EHC plan,"));
    assert!(text.contains(",2026-04-30,Open,"), "due date as YYYY-MM-DD");
    assert!(
        text.contains("\"Agreed: \"\"quiet space\"\", at lunch,\r\nand after school\""),
        "quotes doubled, commas and line breaks inside a quoted cell"
    );
    assert!(text.contains("\"O'Neil, Aoife\""));
    assert!(
        text.contains("Mrs O'Neil"),
        "an apostrophe inside a name is left alone"
    );
}

#[test]
fn every_formula_character_at_the_start_of_a_cell_is_neutralised() {
    let bytes = spreadsheet::export(
        &named_record(),
        Table::ActionLog,
        &Part::Everything,
        today(),
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let cells: Vec<String> = reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(String::from).collect::<Vec<_>>())
        .collect();
    for start in ['=', '+', '-', '@', '\t', '\r', '\n'] {
        let unsafe_cells: Vec<&String> = cells.iter().filter(|c| c.starts_with(start)).collect();
        assert!(unsafe_cells.is_empty(), "{start:?} starts {unsafe_cells:?}");
    }
    for start in ['=', '+', '-', '@'] {
        assert!(
            cells.iter().any(|c| c.starts_with(&format!("'{start}"))),
            "a cell that began with {start:?} is guarded"
        );
    }
    assert!(cells.iter().any(|c| c == "''=already quoted"));
    // The app trims what is typed, so tabs and line breaks cannot start a stored field; a
    // cell that starts with one is still guarded, and read back as it was.
    for start in ['=', '+', '-', '@', '\t', '\r', '\n'] {
        let text = format!("{start}cmd|' /C calc'!A0");
        let guarded = spreadsheet::guard_cell(&text);
        assert_eq!(guarded, format!("'{text}"));
        assert_eq!(spreadsheet::unguard(&guarded), text);
        assert_eq!(
            spreadsheet::unguard(&text),
            text,
            "an unguarded cell is left alone"
        );
    }
    assert_eq!(spreadsheet::guard_cell("O'Neil"), "O'Neil");
    assert_eq!(spreadsheet::unguard("'Neil"), "'Neil");
}

#[test]
fn the_tracker_csv_holds_the_live_rows_soonest_first_with_days_overdue() {
    let record = school(400);
    let bytes = spreadsheet::export(&record, Table::Tracker, &Part::Everything, today());
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    let due = headers.iter().position(|h| h == "Due").unwrap();
    let status = headers.iter().position(|h| h == "Status").unwrap();
    let overdue = headers.iter().position(|h| h == "Days overdue").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let live = record
        .actions()
        .iter()
        .filter(|a| a.status.is_live())
        .count();
    assert_eq!(rows.len(), live);
    assert!(rows.windows(2).all(|w| w[0][due] <= w[1][due]));
    assert!(rows
        .iter()
        .all(|r| ["Open", "In progress", "Waiting on someone else"].contains(&&r[status])));
    let late = rows
        .iter()
        .find(|r| !r[overdue].is_empty())
        .expect("some rows are late");
    let days: i64 = late[overdue].parse().unwrap();
    let date = NaiveDate::parse_from_str(&late[due], "%Y-%m-%d").unwrap();
    assert_eq!((today() - date).num_days(), days);
}

// ---------------------------------------------------------------- CSV back in

#[test]
fn a_csv_imported_into_an_empty_device_exports_the_same_csv() {
    for table in [Table::ActionLog, Table::Tracker] {
        let record = school(250);
        let first = spreadsheet::export(&record, table, &Part::Everything, today());
        let mut fresh = Record::default();
        let plan = csv_plan(&fresh, &first);
        imported(&mut fresh, &plan);
        let again = spreadsheet::export(&fresh, table, &Part::Everything, today());
        assert_eq!(csv_text(&again), csv_text(&first), "{table:?}");
    }
}

#[test]
fn names_quotes_line_breaks_and_formula_text_survive_a_csv_round_trip() {
    let record = named_record();
    let first = spreadsheet::export(&record, Table::ActionLog, &Part::Everything, today());
    let mut fresh = Record::default();
    let plan = csv_plan(&fresh, &first);
    imported(&mut fresh, &plan);
    let names: Vec<&str> = fresh.pupils().iter().map(|p| p.name.as_str()).collect();
    assert!(names.contains(&"Siân Evans") && names.contains(&"Zoë Brontë"));
    assert!(names.contains(&"O'Neil, Aoife"));
    for (ours, theirs) in record.actions().iter().zip(fresh.actions()) {
        assert_eq!(ours.next_step, theirs.next_step);
        assert_eq!(ours.owner, theirs.owner);
        assert_eq!(ours.decision, theirs.decision);
    }
    assert_eq!(
        spreadsheet::export(&fresh, Table::ActionLog, &Part::Everything, today()),
        first
    );
}

#[test]
fn importing_the_same_csv_twice_changes_nothing() {
    let record = school(100);
    let file = spreadsheet::export(&record, Table::ActionLog, &Part::Everything, today());
    let mut ours = record.clone();
    let plan = csv_plan(&ours, &file);
    assert!(plan.already_here(), "{:?}", plan.actions.replaced.first());
    assert_eq!(plan.actions.unchanged, 100);
    imported(&mut ours, &plan);
    assert_eq!(ours, record);
}

#[test]
fn a_row_edited_in_excel_updates_that_action_with_its_history() {
    let record = school(60);
    let file = csv_text(&spreadsheet::export(
        &record,
        Table::Tracker,
        &Part::Everything,
        today(),
    ));
    let first = file.lines().nth(1).unwrap();
    let id = first.split(',').rev().nth(1).unwrap();
    let target = record
        .actions()
        .iter()
        .find(|a| a.id.to_string() == id)
        .unwrap();
    let status = target.status.label();
    let edited_row = first.replacen(&format!(",{status},"), ",Done,", 1);
    let edited = file.replacen(first, &edited_row, 1);
    let mut ours = record.clone();
    let plan = csv_plan(&ours, edited.as_bytes());
    assert_eq!(plan.actions.replaced.len(), 1, "{:?}", problems(&plan));
    assert!(plan.actions.added.is_empty());
    imported(&mut ours, &plan);
    let action = ours.action(target.id).unwrap();
    assert_eq!(action.status, Status::Done);
    let last = ours.history_of(target.id).into_iter().last().unwrap();
    assert!(last
        .note
        .starts_with("Imported from sendlog-actions-2026-04-23.csv: Status:"));
    assert_eq!(last.changes[0].before, status);
}

#[test]
fn a_row_changed_here_after_the_file_was_made_is_a_conflict_not_an_overwrite() {
    let record = school(40);
    let file = csv_text(&spreadsheet::export(
        &record,
        Table::ActionLog,
        &Part::Everything,
        today(),
    ));
    let target = record.actions()[0].clone();
    let mut ours = record.clone();
    ours.edit_action(
        target.id,
        &[Edit::Owner("Mr Carter".into())],
        None,
        now() + Duration::days(2),
    )
    .unwrap();
    let header_and_row: Vec<&str> = file.split("\r\n").take(2).collect();
    let edited = format!(
        "{}\r\n{}\r\n",
        header_and_row[0],
        header_and_row[1].replacen(&format!(",{},", target.owner), ",Ms Khan,", 1)
    );
    let plan = csv_plan(&ours, edited.as_bytes());
    assert_eq!(plan.actions.conflicts.len(), 1, "{:?}", problems(&plan));
    assert!(plan.actions.replaced.is_empty());
    let kept = ours.clone();
    imported(&mut ours, &plan);
    assert_eq!(
        ours, kept,
        "this device's newer edit is kept unless chosen otherwise"
    );
}

#[test]
fn a_file_excel_opened_and_saved_again_imports_cleanly() {
    // What Excel (UK) writes on "CSV UTF-8": a BOM, CRLF, dates day first, quotes only where
    // needed, the guarding apostrophe kept, columns in the order a person left them, a few
    // blank rows and an extra column they added.
    let file = "\u{feff}pupil name,YEAR GROUP, Due Date ,Owner,action,status,Needs escalation,My notes\r\n\
        Siân Evans,Year 7,30/04/2026,Mrs O'Neil,Send the referral,In progress,No,ring first\r\n\
        Zoë Brontë,Y8,1/5/2026,Łukasz Nowak,'=SUM(A1) is what mum wrote,open,yes,\r\n\
        ,,,,,,,\r\n\
        \"O'Neil, Aoife\",Reception,2026-05-07,SENCO,\"Share the plan, with \"\"both\"\" pages\",Waiting on someone else,,\r\n\
        ,,,,,,,\r\n";
    let mut fresh = Record::default();
    let plan = csv_plan(&fresh, file.as_bytes());
    assert_eq!(problems(&plan), Vec::<String>::new());
    assert_eq!(plan.actions.added.len(), 3);
    assert_eq!(plan.pupils.added.len(), 3);
    assert!(
        plan.notes.iter().any(|n| n.contains("\"My notes\"")),
        "{:?}",
        plan.notes
    );
    imported(&mut fresh, &plan);
    let zoe = &fresh.actions()[1];
    assert_eq!(zoe.next_step, "=SUM(A1) is what mum wrote");
    assert_eq!(zoe.due, NaiveDate::from_ymd_opt(2026, 5, 1).unwrap());
    assert!(zoe.escalate);
    assert_eq!(fresh.pupils()[1].year_group, YearGroup::Year8);
    assert_eq!(fresh.actions()[2].status, Status::Waiting);
    assert_eq!(
        fresh.actions()[2].next_step,
        "Share the plan, with \"both\" pages"
    );
}

#[test]
fn rows_of_spaces_are_skipped_and_a_cell_is_measured_in_characters_not_bytes() {
    // A row of spaces, tabs and non-breaking spaces (what a stray Excel row can hold) is blank.
    // A cell's limit counts characters: 6,000 "é" is 12,000 bytes and within it; 10,001 is not.
    let within = "é".repeat(6_000);
    let over = "é".repeat(CELL_LIMIT_CHARS + 1);
    let file = format!(
        "Pupil,Year group,Action,Owner,Due,Note\r\n\
         Siân Evans,Year 7,Send the referral,SENCO,30/04/2026,{within}\r\n\
         \u{a0}, \t,\u{a0}\u{a0},,  ,\r\n\
         Zoë Brontë,Year 8,Send the plan,SENCO,30/04/2026,{over}\r\n"
    );
    let plan = csv_plan(&Record::default(), file.as_bytes());
    assert_eq!(
        problems(&plan),
        vec![format!(
            "Row 4, Note: holds {} characters; a cell may hold at most {CELL_LIMIT_CHARS}. \
             Shorten it, or keep the long text elsewhere and link to it.",
            CELL_LIMIT_CHARS + 1
        )]
    );
    let shorter = file.replace(&over, "Sent by post");
    let plan = csv_plan(&Record::default(), shorter.as_bytes());
    assert!(plan.can_apply(), "{:?}", problems(&plan));
    assert_eq!(
        plan.actions.added.len(),
        2,
        "the blank row 3 makes no action"
    );
    assert_eq!(plan.actions.added[0].evidence, within);
}

#[test]
fn semicolon_separated_files_from_european_excel_are_read() {
    let file = "Pupil;Year group;Action;Owner;Due\r\nSiân Evans;Year 7;Send the referral;SENCO;30/04/2026\r\n";
    let plan = csv_plan(&Record::default(), file.as_bytes());
    assert!(plan.can_apply(), "{:?}", problems(&plan));
    assert_eq!(plan.actions.added[0].owner, "SENCO");
}

#[test]
fn each_wrong_cell_is_reported_by_row_number_and_column() {
    let file = "Pupil,Year group,Action,Owner,Due,Status\r\n\
        Siân Evans,Year 7,Send the referral,SENCO,31/02/2026,Open\r\n\
        Siân Evans,Year 7,Send the referral,SENCO,2026-05-01,Sorted\r\n\
        Siân Evans,Year 7,Send the referral,,2026-05-01,Open\r\n\
        Siân Evans,Year 7,Send the referral,SENCO,01/05/26,Open\r\n\
        Siân Evans,Year 7,Send the referral,TBC,2026-05-01,Open\r\n\
        Siân Evans,Year 7,Send the referral,Class teacher and SENCO,2026-05-01,Open\r\n\
        Siân Evans,Year 7,Send the referral,SENCO,2026-05-01,Late\r\n\
        Siân Evans,Year 7,,SENCO,,Open\r\n\
        Ana Silva,,Ring home,SENCO,2026-05-01,Open\r\n\
        Siân Evans,Year 7,Send the referral,SENCO,46142,Open\r\n";
    let mut record = school(10);
    let before = record.clone();
    let plan = csv_plan(&record, file.as_bytes());
    let found = problems(&plan);
    let expect = [
        "Row 2, Due: \"31/02/2026\" is not a real date",
        "Row 4, Owner: is empty.",
        "Row 5, Due: \"01/05/26\" has a two-digit year",
        "Row 6, Owner: \"TBC\" is not one person.",
        "Row 7, Owner: names 2 people (Class teacher, SENCO)",
        "Row 9, Action: is empty",
        "Row 9, Due: is empty",
        "Row 11, Due: \"46142\" is a number, not a date",
    ];
    for wanted in expect {
        assert!(
            found.iter().any(|p| p.starts_with(wanted)),
            "{wanted:?} not in {found:#?}"
        );
    }
    assert_eq!(found.len(), expect.len(), "{found:#?}");
    // A status SEND Log does not know is a choice for the person, by value, not a problem.
    let asked: Vec<_> = plan
        .values_to_choose
        .iter()
        .map(|v| (&*v.text, &v.rows[..]))
        .collect();
    assert_eq!(asked, [("Sorted", &[3][..]), ("Late", &[8])]);
    let tbc = found.iter().find(|p| p.starts_with("Row 6")).unwrap();
    assert_eq!(
        tbc.matches("is not one person").count(),
        1,
        "said once: {tbc}"
    );
    assert!(
        !plan.notes.iter().any(|n| n.contains("SEN support")),
        "nothing will be added, so nothing is said about how: {:?}",
        plan.notes
    );
    assert!(merge::apply(&mut record, &plan).is_err());
    assert_eq!(record, before);
}

#[test]
fn a_quote_inside_a_cell_that_is_not_quoted_is_read_as_written() {
    // Typed by hand, not by Excel: the quote is part of the text, not the start of a cell.
    let bytes = b"Pupil,Year group,Action,Owner,Due\r\nSian Evans,Year 7,Measure the 5\" gap,SENCO,2026-05-01\r\nSian Evans,Year 7,Ring home,SENCO,2026-05-02\r\n";
    let record = school(10);
    let plan = csv_plan(&record, bytes);
    assert!(plan.problems.is_empty(), "{:?}", problems(&plan));
    let steps: Vec<&str> = plan
        .actions
        .added
        .iter()
        .map(|a| a.next_step.as_str())
        .collect();
    assert_eq!(steps, ["Measure the 5\" gap", "Ring home"]);
}

#[test]
fn files_that_are_not_a_readable_table_are_refused_with_what_to_do() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "UTF-16 with half a character",
            b"\xFF\xFEP\0\x00\xD8".to_vec(),
            "(UTF-16), but parts of it cannot be read",
        ),
        ("a picture", b"\x89PNG\r\n\x1a\n\0\0\0".to_vec(), "not a text file"),
        ("empty", b"\xEF\xBB\xBF\r\n".to_vec(), "it is empty"),
        (
            "cut short inside a quoted cell",
            b"Pupil,Action,Owner,Due\r\nSian,\"Send the ref".to_vec(),
            "ends inside a quoted cell",
        ),
        (
            "cut short inside a quoted cell, after rows that are whole",
            b"Pupil,Year group,Action,Owner,Due\r\nSian,Year 7,\"Ring, then email\",SENCO,2026-05-01\r\nSian,Year 7,\"Send the ref"
                .to_vec(),
            "ends inside a quoted cell",
        ),
        (
            "someone else's spreadsheet",
            b"Name,Address,Phone\r\nA,B,C\r\n".to_vec(),
            "no column for Action, Owner, Due",
        ),
        (
            "only a header",
            b"Pupil,Year group,Action,Owner,Due\r\n".to_vec(),
            "no rows of actions",
        ),
        (
            "a cell of a megabyte",
            format!("Pupil,Year group,Action,Owner,Due\r\nSian,Year 7,{},SENCO,2026-05-01\r\n", "x".repeat(1 << 20))
                .into_bytes(),
            "Row 2, Action: holds 1048576 characters",
        ),
        (
            "two columns that mean the same",
            b"Pupil,Name,Action,Owner,Due\r\n".to_vec(),
            "two columns are headed \"Pupil\" and \"Name\"",
        ),
        (
            "an id that is not one",
            b"Action ID,Pupil,Year group,Action,Owner,Due\r\nabc,Sian,Year 7,Ring,SENCO,2026-05-01\r\n".to_vec(),
            "Row 2, Action ID: \"abc\" is not an id SEND Log wrote",
        ),
    ];
    let mut record = school(10);
    let before = record.clone();
    for (what, bytes, says) in cases {
        let plan = csv_plan(&record, &bytes);
        let all = problems(&plan).join(" | ");
        assert!(all.contains(says), "{what}: expected {says:?} in {all:?}");
        assert!(merge::apply(&mut record, &plan).is_err(), "{what}");
        assert_eq!(record, before, "{what}");
    }
}

#[test]
fn an_oversized_file_is_refused_before_it_is_read() {
    let huge = vec![b'a'; spreadsheet::CSV_LIMIT_BYTES + 1];
    let plan = csv_plan(&Record::default(), &huge);
    assert!(problems(&plan)[0].contains("the largest spreadsheet SEND Log reads is 64 MB"));
    let huge = vec![b' '; bundle::JSON_LIMIT_BYTES + 1];
    let plan = json_plan(&Record::default(), &huge);
    assert!(problems(&plan)[0].contains("the largest file SEND Log reads is 200 MB"));
}

#[test]
fn a_pupil_is_found_by_name_in_any_case_and_two_of_one_name_must_be_told_apart() {
    let record = named_record();
    let file = "Pupil,Action,Owner,Due\r\nSIÂN EVANS,Ring home,SENCO,2026-05-01\r\n";
    let plan = csv_plan(&record, file.as_bytes());
    assert!(plan.pupils.added.is_empty(), "{:?}", problems(&plan));
    assert_eq!(plan.actions.added[0].pupil, record.pupils()[0].id);

    let mut twins = record.clone();
    twins
        .add_pupil(
            NewPupil {
                name: "Siân Evans".into(),
                year_group: YearGroup::Year9,
                send_status: SendStatus::Monitoring,
                annual_review: None,
            },
            now(),
        )
        .unwrap();
    let plan = csv_plan(&twins, file.as_bytes());
    assert!(problems(&plan)[0].contains("there are 2 pupils called SIÂN EVANS"));
    let with_year =
        "Pupil,Year group,Action,Owner,Due\r\nSiân Evans,Year 9,Ring home,SENCO,2026-05-01\r\n";
    let plan = csv_plan(&twins, with_year.as_bytes());
    assert!(plan.can_apply(), "{:?}", problems(&plan));
    assert_eq!(plan.actions.added[0].pupil, twins.pupils()[7].id);
}

#[test]
fn rows_of_one_meeting_without_ids_make_one_meeting() {
    let file = "Pupil,Year group,Meeting date,Meeting type,Action,Owner,Due\r\n\
        Siân Evans,Year 7,20/04/2026,Annual review,Ring home,SENCO,2026-05-01\r\n\
        Siân Evans,Year 7,20/04/2026,Annual review,Send the plan,SENCO,2026-05-01\r\n";
    let plan = csv_plan(&Record::default(), file.as_bytes());
    assert!(plan.can_apply(), "{:?}", problems(&plan));
    assert_eq!(plan.meetings.added.len(), 1);
    let meeting = plan.meetings.added[0].id;
    assert!(plan
        .actions
        .added
        .iter()
        .all(|a| a.meeting == Some(meeting)));
    assert_eq!(
        plan.actions.added[0].raised,
        NaiveDate::from_ymd_opt(2026, 4, 20).unwrap(),
        "raised at the meeting when the file has no date raised"
    );
}

// ---------------------------------------------------------------- arbitrary bytes

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_csv_importer_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let plan = csv_plan(&Record::default(), &bytes);
        prop_assert!(plan.can_apply() || !plan.problems.is_empty());
    }

    #[test]
    fn the_json_importer_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let plan = json_plan(&Record::default(), &bytes);
        prop_assert!(!plan.can_apply());
    }

    #[test]
    fn a_damaged_export_is_refused_or_imported_whole_never_half(
        cut in 0usize..6000,
        flips in proptest::collection::vec((0usize..6000, any::<u8>()), 0..4),
    ) {
        let record = school(12);
        for table_bytes in [
            spreadsheet::export(&record, Table::ActionLog, &Part::Everything, today()),
            bundle::export(&record, &Part::Everything, now()),
        ] {
            let mut bytes = table_bytes.clone();
            for (at, byte) in &flips {
                if !bytes.is_empty() {
                    let at = at % bytes.len();
                    bytes[at] = *byte;
                }
            }
            bytes.truncate(cut.min(bytes.len()));
            let mut fresh = Record::default();
            let plan = if table_bytes[0] == b'{' { json_plan(&fresh, &bytes) } else { csv_plan(&fresh, &bytes) };
            match merge::apply(&mut fresh, &plan) {
                Ok(_) => prop_assert!(plan.problems.is_empty()),
                Err(_) => prop_assert_eq!(&fresh, &Record::default()),
            }
        }
    }
}

#[test]
fn file_names_sort_by_date_and_say_what_they_hold() {
    assert_eq!(
        bundle::file_name("actions", today(), None, "csv"),
        "sendlog-actions-2026-04-23.csv"
    );
    assert_eq!(
        bundle::file_name("record", today(), Some("Siân O'Neil-Evans"), "json"),
        "sendlog-record-2026-04-23-siân-o-neil-evans.json"
    );
    assert_eq!(
        bundle::file_name("tracker", today(), Some("  / "), "csv"),
        "sendlog-tracker-2026-04-23.csv"
    );
}

#[test]
fn the_preview_says_in_words_what_an_import_would_do() {
    let base = school(30);
    let mut ours = base.clone();
    let mut theirs = base.clone();
    let [first, second] = [base.actions()[0].id, base.actions()[1].id];
    theirs
        .edit_action(
            first,
            &[Edit::Owner("Ms Khan".into())],
            None,
            now() + Duration::days(1),
        )
        .unwrap();
    ours.edit_action(second, &[Edit::Owner("Mr Carter".into())], None, now())
        .unwrap();
    theirs
        .edit_action(second, &[Edit::Owner("Ms Khan".into())], None, now())
        .unwrap();
    let plan = json_plan(&ours, &bundle::export(&theirs, &Part::Everything, now()));
    assert_eq!(
        plan.summary(),
        [
            "1 action updated",
            "2 history entries added",
            "28 actions already on this device, unchanged",
            "1 conflict: changed differently here and in the file; choose which to keep",
        ]
    );
    assert_eq!(
        plan.headline(),
        "Imported sendlog-2026-04-23.json: 1 action updated"
    );
    let updates = plan.updates(&ours, 10);
    assert_eq!(updates.len(), 1);
    assert!(updates[0].what.ends_with(&base.actions()[0].next_step));
    let owner = updates[0]
        .differences
        .iter()
        .find(|d| d.label == "Owner")
        .unwrap();
    assert_eq!(owner.theirs, "Ms Khan");
}

#[test]
fn an_import_does_not_move_an_action_to_another_pupil_and_says_so() {
    let record = school(20);
    let file = csv_text(&spreadsheet::export(
        &record,
        Table::Tracker,
        &Part::Everything,
        today(),
    ));
    let header = file.lines().next().unwrap();
    let first = file.lines().nth(1).unwrap();
    let pupil = first.split(',').next().unwrap();
    let moved = first.replacen(pupil, "Somebody Else", 1);
    let plan = csv_plan(&record, format!("{header}\r\n{moved}\r\n").as_bytes());
    assert!(plan.can_apply(), "{:?}", problems(&plan));
    assert!(plan.changes_nothing(), "the pupil is not changed");
    assert!(
        plan.notes
            .iter()
            .any(|n| n.starts_with("1 row (row 2) gives an action on this device another pupil")),
        "{:?}",
        plan.notes
    );
}

#[test]
fn a_row_that_differs_only_in_when_it_changed_says_so() {
    let record = school(10);
    let mut json: serde_json::Value =
        serde_json::from_slice(&bundle::export(&record, &Part::Everything, now())).unwrap();
    json["actions"][0]["last_update"]["at"] = "2030-01-01T09:30:00Z".into();
    let plan = json_plan(&record, &serde_json::to_vec(&json).unwrap());
    let updates = plan.updates(&record, 5);
    assert_eq!(updates.len(), 1);
    let shown = &updates[0].differences;
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].label, "Last changed");
    assert_eq!(shown[0].theirs, "1 Jan 2030 09:30 UTC");
}
