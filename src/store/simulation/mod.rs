//! A seeded, model-based simulation of the stored record: long random sequences of what people
//! and browsers do, checked after every step against what start-up and the whole read give.
//!
//! The storage is a `BTreeMap` of keys and JSON texts, written as IndexedDB transactions are
//! (all of a write or none of it); the app's own pieces do everything else — the record's
//! operations, [`Journal`], [`Queue`], [`decode`], [`decode_newest`] and the start-up plan
//! ([`newest_history_read`], [`read_first`]) that `idb.rs` follows. Writes end (commit or fail)
//! at random points, so changes wait in the queue as they do in the browser.
//!
//! After every step: the whole read and the start-up read (with the older history read
//! afterwards, as the app does) both give the record as last committed, and, when nothing is
//! being written and no write has failed since, that is the record in memory.
//!
//! `cargo test` runs a few thousand steps. More, or one seed again:
//! `SENDLOG_SIM_SEEDS=500 SENDLOG_SIM_STEPS=400 cargo test -p sendlog --lib simulation -- --nocapture`,
//! `SENDLOG_SIM_SEED=1234 cargo test -p sendlog --lib simulation`.
//!
//! The files: `storage` (the stored values and the app's reads of them), `device` (one device:
//! the record in memory, its saves and what a person or the browser does next) and, here, the
//! seeds run and the sequence issue 15 found by hand.
//!
//! [`Journal`]: crate::store::layout::Journal
//! [`Queue`]: crate::store::layout::Queue
//! [`decode`]: crate::store::layout::decode
//! [`decode_newest`]: crate::store::layout::decode_newest
//! [`newest_history_read`]: crate::store::layout::newest_history_read
//! [`read_first`]: crate::store::layout::read_first

mod device;
mod storage;

use crate::core::record::{Edit, NewPupil};
use crate::core::sample::{sample, SampleSize};
use crate::core::{id, ActionDraft, ItemType, Record, SendStatus, Status, YearGroup};
use crate::store::layout::BUCKET_SIZE;
use chrono::{NaiveDate, TimeZone, Utc};
use device::Device;
use storage::assert_same;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 4, 23).unwrap()
}

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs one seed for `steps` steps; a failure names the seed and the steps before it.
fn run(seed: u64, steps: u64) {
    // Not `seed` itself: the sample record draws its ids from a generator seeded with it.
    id::follow_seed(seed ^ 0x05EE_D1D5);
    let mut rng = fastrand::Rng::with_seed(seed);
    let size = SampleSize {
        pupils: rng.usize(1..30),
        actions: rng.usize(100..400),
    };
    let mut record = sample(seed, size, today());
    // The history just short of a bucket boundary, so that it soon grows across one and can
    // shrink back: the corner where start-up and the whole read could part.
    let short = rng.usize(1..40);
    let filler =
        (BUCKET_SIZE - record.lengths()[3] % BUCKET_SIZE + BUCKET_SIZE - short) % BUCKET_SIZE;
    let pupil = record.pupils()[0].id;
    let drafts: Vec<ActionDraft> = (0..filler)
        .map(|n| ActionDraft {
            pupil: Some(pupil),
            next_step: format!("Send reading record {n} to the SENCO by Friday"),
            owner: "Parent".into(),
            due: Some(today()),
            ..ActionDraft::default()
        })
        .collect();
    let now = Utc.with_ymd_and_hms(2026, 4, 22, 9, 0, 0).unwrap();
    record.add_actions(&drafts, today(), now).unwrap();
    let mut device = Device::new(seed, record);
    let mut recent: Vec<String> = Vec::new();
    for step in 0..steps {
        let what = device.step();
        if std::env::var_os("SENDLOG_SIM_TRACE").is_some() {
            eprintln!("{step}: {what} {:?}", device.memory.lengths());
        }
        recent.push(format!("{step}: {what} {:?}", device.memory.lengths()));
        if recent.len() > 12 {
            recent.remove(0);
        }
        let context = format!(
            "seed {seed}, step {step} ({what}); replay with SENDLOG_SIM_SEED={seed}; \
             the last steps:\n  {}\n",
            recent.join("\n  ")
        );
        device.check(&context);
    }
}

#[test]
fn long_random_sequences_store_what_memory_holds() {
    let steps = setting("SENDLOG_SIM_STEPS", 150);
    if let Ok(seed) = std::env::var("SENDLOG_SIM_SEED") {
        run(seed.parse().expect("SENDLOG_SIM_SEED is a number"), steps);
        return;
    }
    let seeds = setting("SENDLOG_SIM_SEEDS", 16);
    // The seeds run by default include 144, which finds the bug issue 15 found by hand (start-up
    // refused a record the whole read accepts: "puts one of the history at position 915, past
    // the end") on the code before it was fixed, at its 40th step.
    let first = setting("SENDLOG_SIM_FIRST", 137);
    for seed in first..first + seeds {
        // Whatever panics (an assertion here, or a debug assertion in the app's code), the
        // seed is named so that it can be replayed.
        if let Err(problem) = std::panic::catch_unwind(|| run(seed, steps)) {
            eprintln!(
                "The simulation failed with seed {seed}: replay it with SENDLOG_SIM_SEED={seed}"
            );
            std::panic::resume_unwind(problem);
        }
    }
}

/// The sequence issue 15 found by hand: a pupil added by mistake with a few actions, a
/// compaction (a refused write, then Try again) that writes a third history bucket, then the
/// pupil removed so that the history shrinks back below it. Start-up read only the newest
/// bucket and refused the record ("not consistent: Gap(History, 1990)") on every start.
#[test]
fn a_record_whose_history_shrank_below_its_newest_bucket_still_opens() {
    id::follow_seed(15);
    let now = Utc.with_ymd_and_hms(2026, 4, 23, 9, 0, 0).unwrap();
    let mut record = Record::default();
    let new = |name: &str| NewPupil {
        name: name.into(),
        year_group: YearGroup::Year4,
        send_status: SendStatus::SenSupport,
        annual_review: None,
    };
    let (kept, _) = record.add_pupil(new("Zoë Ahmed"), now).unwrap();
    let draft = |pupil, n: usize| ActionDraft {
        pupil: Some(pupil),
        next_step: format!("Send reading record {n} to the SENCO by Friday"),
        owner: "Parent".into(),
        due: NaiveDate::from_ymd_opt(2026, 5, 1),
        item_type: Some(ItemType::FollowUp),
        ..ActionDraft::default()
    };
    let drafts: Vec<_> = (0..1_990).map(|n| draft(kept, n)).collect();
    record.add_actions(&drafts, today(), now).unwrap();
    let mut device = Device::new(15, record);
    assert_eq!(device.memory.lengths(), [1, 0, 1_990, 1_990]);

    let (mistake, touched) = device.memory.add_pupil(new("Siân Jones"), now).unwrap();
    device.persist(touched);
    device.end_write();
    for count in [3, 10] {
        let drafts: Vec<_> = (0..count).map(|n| draft(mistake, n)).collect();
        let (_, touched) = device.memory.add_actions(&drafts, today(), now).unwrap();
        device.persist(touched);
        device.end_write();
    }
    let (_, touched) = device
        .memory
        .edit_action(
            device.memory.actions()[5].id,
            &[Edit::Status(Status::Done)],
            None,
            now,
        )
        .unwrap();
    device.refuse_next = true;
    device.persist(touched);
    device.end_write();
    device.try_again();
    device.end_write();
    assert!(device.stored.contains_key("history/000002"));

    device.whole_history();
    let (_, touched) = device.memory.remove_pupils(&[mistake]);
    device.persist(touched);
    device.end_write();
    device.check("after the pupil was removed");
    device.reload();
    assert_same(&device.memory, &device.committed, "after a reload");
    assert_eq!(device.memory.lengths(), [1, 0, 1_990, 1_991]);
}
