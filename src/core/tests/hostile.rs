//! Property tests: every entry point that reads input, fed arbitrary and tricky Unicode and bytes.
//
// Each property is `sendlog_core::hostile`'s, which the `cargo fuzz` targets run too. The case
// count is kept small so the whole file runs in a few seconds; `PROPTEST_CASES=5000 cargo test
// -p sendlog-core --test hostile` runs many more.

use chrono::Days;
use proptest::prelude::*;
use sendlog_core::guard::{self, OwnerCheck};
use sendlog_core::hostile::{self, now, today};
use sendlog_core::record::{Edit, NewMeeting, NewPupil};
use sendlog_core::{
    bundle, ActionDraft, Choice, ItemType, MeetingType, Record, SendStatus, Status,
};

/// Characters whose case mapping changes their length or leaves ASCII (İ, ẞ, Ω, K, ﬁ and
/// company), the separators and quotes files and owners are split at, spaces of every kind.
const TRICKY: &[char] = &[
    'İ',
    'ı',
    'ẞ',
    'ß',
    'Ω',
    'ω',
    'K',
    'Å',
    'ﬁ',
    'ﬀ',
    'Σ',
    'ς',
    'ǅ',
    'ŉ',
    'ΐ',
    '\u{307}',
    'é',
    'Ł',
    'a',
    'A',
    'n',
    'D',
    'o',
    'R',
    ' ',
    '\u{a0}',
    '\u{2028}',
    '\u{feff}',
    '\u{200b}',
    '\t',
    '\n',
    '\r',
    '/',
    '&',
    '+',
    ',',
    ';',
    '"',
    '\'',
    '=',
    '-',
    '@',
    '.',
    '!',
    '?',
    ':',
    'T',
    'Z',
    '0',
    '1',
    '2',
    '9',
    '\0',
    '\u{10ffff}',
    '\u{fffd}',
];

/// Pieces that mean something to one reader or another.
const WORDS: &[&str] = &[
    " and ",
    " AND ",
    " & ",
    "/",
    " + ",
    ",",
    ";",
    " or ",
    " Or ",
    "speech and language",
    "SPEECH AND LANGUAGE therapist",
    "health and social care",
    "İ/ẞ",
    "Kelvin",
    "team",
    "staff",
    "TBC",
    "monitor progress",
    "discussed",
    "keep an eye on",
    "Class teacher",
    "SENCO",
    "2026-04-23",
    "0001-01-01",
    "1899-12-31",
    "2200-01-01",
    "23/04/2026",
    "31/02/2026",
    "1 Jan 2200",
    "23 Apr 2026",
    "+10000-01-01",
    "2026-04-23T09:05:00Z",
    "T25:00:00Z",
    "2026-04-23T09:05:00.123456789Z",
    "2199-12-31T23:59:60Z",
    "00:00:00",
    ".",
    "\"\"",
    "\r\n",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<char>().prop_map(String::from),
        4 => prop::sample::select(TRICKY).prop_map(String::from),
        2 => prop::sample::select(WORDS).prop_map(String::from),
    ]
}

/// Text of up to `most` pieces: arbitrary characters, tricky ones and meaningful words.
fn tricky(most: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..most).prop_map(|pieces| pieces.concat())
}

fn bytes(most: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..most)
}

/// The owner split as it was first written, on a lower-cased copy of the trimmed owner with
/// every byte's place in the text as typed remembered (so its cuts are always between
/// characters): what the one-pass split must agree with.
fn split_by_lowering(owner: &str) -> Vec<String> {
    // The same lists as the split itself: what is compared is the way of splitting.
    use sendlog_core::guard::{OWNER_SEPARATORS as SEPARATORS, ROLES_WITH_AND as ROLES};
    let owner = owner.trim();
    let mut lower = String::new();
    let mut from = Vec::new();
    for (at, c) in owner.char_indices() {
        for l in c.to_lowercase() {
            lower.push(l);
            from.extend(std::iter::repeat_n(at, l.len_utf8()));
        }
    }
    from.push(owner.len());
    let inside_role = |at: usize| {
        ROLES.iter().any(|role| {
            lower
                .match_indices(role)
                .any(|(start, _)| (start..start + role.len()).contains(&at))
        })
    };
    let mut cuts: Vec<(usize, usize)> = SEPARATORS
        .iter()
        .flat_map(|s| lower.match_indices(s))
        .map(|(at, s)| (at, at + s.len()))
        .filter(|&(at, _)| !inside_role(at))
        .collect();
    cuts.sort();
    let (mut parts, mut start) = (Vec::new(), 0);
    for (cut, end) in cuts {
        if cut >= start {
            parts.push(&owner[from[start]..from[cut]]);
            start = end;
        }
    }
    parts.push(&owner[from[start]..]);
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect()
}

/// A record made through the app's own routines from arbitrary text: pupils, a meeting each,
/// actions (those the guards let through), a status changed.
fn record_of(names: &[(String, u8)], actions: &[Step]) -> Record {
    let mut record = Record::default();
    let mut pupils = Vec::new();
    for (name, year) in names {
        let new = NewPupil {
            name: name.clone(),
            year_group: hostile::year_group(*year),
            send_status: SendStatus::ALL[usize::from(*year) % SendStatus::ALL.len()],
            annual_review: (year % 3 == 0).then(|| today() + Days::new(u64::from(*year))),
        };
        if let Ok((pupil, _)) = record.add_pupil(new, now()) {
            let meeting = NewMeeting {
                pupil,
                date: today(),
                meeting_type: MeetingType::ALL[usize::from(*year) % MeetingType::ALL.len()],
                attendees: vec![name.clone()],
                summary: name.clone(),
            };
            let meeting = record.start_meeting(meeting, now()).ok().map(|(m, _)| m);
            pupils.push((pupil, meeting));
        }
    }
    if pupils.is_empty() {
        return record;
    }
    for (n, (who, decision, next_step, owner, evidence, days)) in actions.iter().enumerate() {
        let (pupil, meeting) = pupils[who % pupils.len()];
        let draft = ActionDraft {
            pupil: Some(pupil),
            raised: Some(today()),
            meeting: meeting.filter(|_| n % 2 == 0),
            item_type: Some(ItemType::ALL[usize::from(*days) % ItemType::ALL.len()]),
            decision: decision.clone(),
            next_step: next_step.clone(),
            owner: owner.clone(),
            due: Some(today() + Days::new(u64::from(*days))),
            evidence: evidence.clone(),
            next_review: (days % 2 == 1).then(|| today() + Days::new(60)),
            escalate: days % 3 == 0,
            ..ActionDraft::default()
        };
        if let Ok((id, _)) = record.add_action(&draft, today(), now()) {
            let status = Status::ALL[usize::from(*days) % Status::ALL.len()];
            let later = now() + chrono::Duration::minutes(i64::from(*days));
            let _ = record.edit_action(id, &[Edit::Status(status)], None, later);
        }
    }
    record
}

/// Pupils' names (with a byte for their year group and SEND status) and actions (a pupil, the
/// decision, the action, the owner, the evidence, and a byte for the rest).
type Texts = (Vec<(String, u8)>, Vec<Step>);
type Step = (usize, String, String, String, String, u8);

fn texts() -> impl Strategy<Value = Texts> {
    (
        prop::collection::vec((tricky(12), any::<u8>()), 1..4),
        prop::collection::vec(
            (
                any::<usize>(),
                tricky(20),
                tricky(30),
                tricky(6),
                tricky(20),
                any::<u8>(),
            ),
            0..6,
        ),
    )
}

/// `value` as an address writes it, or as typed (with its `&`, `=`, `%` and `+`), by its length.
fn form_urlencoded_value(value: &str) -> String {
    if value.len().is_multiple_of(2) {
        return value.to_string();
    }
    value
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                char::from(b).to_string()
            }
            b' ' => "+".into(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

fn cases(default: u32) -> ProptestConfig {
    // PROPTEST_CASES, when set, counts for every property (proptest reads it for the default).
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    ProptestConfig::with_cases(cases)
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn the_row_guards_hold_on_any_text(owner in tricky(40), step in tricky(80), decision in tricky(10)) {
        hostile::guard(format!("{owner}\0{step}\0{decision}").as_bytes());
    }

    #[test]
    fn the_row_guards_hold_on_any_bytes(bytes in bytes(300)) {
        hostile::guard(&bytes);
    }

    #[test]
    fn an_owner_is_split_where_the_lower_cased_text_would_split_it(owner in tricky(30)) {
        hostile::owner_split(&owner);
        let parts = split_by_lowering(&owner);
        match guard::check_owner(&owner) {
            OwnerCheck::Several(several) => prop_assert_eq!(several, parts),
            OwnerCheck::One(_) => prop_assert!(parts.len() <= 1, "{:?}", parts),
            OwnerCheck::Refused(_) => {}
        }
    }

    #[test]
    fn dates_and_moments_hold_on_any_text(text in tricky(8), bytes in bytes(40)) {
        hostile::dates(text.as_bytes());
        hostile::dates(&bytes);
    }

    #[test]
    fn the_address_holds_on_any_text(
        path in tricky(6),
        pairs in prop::collection::vec((prop::sample::select(vec![
            "pupil", "owner", "year", "type", "status", "q", "sort", "x",
        ]), tricky(8)), 0..6),
        bytes in bytes(60),
    ) {
        let query: Vec<String> = pairs.iter().map(|(key, value)| {
            let value: String = form_urlencoded_value(value);
            format!("{key}={value}")
        }).collect();
        hostile::address(format!("#/tracker/{path}?{}", query.join("&")).as_bytes());
        hostile::address(&bytes);
    }

    #[test]
    fn the_csv_import_holds_on_any_bytes(bytes in bytes(600)) {
        hostile::csv(&bytes);
        // And as Excel's "Unicode text": any bytes after the byte order mark of UTF-16.
        hostile::csv(&[b"\xFF\xFE", &bytes[..]].concat());
    }

    #[test]
    fn the_csv_import_holds_on_any_cells(
        headers in prop::collection::vec(prop::sample::select(vec![
            "Pupil", "Year group", "SEND status", "Action", "Owner", "Due", "Date raised",
            "Meeting date", "Meeting type", "Item type", "Status", "Needs escalation",
            "Next review", "Last updated", "Evidence", "Action ID", "Pupil ID", "due_DATE",
            "İtem type", "", "Notes2",
        ]), 4..10),
        rows in prop::collection::vec(prop::collection::vec(tricky(6), 0..10), 0..6),
        delimiter in prop::sample::select(vec![",", ";", "\t"]),
    ) {
        let mut file = headers.join(delimiter);
        for row in rows {
            file.push_str("\r\n");
            file.push_str(&row.join(delimiter));
        }
        hostile::csv(file.as_bytes());
        hostile::csv_encodings(&file);
    }

    #[test]
    fn a_csv_written_by_the_app_reads_back((names, actions) in texts()) {
        hostile::csv_reads_back(&record_of(&names, &actions));
    }

    #[test]
    fn the_bundle_import_holds_on_any_bytes(bytes in bytes(600)) {
        hostile::bundle(&bytes);
    }

    #[test]
    fn a_bundle_exported_then_imported_is_the_same_record((names, actions) in texts()) {
        let record = record_of(&names, &actions);
        hostile::bundle_reads_back(&record);
        hostile::bundle(&bundle::export(&record, &bundle::Part::Everything, now()));
    }

    #[test]
    fn a_damaged_bundle_is_refused_or_sound(
        (names, actions) in texts(),
        cuts in prop::collection::vec((any::<usize>(), tricky(3)), 1..4),
    ) {
        let record = record_of(&names, &actions);
        let mut json = String::from_utf8(bundle::export(&record, &bundle::Part::Everything, now())).unwrap();
        for (at, text) in cuts {
            let at = at % (json.len() + 1);
            if json.is_char_boundary(at) {
                json.insert_str(at, &text);
            }
        }
        hostile::bundle(json.as_bytes());
    }

    #[test]
    fn a_stored_bucket_holds_on_any_bytes(bytes in bytes(400)) {
        hostile::bucket(&bytes);
    }

    #[test]
    fn a_stored_bucket_with_any_dates_reads_within_the_years_or_not_at_all(
        (names, actions) in texts(),
        swaps in prop::collection::vec((any::<usize>(), tricky(4)), 1..4),
    ) {
        use sendlog_core::bucket::Row;
        let record = record_of(&names, &actions);
        let buckets = [
            sendlog_core::Pupil::encode_json(record.pupils()),
            sendlog_core::Meeting::encode_json(record.meetings()),
            sendlog_core::Action::encode_json(record.actions()),
            sendlog_core::HistoryEntry::encode_json(record.history()),
        ];
        for json in buckets {
            hostile::bucket(json.as_bytes());
            // Every date and moment in the bucket replaced by what the swaps say.
            let mut changed = json.clone();
            for (n, (at, text)) in swaps.iter().enumerate() {
                let starts: Vec<usize> = changed.match_indices("\"20").map(|(i, _)| i + 1).collect();
                if let Some(&start) = starts.get(at % starts.len().max(1)) {
                    let end = changed[start..].find('"').map_or(changed.len(), |e| start + e);
                    let with = if n % 2 == 0 { text.replace('"', "") } else { "0001-01-01".into() };
                    changed.replace_range(start..end, &with);
                }
            }
            hostile::bucket(changed.as_bytes());
        }
    }

    #[test]
    fn a_compact_bucket_with_any_bytes_changed_reads_within_the_years_or_not_at_all(
        (names, actions) in texts(),
        changes in prop::collection::vec((any::<usize>(), any::<u8>()), 1..6),
        cut in any::<usize>(),
    ) {
        use sendlog_core::bucket::Row;
        let record = record_of(&names, &actions);
        for stored in [
            sendlog_core::Action::encode_bucket(record.actions()),
            sendlog_core::HistoryEntry::encode_bucket(record.history()),
            sendlog_core::Meeting::encode_bucket(record.meetings()),
        ] {
            hostile::bucket(&stored);
            let mut changed = stored.clone();
            for (at, byte) in &changes {
                // Past the mark, so that it is read as compact.
                let at = 1 + at % (changed.len() - 1);
                changed[at] = *byte;
            }
            hostile::bucket(&changed);
            hostile::bucket(&stored[..cut % stored.len()]);
        }
    }
}

#[test]
fn the_sequences_of_the_issue_are_answered() {
    // "İ/ẞ" typed in Owner: two owners, as typed, not a crash.
    assert_eq!(
        guard::check_owner("İ/ẞ"),
        OwnerCheck::Several(vec!["İ".into(), "ẞ".into()])
    );
    for owner in [
        "İ/ẞ",
        "ẞ and İ",
        "Ms İnce AND Mr KAYA",
        "ﬁona / Ωmega",
        "İİİ,ẞẞẞ;K",
    ] {
        hostile::owner_split(owner);
        assert_eq!(
            guard::check_owner(owner),
            OwnerCheck::Several(split_by_lowering(owner)),
            "{owner}"
        );
    }
    assert_eq!(
        guard::check_owner("SPEECH AND LANGUAGE therapist"),
        OwnerCheck::One("SPEECH AND LANGUAGE therapist".into())
    );
    // A date outside the years SEND Log accepts, typed into the form: refused beside the field.
    let draft = ActionDraft {
        pupil: Some(sendlog_core::PupilId::new()),
        next_step: "Send the reading log home".into(),
        owner: "Class teacher".into(),
        due: chrono::NaiveDate::from_ymd_opt(1, 1, 1),
        ..ActionDraft::default()
    };
    let verdict = guard::check(&draft, today());
    let due: Vec<_> = verdict.about(sendlog_core::Field::Due).collect();
    assert!(verdict.is_refused());
    assert_eq!(
        due[0].message,
        "Due date 0001-01-01 is outside the years 1900–2199 SEND Log accepts; check the year."
    );
    assert!(Record::default()
        .add_action(&draft, today(), now())
        .is_err());
    // The same date in a spreadsheet, a bundle and a stored bucket.
    let csv = "Pupil,Year group,Action,Owner,Due\r\nZoë,Year 5,Call home,SENCO,01/01/0001\r\n";
    let plan = hostile::csv_plan(&Record::default(), csv.as_bytes());
    assert_eq!(
        plan.problems[0].to_string(),
        "Row 2, Due: \"01/01/0001\" is outside the years 1900–2199 SEND Log accepts; check the year."
    );
    let mut record = Record::default();
    let pupil = NewPupil {
        name: "Zoë".into(),
        year_group: sendlog_core::YearGroup::Year5,
        send_status: SendStatus::SenSupport,
        annual_review: None,
    };
    record.add_pupil(pupil, now()).unwrap();
    let json =
        String::from_utf8(bundle::export(&record, &bundle::Part::Everything, now())).unwrap();
    let wrong = json.replace("2026-04-23T15:04:05Z", "0001-01-01T00:00:00Z");
    assert_ne!(wrong, json);
    let plan = bundle::plan(&Record::default(), "old.json", wrong.as_bytes());
    let problem = plan.problems[0].to_string();
    assert!(
        problem.starts_with("The file: a date on line 1, column "),
        "{problem}"
    );
    assert!(
        problem.ends_with(
            "cannot be read: The time 0001-01-01T00:00:00Z is outside the years 1900–2199 SEND \
             Log accepts; check the year. Correct it in the file, or export the file again on \
             the device it came from."
        ),
        "{problem}"
    );
    use sendlog_core::bucket::Row;
    let bucket = sendlog_core::Pupil::encode_json(record.pupils())
        .replace("2026-04-23T15:04:05Z", "2200-01-01T00:00:00Z");
    let error = sendlog_core::Pupil::decode_bucket(bucket.as_bytes())
        .map(|_| ())
        .unwrap_err();
    assert!(
        error.to_string().contains("is outside the years"),
        "{error}"
    );
}
