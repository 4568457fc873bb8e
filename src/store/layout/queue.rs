//! The queue of saves: one write at a time, the changes made meanwhile waiting for it.

use crate::core::record::Touched;

/// Saves go to the database one at a time. A change made while a write is under way waits,
/// with any others made meanwhile, and is worked out from the record once that write has
/// committed or failed. Worked out any earlier, a small change would be written as a journal
/// entry that depends on the write before it: if that write then failed (the device full, say),
/// the entry would still be stored, and the record would not open again ("not consistent").
/// Worked out after, it is written knowing the failure ([`Journal::failed`](super::Journal::failed)).
///
/// `M` is what to tell each change when it is stored (the app's measure of it).
#[derive(Debug)]
pub struct Queue<M> {
    writing: bool,
    waiting: Option<Waiting<M>>,
}

/// Changes to write in one go: every position they touched, and what to tell each of them.
#[derive(Debug, PartialEq, Eq)]
pub struct Waiting<M> {
    pub touched: Touched,
    pub changes: Vec<M>,
}

impl<M> Default for Queue<M> {
    fn default() -> Self {
        Queue {
            writing: false,
            waiting: None,
        }
    }
}

impl<M> Queue<M> {
    /// A change to save: what to write now, or nothing while a write is under way (the change
    /// then waits, and [`Queue::ended`] hands it back).
    pub fn add(&mut self, touched: &Touched, change: M) -> Option<Waiting<M>> {
        if self.writing {
            let waiting = self.waiting.get_or_insert_with(|| Waiting {
                touched: Touched::default(),
                changes: Vec::new(),
            });
            waiting.touched.0.extend_from_slice(&touched.0);
            waiting.changes.push(change);
            return None;
        }
        self.writing = true;
        Some(Waiting {
            touched: touched.clone(),
            changes: vec![change],
        })
    }

    /// The write under way has committed or failed: the changes that waited for it, to write
    /// now (each position once), if any.
    pub fn ended(&mut self) -> Option<Waiting<M>> {
        let next = self.waiting.take();
        self.writing = next.is_some();
        next.map(|mut next| {
            next.touched.0.sort_unstable();
            next.touched.0.dedup();
            next
        })
    }

    /// A write is under way.
    #[cfg(test)]
    fn writing(&self) -> bool {
        self.writing
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::record::Edit;
    use crate::core::Status;
    use crate::store::layout::tests::{numbered, park_many, record_with, today, write};
    use crate::store::layout::{decode, encode_all, Journal, LoadError, JOURNAL_PREFIX};
    use chrono::{TimeZone, Utc};
    use std::collections::BTreeMap;

    #[test]
    fn a_change_made_while_a_large_write_fails_is_written_knowing_it_failed() {
        let mut record = record_with(1_500);
        let mut stored: BTreeMap<String, Vec<u8>> = encode_all(&record).into_iter().collect();
        let mut journal = Journal::default();
        let mut queue = Queue::default();
        let now = Utc.with_ymd_and_hms(2026, 4, 24, 9, 0, 0).unwrap();
        let pupil = record.pupils()[0].id;

        // A large change starts its write (many rows, so buckets, not a journal entry)...
        let ids: Vec<_> = record.actions().iter().map(|a| a.id).collect();
        let large = park_many(&mut record, now);
        let first = queue
            .add(&large, "parked")
            .expect("nothing is being written");
        let (_, retry) = journal.save(&record, &first.touched);

        // ...and, before it ends, a small change is made and a row added.
        let id = ids[1_400];
        let (_, small) = record
            .edit_action(id, &[Edit::Owner("Mrs Patel".into())], None, now)
            .unwrap();
        assert_eq!(queue.add(&small, "owner"), None, "it waits");
        let (_, added) = record
            .add_action(&numbered(pupil, 1), today(), now)
            .unwrap();
        assert_eq!(queue.add(&added, "added"), None, "it waits");

        // Worked out at once, as saves were before, the small change is a journal entry that
        // assumes the large write: stored after that write failed, the record would not open.
        let mut early = journal.clone();
        let (entry, _) = early.save(&record, &small);
        let mut unreadable = stored.clone();
        write(&mut unreadable, entry);
        assert!(matches!(
            decode(unreadable.into_iter().collect()),
            Err(LoadError::Record(_))
        ));

        // The large write fails. What waited is written now, with what the failed write left
        // out, and the stored record is the whole record.
        journal.failed(retry);
        let next = queue.ended().expect("two changes waited");
        assert_eq!(next.changes, vec!["owner", "added"]);
        assert!(queue.writing());
        let (writes, _) = journal.save(&record, &next.touched);
        write(&mut stored, writes);
        assert_eq!(queue.ended(), None);
        assert!(!queue.writing());
        assert_eq!(
            decode(stored.clone().into_iter().collect()).unwrap().record,
            record
        );

        // With nothing under way, the next change is written at once, as a journal entry.
        let (_, touched) = record
            .edit_action(id, &[Edit::Status(Status::Done)], None, now)
            .unwrap();
        let now_written = queue
            .add(&touched, "done")
            .expect("nothing is being written");
        assert_eq!(now_written.touched, touched);
        let (writes, _) = journal.save(&record, &now_written.touched);
        assert_eq!(writes.puts.len(), 1);
        assert!(writes.puts[0].0.starts_with(JOURNAL_PREFIX));
        write(&mut stored, writes);
        assert_eq!(queue.ended(), None);
        assert_eq!(decode(stored.into_iter().collect()).unwrap().record, record);
    }
}
