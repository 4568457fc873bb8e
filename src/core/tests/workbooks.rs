//! Workbooks as LibreOffice saves them (.xlsx, .xls, .ods: see workbooks/make.mjs) read into the
//! import: every sheet a person can see, the table found under its title, dates from date
//! cells, names intact; and workbooks cut short, damaged or locked refused with the reason.

use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use sendlog_core::hostile;
use sendlog_core::merge::ImportPlan;
use sendlog_core::spreadsheet::{is_workbook, read_workbook, CsvImport, Sheet};
use sendlog_core::{ItemType, Record, Status, YearGroup};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/workbooks/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// A sheet planned as the app plans it, into an empty record on 2 December 2026.
fn plan(file: &str, sheet: &Sheet) -> ImportPlan {
    let now = Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap();
    let mut import = CsvImport::open(file, sheet.csv.clone())
        .unwrap_or_else(|p| panic!("{file}: {p}"))
        .from_sheet(sheet.header_row);
    import.plan(&Record::default(), now.date_naive(), now)
}

/// An action as the tests compare it: pupil's name, year group, item type, step, owner, due,
/// status, evidence.
type Planned = (
    String,
    YearGroup,
    ItemType,
    String,
    String,
    NaiveDate,
    Status,
    String,
);

/// Each action planned, as [`Planned`].
fn actions(plan: &ImportPlan) -> Vec<Planned> {
    let mut out: Vec<_> = plan
        .actions
        .added
        .iter()
        .map(|a| {
            let pupil = plan.pupils.added.iter().find(|p| p.id == a.pupil).unwrap();
            (
                pupil.name.clone(),
                pupil.year_group,
                a.item_type,
                a.next_step.clone(),
                a.owner.clone(),
                a.due,
                a.status,
                a.evidence.clone(),
            )
        })
        .collect();
    // In the order of the names' bytes: Latin before Greek.
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn a_tracker_saved_as_xlsx_xls_or_ods_reads_the_same_every_way() {
    for file in ["tracker.xlsx", "tracker.xls", "tracker.ods"] {
        let bytes = fixture(file);
        assert!(is_workbook(&bytes), "{file}");
        let sheets = read_workbook(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
        let names: Vec<_> = sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["Tracker", "Lists"],
            "{file}: the hidden sheet is left out"
        );
        let tracker = &sheets[0];
        assert_eq!(
            tracker.header_row, 3,
            "{file}: the title and the empty row are above"
        );
        let plan = plan(file, tracker);
        assert!(plan.problems.is_empty(), "{file}: {:?}", plan.problems);
        assert!(
            plan.values_to_choose.is_empty(),
            "{file}: {:?}",
            plan.values_to_choose
        );
        assert!(
            plan.years_to_choose.is_empty(),
            "{file}: {:?}",
            plan.years_to_choose
        );
        assert!(
            plan.notes
                .iter()
                .any(|n| n
                    == "Rows 1 to 2, above the column names in row 3, were left out, as a title."),
            "{file}: {:?}",
            plan.notes
        );
        assert!(
            plan.notes.iter().any(|n| n.contains("Overdue")),
            "{file}: {:?}",
            plan.notes
        );
        let s = String::from;
        assert_eq!(
            actions(&plan),
            vec![
                (
                    s("Siân Jones"),
                    YearGroup::Year3,
                    ItemType::Referral,
                    s("Refer to speech and language therapy"),
                    s("SENCO"),
                    day("2027-01-08"),
                    Status::Waiting,
                    s("Form sent 25/11")
                ),
                (
                    s("Zoë Brontë"),
                    YearGroup::Year5,
                    ItemType::FollowUp,
                    s("Send the reading plan home"),
                    s("SENCO"),
                    day("2026-12-14"),
                    Status::Open,
                    s("")
                ),
                (
                    s("İlker Yılmaz"),
                    YearGroup::Year6,
                    ItemType::Review,
                    s("Plan the annual review"),
                    s("Head of year"),
                    day("2026-11-30"),
                    Status::Open,
                    s("")
                ),
                (
                    s("Łukasz Nowak"),
                    YearGroup::Reception,
                    ItemType::ClassroomAdjustment,
                    s("Seat him near the board"),
                    s("Class teacher"),
                    day("2027-02-01"),
                    Status::Done,
                    s("Seen in class")
                ),
                (
                    s("Γιώργος Παπαδόπουλος"),
                    YearGroup::Year2,
                    ItemType::Intervention,
                    s("Start the phonics group, three times a week"),
                    s("TA (Mrs Ellis)"),
                    day("2026-12-20"),
                    Status::InProgress,
                    s("")
                ),
            ],
            "{file}"
        );
    }
}

#[test]
fn an_action_log_workbook_puts_each_action_at_its_meeting() {
    let sheets = read_workbook(&fixture("action-log.xlsx")).unwrap();
    assert_eq!(sheets.len(), 1);
    assert_eq!(sheets[0].header_row, 1);
    let plan = plan("action-log.xlsx", &sheets[0]);
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    assert!(
        plan.notes.iter().all(|n| !n.contains("title")),
        "{:?}",
        plan.notes
    );
    let meetings: Vec<_> = plan.meetings.added.iter().map(|m| m.date).collect();
    assert_eq!(meetings, [day("2026-11-23")]);
    let raised: Vec<_> = {
        let mut r: Vec<_> = plan
            .actions
            .added
            .iter()
            .map(|a| (a.next_step.as_str(), a.raised, a.meeting.is_some()))
            .collect();
        r.sort();
        r
    };
    assert_eq!(
        raised,
        [
            ("Book a follow-up call", day("2026-11-23"), true),
            ("Check the reading log", day("2026-11-16"), false),
            ("Send the reading plan home", day("2026-11-23"), true),
        ]
    );
    let names: Vec<_> = plan.pupils.added.iter().map(|p| p.name.as_str()).collect();
    assert!(
        names.contains(&"Gwenllïan Ap Dafydd") && names.contains(&"Jürgen Weiß"),
        "{names:?}"
    );
}

#[test]
fn a_sheet_of_lists_is_read_but_is_not_a_table_of_actions() {
    let sheets = read_workbook(&fixture("tracker.xlsx")).unwrap();
    let plan = plan("tracker.xlsx", &sheets[1]);
    assert!(
        !plan.can_apply(),
        "a sheet of drop-down lists brings nothing in"
    );
}

#[test]
fn a_workbook_cut_short_damaged_or_locked_is_refused_with_the_reason() {
    let whole = fixture("tracker.xlsx");
    for cut in [
        4,
        30,
        100,
        whole.len() / 3,
        whole.len() / 2,
        whole.len() - 22,
        whole.len() - 1,
    ] {
        let why = read_workbook(&whole[..cut]).expect_err("a workbook cut short is refused");
        assert!(
            why.contains("damaged or cut short") && why.contains("CSV UTF-8"),
            "{cut}: {why}"
        );
    }
    // One byte changed in an .xls (found by the property test below) stops calamine's reader.
    let why = read_workbook(&fixture("damaged.xls")).unwrap_err();
    assert!(why.contains("damaged or cut short"), "{why}");
    let why = read_workbook(b"PK\x03\x04 not a zip at all").unwrap_err();
    assert!(
        why.starts_with("it could not be read as a workbook"),
        "{why}"
    );
    // An .xlsx with a password to open is an OLE file holding an "EncryptedPackage".
    let mut locked = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    locked.resize(1024, 0);
    locked.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    locked.resize(4096, 0);
    let why = read_workbook(&locked).unwrap_err();
    assert!(why.contains("protected with a password"), "{why}");
    assert!(!is_workbook(b"Pupil name,Action\r\n"));
    let why = read_workbook(&vec![b'P'; 21 * 1024 * 1024]).unwrap_err();
    assert!(
        why.contains("the largest workbook SEND Log reads is 20 MB"),
        "{why}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// A workbook with bytes changed anywhere (a bad disk, a half-finished copy) is read or
    /// refused, never a panic; whatever is read holds as a CSV does. (Not .xls: see
    /// `hostile::workbook`.)
    #[test]
    fn a_damaged_workbook_is_read_or_refused(
        file in prop::sample::select(vec!["tracker.xlsx", "tracker.ods", "action-log.xlsx"]),
        changes in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
    ) {
        let mut bytes = fixture(file);
        for (at, byte) in changes {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        hostile::workbook(&bytes);
    }
}
