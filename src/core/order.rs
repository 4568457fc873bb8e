//! Sorting for the whole app through one routine. Each `sort_by` with its own closure compiles
//! a whole sorting algorithm of its own, which the browser has to download; these helpers sort
//! positions with one comparator type instead, so the algorithm is compiled once. Every sort
//! here is stable: items that tie keep the order they were in.

use std::cmp::Ordering;

/// The positions `0..len` in the order `compare` gives them; positions that tie stay in
/// ascending order. The one place the app's sorting algorithm is compiled.
fn order(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..len).collect();
    positions.sort_by(|&x, &y| compare(x, y));
    positions
}

/// Puts `items` in `order` (their positions, as [`order`] gives them).
fn arrange<T: Copy>(items: &mut [T], order: Vec<usize>) {
    let sorted: Vec<T> = order.into_iter().map(|at| items[at]).collect();
    items.copy_from_slice(&sorted);
}

/// Sorts `items` stably by `compare`, as `slice::sort_by` does.
pub fn sort_by<T: Copy>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let order = order(items.len(), &|x, y| compare(&items[x], &items[y]));
    arrange(items, order);
}

/// Sorts `items` stably by a key worked out once for each item, as `slice::sort_by_cached_key`
/// does (and `slice::sort_by_key`, which works the key out at every comparison).
pub fn sort_by_key<T: Copy, K: Ord>(items: &mut [T], key: impl FnMut(&T) -> K) {
    let keys: Vec<K> = items.iter().map(key).collect();
    let order = order(items.len(), &|x, y| keys[x].cmp(&keys[y]));
    arrange(items, order);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_as_the_standard_library_does(items in proptest::collection::vec((0u8..5, 0u8..5), 0..60)) {
            let mut ours = items.clone();
            sort_by(&mut ours, |a, b| b.0.cmp(&a.0));
            let mut theirs = items.clone();
            theirs.sort_by_key(|a| std::cmp::Reverse(a.0));
            prop_assert_eq!(&ours, &theirs);

            let mut ours = items.clone();
            sort_by_key(&mut ours, |a| a.1);
            let mut theirs = items.clone();
            theirs.sort_by_key(|a| a.1);
            prop_assert_eq!(&ours, &theirs);
        }
    }
}
