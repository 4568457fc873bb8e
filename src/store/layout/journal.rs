//! The journal: each change saved as an entry or into its buckets, and read back at start-up.

use super::read::{check_meta, read, LoadError, Loaded, Stored};
use super::write::{encode_touched, Writes};
use super::{JOURNAL_LIMIT, JOURNAL_PREFIX, JOURNAL_ROWS};
use crate::core::record::{Kind, Patch, Record, Touched, FORMAT_NAME, SCHEMA_VERSION};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Serialize)]
struct PatchOut<'a> {
    format: &'static str,
    schema: u32,
    patch: &'a Patch,
}

#[derive(Deserialize)]
struct PatchIn {
    format: String,
    schema: u32,
    patch: Patch,
}

/// The journal entries in storage that are not yet written into buckets, and the positions
/// they touched.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Journal {
    next: u64,
    keys: Vec<String>,
    touched: BTreeSet<(Kind, usize)>,
    /// A write failed: the next save writes into buckets whatever it left out.
    compact_next: bool,
    /// Every kind's length when the last change was saved (or the record read), to see rows
    /// go: see [`Journal::save`].
    lengths: Option<[usize; 4]>,
}

/// What a save must write again if its transaction fails: the positions it covered and the
/// journal entries it was to delete.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Retry {
    touched: Vec<(Kind, usize)>,
    keys: Vec<String>,
}

impl Journal {
    /// What to write for a change: one journal entry for a small change; for a large one, or
    /// when the journal is full, the buckets touched by the change and by the journal, with
    /// the journal's entries deleted.
    ///
    /// If the write then fails, hand its [`Retry`] to [`Journal::failed`].
    ///
    /// A change that removes rows (a pupil's records removed, an add undone) is always written
    /// into buckets, with the journal's entries deleted in the same transaction: the values
    /// stored before it (buckets, and journal entries such as the one that added the rows) would
    /// otherwise keep what was removed until some later compaction. Rows after the removed ones
    /// move up, so every bucket that held a removed row is among those written again.
    pub fn save(&mut self, record: &Record, touched: &Touched) -> (Writes, Retry) {
        let lengths = record.lengths();
        let removed = self
            .lengths
            .replace(lengths)
            .is_some_and(|was| was.iter().zip(&lengths).any(|(was, now)| now < was));
        let small = touched.0.len() <= JOURNAL_ROWS && self.keys.len() < JOURNAL_LIMIT;
        if small && !self.compact_next && !removed {
            let key = format!("{JOURNAL_PREFIX}{:09}", self.next);
            self.next += 1;
            self.keys.push(key.clone());
            self.touched.extend(touched.0.iter().copied());
            let value = serde_json::to_vec(&PatchOut {
                format: FORMAT_NAME,
                schema: SCHEMA_VERSION,
                patch: &record.patch(touched),
            })
            .expect("a patch always encodes");
            let writes = Writes {
                puts: vec![(key, value)],
                deletes: Vec::new(),
            };
            let retry = Retry {
                touched: touched.0.clone(),
                keys: Vec::new(),
            };
            return (writes, retry);
        }
        self.compact_next = false;
        let mut all = Touched(std::mem::take(&mut self.touched).into_iter().collect());
        all.0.extend(touched.0.iter().copied());
        let mut writes = encode_touched(record, &all);
        let retry = Retry {
            touched: all.0,
            keys: self.keys.clone(),
        };
        writes.deletes.append(&mut self.keys);
        (writes, retry)
    }

    /// A save's transaction failed, so nothing of it was written: the next save writes into
    /// buckets every position it covered (with the journal's), and deletes the journal entries
    /// it was to delete. Nothing written afterwards then depends on what is missing.
    pub fn failed(&mut self, retry: Retry) {
        self.touched.extend(retry.touched);
        self.keys.extend(retry.keys);
        self.compact_next = true;
    }

    /// Entries waiting to be written into buckets.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Reads the journal's entries, in the order they were written, over `record`.
    fn replay<V: Stored>(
        &mut self,
        record: &mut Record,
        entries: Vec<(String, V)>,
    ) -> Result<(), LoadError> {
        for (key, value) in entries {
            let entry: PatchIn = value.bytes(|bytes| read(&key, bytes))?;
            check_meta(&key, &entry.format, entry.schema)?;
            let before = record.lengths();
            let patch = entry.patch;
            for (kind, (&after, &was)) in
                Kind::ALL.into_iter().zip(patch.lengths.iter().zip(&before))
            {
                if after < was {
                    self.touched.insert((kind, after));
                }
            }
            self.touched
                .extend(patch.pupils.iter().map(|(p, _)| (Kind::Pupils, *p)));
            self.touched
                .extend(patch.meetings.iter().map(|(p, _)| (Kind::Meetings, *p)));
            self.touched
                .extend(patch.actions.iter().map(|(p, _)| (Kind::Actions, *p)));
            self.touched
                .extend(patch.history.iter().map(|(p, _)| (Kind::History, *p)));
            record.replay(patch).map_err(LoadError::Record)?;
            let number = key[JOURNAL_PREFIX.len()..].parse::<u64>().unwrap_or(0);
            self.next = self.next.max(number + 1);
            self.keys.push(key);
        }
        Ok(())
    }
}

/// Replays the journal over the record read from the buckets. If the buckets are rewritten
/// whole, the journal's entries go with the rewrite.
pub(super) fn take_journal<V: Stored>(
    loaded: &mut Loaded,
    journal: Vec<(String, V)>,
) -> Result<(), LoadError> {
    loaded.journal.replay(&mut loaded.record, journal)?;
    loaded.journal.lengths = Some(loaded.record.lengths());
    if loaded.needs_rewrite {
        loaded.stale_keys.append(&mut loaded.journal.keys);
        loaded.journal = Journal {
            lengths: Some(loaded.record.lengths()),
            ..Journal::default()
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::record::{Edit, NewPupil, RecordError};
    use crate::core::{ActionDraft, SendStatus, Status, YearGroup};
    use crate::store::layout::tests::{numbered, park_many, record_with, today, write};
    use crate::store::layout::{decode, decode_newest, encode_all};
    use chrono::{TimeZone, Utc};
    use std::collections::BTreeMap;

    fn journal_keys(stored: &BTreeMap<String, Vec<u8>>) -> usize {
        stored
            .keys()
            .filter(|k| k.starts_with(JOURNAL_PREFIX))
            .count()
    }

    #[test]
    fn an_edit_is_one_small_journal_entry_that_reads_back_over_the_buckets() {
        let mut record = record_with(5_000);
        let mut stored: BTreeMap<String, Vec<u8>> = encode_all(&record).into_iter().collect();
        let buckets_before = stored.clone();
        let mut journal = Journal::default();
        let now = Utc.with_ymd_and_hms(2026, 4, 24, 9, 0, 0).unwrap();
        let id = record.actions()[3_210].id;
        let (_, touched) = record
            .edit_action(id, &[Edit::Status(Status::Done)], None, now)
            .unwrap();
        let (writes, _) = journal.save(&record, &touched);
        assert_eq!(writes.puts.len(), 1);
        assert_eq!(writes.puts[0].0, "journal/000000000");
        assert!(writes.puts[0].1.len() < 2_000, "{}", writes.puts[0].1.len());
        assert!(writes.deletes.is_empty());
        write(&mut stored, writes);
        assert!(
            buckets_before.iter().all(|(k, v)| stored[k] == *v),
            "no bucket rewritten"
        );

        let loaded = decode(stored.clone().into_iter().collect()).unwrap();
        assert_eq!(loaded.record, record);
        assert_eq!(loaded.journal.len(), 1);
        assert!(!loaded.needs_rewrite);

        // Opened with only the newest history, the journal reads back the same way, and the
        // next entry carries on the numbering.
        let first_read: Vec<_> = stored
            .into_iter()
            .filter(|(key, _)| !key.starts_with("history/") || key.as_str() >= "history/000004")
            .collect();
        let mut opened = decode_newest(first_read, 5).unwrap().unwrap();
        assert_eq!(opened.record.lengths(), record.lengths());
        assert_eq!(opened.record.action(id), record.action(id));
        assert_eq!(opened.record.history().last(), record.history().last());
        let (_, touched) = opened
            .record
            .edit_action(id, &[Edit::Owner("Mrs Patel".into())], None, now)
            .unwrap();
        let (writes, _) = opened.journal.save(&opened.record, &touched);
        assert_eq!(writes.puts[0].0, "journal/000000001");
    }

    /// Whether any stored value still holds `text` (a removed pupil's name or id: an id as
    /// text, or as the sixteen bytes a compact bucket holds).
    fn still_stored(stored: &BTreeMap<String, Vec<u8>>, text: &str) -> Vec<String> {
        let id = crate::core::PupilId::parse(text).map(|id| id.to_bytes());
        let holds = |value: &[u8], part: &[u8]| value.windows(part.len()).any(|w| w == part);
        stored
            .iter()
            .filter(|(_, value)| {
                holds(value, text.as_bytes()) || id.is_some_and(|id| holds(value, &id))
            })
            .map(|(key, _)| key.clone())
            .collect()
    }

    #[test]
    fn removing_pupils_moves_the_rows_after_them_and_leaves_nothing_of_them_stored() {
        // The example record loaded first, then a pupil of the school's own with `actions`
        // actions, a few (kept in journal entries) or many (written into buckets): clearing the
        // example moves every row of theirs up, and removing them too leaves an empty record.
        // Each removal rewrites, in its one write, every value that held the removed rows.
        for actions in [3, 1_500] {
            let mut record = crate::core::example::example(today());
            let mut stored: BTreeMap<String, Vec<u8>> = encode_all(&record).into_iter().collect();
            let mut journal = Journal::default();
            let now = Utc.with_ymd_and_hms(2026, 4, 24, 9, 0, 0).unwrap();
            let (pupil, touched) = record
                .add_pupil(
                    NewPupil {
                        name: "Siân Jones".into(),
                        year_group: YearGroup::Year9,
                        send_status: SendStatus::SenSupport,
                        annual_review: None,
                    },
                    now,
                )
                .unwrap();
            write(&mut stored, journal.save(&record, &touched).0);
            let drafts: Vec<ActionDraft> = (0..actions).map(|n| numbered(pupil, n)).collect();
            let (_, touched) = record.add_actions(&drafts, today(), now).unwrap();
            write(&mut stored, journal.save(&record, &touched).0);
            assert_eq!(journal_keys(&stored) > 0, actions == 3, "{actions} actions");
            let kept = record.actions().last().unwrap().clone();
            let example: Vec<(String, String)> = record.pupils()[..4]
                .iter()
                .map(|p| (p.name.clone(), p.id.to_string()))
                .collect();

            let (_, touched) = record.remove_pupils(&crate::core::example::example_pupils());
            write(&mut stored, journal.save(&record, &touched).0);
            assert_eq!(record.pupils().len(), 1);
            assert_eq!(record.actions().len(), actions);
            assert!(record.meetings().is_empty());
            assert_eq!(record.history().len(), actions);
            assert_eq!(record.action(kept.id), Some(&kept));
            let loaded = decode(stored.clone().into_iter().collect()).unwrap();
            assert_eq!(loaded.record, record, "{actions} actions");
            for (name, id) in &example {
                assert_eq!(still_stored(&stored, name), Vec::<String>::new(), "{name}");
                assert_eq!(still_stored(&stored, id), Vec::<String>::new(), "{name}");
            }

            let (_, touched) = record.remove_pupils(&[pupil]);
            write(&mut stored, journal.save(&record, &touched).0);
            assert_eq!(journal_keys(&stored), 0);
            assert_eq!(still_stored(&stored, "Siân"), Vec::<String>::new());
            assert_eq!(
                still_stored(&stored, &pupil.to_string()),
                Vec::<String>::new()
            );
            assert_eq!(
                still_stored(&stored, "reading record"),
                Vec::<String>::new()
            );
            let loaded = decode(stored.into_iter().collect()).unwrap();
            assert_eq!(loaded.record, Record::default());
        }
    }

    #[test]
    fn the_journal_goes_into_the_buckets_when_full_or_with_a_large_change() {
        let mut record = record_with(1_500);
        let mut stored: BTreeMap<String, Vec<u8>> = encode_all(&record).into_iter().collect();
        let mut journal = Journal::default();
        let now = Utc.with_ymd_and_hms(2026, 4, 24, 9, 0, 0).unwrap();
        let pupil = record.pupils()[0].id;
        let mut added = Vec::new();
        for n in 0..JOURNAL_LIMIT + 3 {
            // Edits, adds that open new buckets, and undoes of adds that close them again.
            let touched = match n % 3 {
                0 => {
                    let id = record.actions()[(n * 37) % record.actions().len()].id;
                    let owner = Edit::Owner(format!("Teacher {n}"));
                    record.edit_action(id, &[owner], None, now).unwrap().1
                }
                1 => {
                    let draft = numbered(pupil, n);
                    let (id, touched) = record.add_action(&draft, today(), now).unwrap();
                    added.push(id);
                    touched
                }
                _ if n % 2 == 0 => record
                    .undo(&crate::core::Undo::Added(vec![added.pop().unwrap()]), now)
                    .unwrap(),
                _ => {
                    record
                        .edit_action(added[0], &[Edit::Status(Status::Done)], None, now)
                        .unwrap()
                        .1
                }
            };
            let filling = journal.len() == JOURNAL_LIMIT;
            write(&mut stored, journal.save(&record, &touched).0);
            if filling {
                assert_eq!(journal_keys(&stored), 0, "change {n} emptied the journal");
            }
            let loaded = decode(stored.clone().into_iter().collect()).unwrap();
            assert_eq!(loaded.record, record, "after change {n}");
            assert_eq!(loaded.journal.len(), journal_keys(&stored));
        }
        assert_eq!(journal_keys(&stored), 2);

        // A large change (an import) takes the journal's buckets with it.
        let touched = park_many(&mut record, now);
        write(&mut stored, journal.save(&record, &touched).0);
        assert_eq!(journal_keys(&stored), 0);
        assert!(journal.is_empty());
        assert_eq!(decode(stored.into_iter().collect()).unwrap().record, record);
    }

    #[test]
    fn after_a_failed_write_the_next_save_writes_what_it_left_out() {
        let mut record = record_with(1_500);
        let mut stored: BTreeMap<String, Vec<u8>> = encode_all(&record).into_iter().collect();
        let mut journal = Journal::default();
        let now = Utc.with_ymd_and_hms(2026, 4, 24, 9, 0, 0).unwrap();
        let pupil = record.pupils()[0].id;
        let add = |record: &mut Record, n: usize| {
            record
                .add_action(&numbered(pupil, n), today(), now)
                .unwrap()
        };
        // One entry is written; a large change fails (the device is full, say) and writes
        // nothing, taking the journal entry's deletion with it.
        let (_, touched) = add(&mut record, 1);
        write(&mut stored, journal.save(&record, &touched).0);
        let large = park_many(&mut record, now);
        let (_, retry) = journal.save(&record, &large);
        journal.failed(retry);

        // The next change, even a small one, writes the large change's buckets with its own,
        // and the journal goes with them: what is stored is the whole record again.
        let (_, touched) = add(&mut record, 2);
        let (writes, _) = journal.save(&record, &touched);
        assert!(writes
            .puts
            .iter()
            .all(|(key, _)| !key.starts_with(JOURNAL_PREFIX)));
        assert_eq!(writes.deletes, vec!["journal/000000000".to_string()]);
        write(&mut stored, writes);
        assert_eq!(journal_keys(&stored), 0);
        assert_eq!(decode(stored.into_iter().collect()).unwrap().record, record);
        assert!(journal.is_empty());
    }

    #[test]
    fn a_journal_entry_that_leaves_a_gap_is_refused() {
        let record = record_with(10);
        let mut stored = encode_all(&record);
        let mut patch = record.patch(&Touched(vec![(Kind::Actions, 3)]));
        patch.actions[0].0 = 12;
        let value = serde_json::to_string(&PatchOut {
            format: FORMAT_NAME,
            schema: SCHEMA_VERSION,
            patch: &patch,
        })
        .unwrap();
        stored.push(("journal/000000000".into(), value.into_bytes()));
        assert_eq!(
            decode(stored).unwrap_err(),
            LoadError::Record(RecordError::Gap(Kind::Actions, 12))
        );
    }
}
