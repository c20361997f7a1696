//! The task id of each request of a bulk send of a template card: WeCom refuses an id used
//! twice, so a card that needs several requests gets the card's id plus `-` and 8 hex digits
//! per request — random, or derived from a seed and the request's members so that a resumed
//! send repeats the requests it never heard back about byte for byte.

use std::collections::HashSet;

use crate::card::TaskId;
use crate::error::InvalidArgument;
use crate::message::{Message, member_key};

/// The task id of each batch: none unless the message is a template card with a task id that
/// goes out in more than one request (or `per_request` says so); then the card's id plus `-`
/// and 8 hex digits per batch, all different: random, or derived from a seed and a hash of
/// each batch's members.
pub(super) fn batch_task_ids(
    message: &Message,
    batches: usize,
    per_request: Option<bool>,
    seeded: Option<&(u64, Vec<u64>)>,
) -> Result<Vec<TaskId>, InvalidArgument> {
    const SUFFIX: usize = 9; // "-" and 8 hex digits
    let Message::TemplateCard(card) = message else { return Ok(Vec::new()) };
    let Some(base) = card.task_id() else { return Ok(Vec::new()) };
    match per_request {
        None if batches <= 1 => return Ok(Vec::new()),
        Some(false) if batches > 1 => {
            return Err(InvalidArgument::new(
                "template_card.task_id",
                format!(
                    "the recipients need {batches} requests and WeCom refuses a task id used \
                     twice; allow per-request task ids or send to at most one request's worth"
                ),
            ));
        }
        Some(false) => return Ok(Vec::new()),
        None | Some(true) => {}
    }
    let max = TaskId::MAX_BYTES - SUFFIX;
    if base.as_str().len() > max {
        return Err(InvalidArgument::new(
            "template_card.task_id",
            format!(
                "must be at most {max} bytes when the recipients need more than one request \
                 (got {}): each request gets the id plus `-` and 8 hex digits, because WeCom \
                 refuses a task id used twice",
                base.as_str().len()
            ),
        ));
    }
    let mut seen = HashSet::with_capacity(batches);
    let mut ids = Vec::with_capacity(batches);
    while ids.len() < batches {
        let suffix = match seeded {
            // A collision (1 in 2^32 per pair) moves on to the next value, deterministically.
            Some((seed, members)) => (0..u64::MAX)
                .map(|bump| mix(*seed ^ members[ids.len()].wrapping_add(bump)))
                .find(|s| !seen.contains(s))
                .unwrap_or_default(),
            None => rand::random::<u32>(),
        };
        if seen.insert(suffix) {
            ids.push(TaskId::new(format!("{}-{suffix:08x}", base.as_str())));
        }
    }
    Ok(ids)
}

/// FNV-1a over a batch's member keys, separated by `|`: which members a request holds.
pub(super) fn members_hash(users: &[String]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for user in users {
        for byte in member_key(user).bytes().chain([b'|']) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// SplitMix64's finaliser, folded to 32 bits: a well-spread suffix from a seed and a hash.
fn mix(mut z: u64) -> u32 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    #[allow(clippy::cast_possible_truncation)] // Folded on purpose.
    let folded = (z ^ (z >> 32)) as u32;
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn seeded_task_ids_depend_on_the_seed_and_the_members_only() {
        let card: Message = crate::card::ButtonInteraction::new(
            "Deploy?",
            "deploy",
            [crate::card::Button::callback("Go", "go")],
        )
        .into();
        let members = |lists: &[&[&str]]| -> Vec<u64> {
            lists.iter().map(|l| members_hash(&ids(l))).collect()
        };
        let one = (7, members(&[&["a", "b"], &["c"]]));
        let first = batch_task_ids(&card, 2, None, Some(&one)).unwrap();
        assert_eq!(first, batch_task_ids(&card, 2, None, Some(&one)).unwrap());
        assert_ne!(first[0], first[1]);
        assert!(first[0].as_str().starts_with("deploy-") && first[0].as_str().len() == 15);
        // Same members, same id; other members or another seed, another id.
        let again = (7, members(&[&["A", "b"], &["c", "d"]]));
        let second = batch_task_ids(&card, 2, None, Some(&again)).unwrap();
        assert_eq!(second[0], first[0]);
        assert_ne!(second[1], first[1]);
        let other = (8, members(&[&["a", "b"], &["c"]]));
        assert_ne!(batch_task_ids(&card, 2, None, Some(&other)).unwrap()[0], first[0]);
    }
}
