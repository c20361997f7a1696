//! Recipient resolution for `message/send`: `touser`/`toparty`/`totag` (`|`-joined) against
//! the app's visible range, the way WeCom reports it — unknown or out-of-range entries in
//! `invaliduser`/`invalidparty`/`invalidtag` (userids lower-cased), members without a licence
//! in `unlicenseduser`, `@all` meaning every member in range.

use super::directory::{Directory, UserIdx};

/// Resolved recipients of one message.
#[derive(Debug, Default)]
pub(crate) struct Resolved {
    /// Members the message is delivered to, without repeats, in request order.
    pub(crate) users: Vec<UserIdx>,
    pub(crate) unlicensed: Vec<String>,
    pub(crate) invalid_users: Vec<String>,
    pub(crate) invalid_parties: Vec<String>,
    pub(crate) invalid_tags: Vec<String>,
    /// At least one user, party or tag was valid (otherwise WeCom answers 81013).
    pub(crate) any_valid: bool,
}

/// The non-empty `|`-separated entries, each trimmed of spaces: WeCom's own examples write
/// `"TagID1 | TagID2"`, clients copy them, and WeCom delivers to both (ids carry no spaces,
/// so trimming cannot turn one valid id into another).
pub(crate) fn entries(list: &str) -> impl Iterator<Item = &str> {
    list.split('|').map(str::trim).filter(|s| !s.is_empty())
}

struct Collector<'a> {
    dir: &'a Directory,
    seen: Vec<bool>,
    out: Resolved,
}

impl Collector<'_> {
    fn add(&mut self, idx: UserIdx) {
        if std::mem::replace(&mut self.seen[idx as usize], true) {
            return;
        }
        let user = &self.dir.users[idx as usize];
        if user.licensed {
            self.out.users.push(idx);
        } else {
            self.out.unlicensed.push(user.userid.clone());
        }
    }
}

/// Resolves the three lists for app `agentid`.
pub(crate) fn resolve(
    dir: &Directory,
    agentid: i64,
    touser: &str,
    toparty: &str,
    totag: &str,
) -> Resolved {
    let Some(vis) = dir.visibility.get(&agentid) else {
        return Resolved::default();
    };
    let mut c = Collector { dir, seen: vec![false; dir.users.len()], out: Resolved::default() };
    if touser == "@all" {
        c.out.any_valid = !vis.all.is_empty();
        for &idx in &vis.all {
            c.add(idx);
        }
        return c.out;
    }
    for id in entries(touser) {
        match dir.lookup(id) {
            Some(idx) if vis.users[idx as usize] => {
                c.out.any_valid = true;
                c.add(idx);
            }
            _ => c.out.invalid_users.push(id.to_ascii_lowercase()),
        }
    }
    for id in entries(toparty) {
        let members = id
            .parse::<i64>()
            .ok()
            .filter(|p| vis.parties.contains(p))
            .and_then(|p| dir.party_members.get(&p));
        match members {
            Some(members) => {
                c.out.any_valid = true;
                for &idx in members {
                    c.add(idx);
                }
            }
            None => c.out.invalid_parties.push(id.to_owned()),
        }
    }
    for id in entries(totag) {
        let tag = id.parse::<i64>().ok().and_then(|t| dir.tag_members.get(&t).map(|m| (t, m)));
        // A tag is usable when it is in the range itself or has members in range; only the
        // members in range receive the message.
        match tag {
            Some((t, members))
                if vis.tags.contains(&t) || members.iter().any(|&u| vis.users[u as usize]) =>
            {
                c.out.any_valid = true;
                for &idx in members.iter().filter(|&&u| vis.users[u as usize]) {
                    c.add(idx);
                }
            }
            _ => c.out.invalid_tags.push(id.to_owned()),
        }
    }
    c.out
}

#[cfg(test)]
mod tests {
    use super::{Directory, resolve};
    use crate::config::Config;

    fn names(dir: &Directory, r: &super::Resolved) -> Vec<String> {
        r.users.iter().map(|&i| dir.userid(i).to_owned()).collect()
    }

    #[test]
    fn mixed_lists_resolve_with_invalid_parts_reported() {
        let dir = Directory::new(&Config::demo());
        let r = resolve(&dir, 1_000_002, "Alice|ghost|ERIN|alice", "4|1|x", "1|99");
        assert_eq!(names(&dir, &r), ["alice", "bob", "carol"]);
        assert_eq!(r.invalid_users, ["ghost", "erin"]);
        assert_eq!(r.invalid_parties, ["1", "x"]);
        assert_eq!(r.invalid_tags, ["99"]);
        assert!(r.any_valid);
    }

    #[test]
    fn all_means_visible_range_and_unlicensed_are_reported() {
        let dir = Directory::new(&Config::demo());
        let r = resolve(&dir, 1_000_002, "@all", "", "");
        assert_eq!(names(&dir, &r), ["alice", "bob", "carol"]);
        assert_eq!(r.unlicensed, ["dave"]);
    }

    #[test]
    fn spaces_around_the_separator_are_trimmed_per_id() {
        let dir = Directory::new(&Config::demo());
        // The shape of WeCom's own examples: "UserID1 | UserID2", "TagID1 | TagID2".
        let r = resolve(&dir, 1_000_002, "alice | bob ", " 4 ", "1 | 99");
        assert_eq!(names(&dir, &r), ["alice", "bob", "carol"]);
        assert!(r.invalid_users.is_empty() && r.invalid_parties.is_empty(), "{r:?}");
        assert_eq!(r.invalid_tags, ["99"]);
    }

    #[test]
    fn nothing_valid_is_flagged() {
        let dir = Directory::new(&Config::demo());
        let r = resolve(&dir, 1_000_003, "bob", "2", "");
        assert!(!r.any_valid);
        assert!(r.users.is_empty());
    }
}
