//! Which members go in which request of a bulk send: repeats dropped, batches formed, then
//! the members already done (on a resumed send) taken out of their batch.

use std::collections::HashSet;

use crate::message::member_key;

/// Drops repeated ids (case-insensitively, keeping the first spelling). Returns the ids left
/// and how many repeats.
pub(super) fn dedupe(mut users: Vec<String>) -> (Vec<String>, usize) {
    let keep: Vec<bool> = {
        let mut seen = HashSet::with_capacity(users.len());
        users.iter().map(|id| seen.insert(member_key(id))).collect()
    };
    let duplicates = keep.iter().filter(|k| !**k).count();
    let mut keep = keep.into_iter();
    users.retain(|_| keep.next().unwrap_or(false));
    users.shrink_to_fit();
    (users, duplicates)
}

/// Forms the batches of `batch_size` from `users`, then drops those in `skip` (already
/// member keys) from their batch: the ids left, each non-empty batch's size, how many
/// skipped. A batch none of whose members is skipped is the same as in a run without skips.
pub(super) fn layout(
    mut users: Vec<String>,
    skip: &HashSet<String>,
    batch_size: usize,
) -> (Vec<String>, Vec<usize>, usize) {
    let mut sizes: Vec<usize> = users.chunks(batch_size.max(1)).map(<[String]>::len).collect();
    if skip.is_empty() {
        return (users, sizes, 0);
    }
    let mut position = 0;
    let mut skipped = 0;
    users.retain(|id| {
        let batch = position / batch_size.max(1);
        position += 1;
        if skip.contains(&*member_key(id)) {
            sizes[batch] -= 1;
            skipped += 1;
            false
        } else {
            true
        }
    });
    sizes.retain(|n| *n > 0);
    users.shrink_to_fit();
    (users, sizes, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::BulkOptions;

    fn ids(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn duplicates_are_dropped_case_insensitively_keeping_the_first_spelling() {
        let (users, dups) = dedupe(ids(&["Alice", "bob", "alice", "ALICE", "carol", "bob"]));
        assert_eq!(users, ["Alice", "bob", "carol"]);
        assert_eq!(dups, 3);
    }

    #[test]
    fn skipped_ids_are_left_out_and_counted_once() {
        let options = BulkOptions::new().skip(["BOB", "dave"]);
        let (users, dups) = dedupe(ids(&["alice", "bob", "Bob", "carol"]));
        let (users, sizes, skipped) = layout(users, &options.skip, 1000);
        assert_eq!(users, ["alice", "carol"]);
        assert_eq!((dups, skipped, sizes), (1, 1, vec![2]));
    }

    #[test]
    fn batches_are_formed_before_skipping_so_untouched_ones_stay_the_same() {
        // Batches of 2: [a b] [c d] [e f] [g]; b, c and d finished before.
        let skip = BulkOptions::new().skip(["b", "C", "d"]).skip;
        let (users, sizes, skipped) = layout(ids(&["a", "b", "c", "d", "e", "f", "g"]), &skip, 2);
        assert_eq!(users, ["a", "e", "f", "g"]);
        assert_eq!((sizes, skipped), (vec![1, 2, 1], 3));
    }
}
