//! Which of a list's drawn lines shows which row, from one version of the list to the next: a
//! row that stays keeps its line (and with it the focus and the place the screen is scrolled
//! to), and the line of a row that has left shows the row that has come in its place. A screen
//! of new rows (a keystroke in Search) then rewrites the lines already drawn, where they are,
//! instead of drawing others.
//!
//! As the same list changes (an edit, a bulk change), only a line whose place is taken by a new
//! row is given to it: were it given to a new row elsewhere, the list would have lines to move,
//! and Leptos's keyed list then moves every line after a moved one (taking away the focus, and
//! the line the browser keeps in view as it scrolls). A new list (another search or order) is
//! shown line by place, whatever rows the two lists share, so that no line moves at all.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

/// The line of each row of a list, by the rows' ids.
#[derive(Clone, Debug, PartialEq)]
pub struct Lines<T> {
    /// Each row's line, in the list's order: every line once.
    pub lines: Vec<u32>,
    rows: Vec<T>,
    /// Where each line stands in the list.
    at: HashMap<u32, usize>,
    /// The first line never yet used.
    next: u32,
}

impl<T: Copy + Eq + Hash> Lines<T> {
    /// The lines of a list drawn for the first time.
    pub fn new(rows: &[T]) -> Lines<T> {
        Lines {
            lines: Vec::new(),
            rows: Vec::new(),
            at: HashMap::new(),
            next: 0,
        }
        .follow(rows)
    }

    /// The lines of `rows`, the list as it is now, following these. A row seen twice is given
    /// a line of its own the second time.
    pub fn follow(&self, rows: &[T]) -> Lines<T> {
        let kept: HashMap<T, u32> = self.rows.iter().copied().zip(self.lines.clone()).collect();
        let staying: HashSet<T> = rows.iter().copied().collect();
        // The line of the row that stood at `i`, if that row has gone.
        let freed = |i: usize| {
            let gone = self.rows.get(i).is_some_and(|row| !staying.contains(row));
            gone.then(|| self.lines[i])
        };
        let mut next = self.next;
        let mut used = HashSet::with_capacity(rows.len());
        let mut lines = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let line = kept
                .get(row)
                .copied()
                .filter(|line| !used.contains(line))
                .or_else(|| freed(i).filter(|line| !used.contains(line)))
                .unwrap_or_else(|| {
                    next += 1;
                    next - 1
                });
            used.insert(line);
            lines.push(line);
        }
        Lines::of(lines, rows, next)
    }

    /// The lines of `rows`, a new list (another search, another order) in place of these: each
    /// line shows the row now in its place, so no line moves and none is drawn but for a longer
    /// list.
    pub fn by_place(&self, rows: &[T]) -> Lines<T> {
        let mut next = self.next;
        let lines: Vec<u32> = (0..rows.len())
            .map(|i| {
                self.lines.get(i).copied().unwrap_or_else(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect();
        Lines::of(lines, rows, next)
    }

    /// The list `rows` shown by `lines`, one each; `next` the first line not yet used.
    fn of(lines: Vec<u32>, rows: &[T], next: u32) -> Lines<T> {
        let at = lines
            .iter()
            .enumerate()
            .map(|(i, line)| (*line, i))
            .collect();
        Lines {
            lines,
            rows: rows.to_vec(),
            at,
            next,
        }
    }

    /// Where `line` stands in the list, if it is in it.
    pub fn at(&self, line: u32) -> Option<usize> {
        self.at.get(&line).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_new_screen_of_rows_is_shown_by_the_lines_already_drawn() {
        let before = Lines::new(&[1, 2, 3, 4]);
        let after = before.follow(&[5, 6, 7, 8]);
        assert_eq!(after.lines, before.lines);
    }

    #[test]
    fn a_new_list_keeps_every_line_in_its_place() {
        let before = Lines::new(&[1, 2, 3, 4]);
        assert_eq!(before.by_place(&[4, 3]).lines, vec![0, 1]);
        assert_eq!(before.by_place(&[4, 3, 2, 1, 9]).lines, vec![0, 1, 2, 3, 4]);
        assert_eq!(
            before.by_place(&[4, 3]).follow(&[4, 3, 8]).lines,
            vec![0, 1, 4]
        );
    }

    #[test]
    fn rows_gone_from_the_top_leave_the_rest_on_their_lines_in_order() {
        let before = Lines::new(&[1, 2, 3, 4]);
        let after = before.follow(&[3, 4, 5, 6]);
        assert_eq!(after.lines, vec![2, 3, 4, 5]);
    }

    #[test]
    fn a_row_that_stays_keeps_its_line_where_it_moves() {
        let before = Lines::new(&[1, 2, 3, 4]);
        let after = before.follow(&[2, 3, 4, 1]);
        assert_eq!(after.lines, vec![1, 2, 3, 0]);
        assert_eq!(after.at(0), Some(3));
    }

    #[test]
    fn a_row_that_comes_takes_the_line_of_the_row_gone_from_its_place_or_a_new_one() {
        let before = Lines::new(&[1, 2, 3]);
        let after = before.follow(&[3, 9, 8, 7]);
        assert_eq!(after.lines, vec![2, 1, 3, 4]);
        assert_eq!(after.at(3), Some(2));
        assert_eq!(after.follow(&[]).lines, Vec::<u32>::new());
    }

    proptest! {
        /// Whatever the lists, every row has a line, no line shows two rows, `at` finds each
        /// line's row, and a row in both lists keeps its line (when it is in each once) or, in a
        /// new list, each place keeps its line.
        #[test]
        fn lines_follow_any_sequence_of_lists(lists in proptest::collection::vec(
            proptest::collection::vec(0u8..40, 0..30), 1..12)) {
            let mut lines = Lines::new(&lists[0]);
            for (n, list) in lists[1..].iter().enumerate() {
                let anew = n % 3 == 2;
                let next = if anew { lines.by_place(list) } else { lines.follow(list) };
                prop_assert_eq!(next.lines.len(), list.len());
                let unique: HashSet<u32> = next.lines.iter().copied().collect();
                prop_assert_eq!(unique.len(), list.len());
                for (i, line) in next.lines.iter().enumerate() {
                    prop_assert_eq!(next.at(*line), Some(i));
                }
                let once = |l: &[u8], r: u8| l.iter().filter(|x| **x == r).count() == 1;
                for (i, row) in list.iter().enumerate() {
                    if anew {
                        if let Some(line) = lines.lines.get(i) {
                            prop_assert_eq!(next.lines[i], *line);
                        }
                    } else if let Some(j) = lines.rows.iter().position(|r| r == row) {
                        if once(list, *row) && once(&lines.rows, *row) {
                            prop_assert_eq!(next.lines[i], lines.lines[j]);
                        }
                    }
                }
                lines = next;
            }
        }
    }
}
