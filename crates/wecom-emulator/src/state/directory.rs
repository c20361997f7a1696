//! The corp's contacts, indexed for fast recipient resolution: users by lower-cased id,
//! department subtrees, tag members, and each app's visible range. Built once from the
//! [`Config`] and never locked.

use crate::hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::config::Config;

/// Index of a user in [`Directory::users`].
pub(crate) type UserIdx = u32;

/// One member.
#[derive(Debug)]
pub(crate) struct User {
    /// Lower-cased UserID, as WeCom reports it.
    pub(crate) userid: String,
    pub(crate) licensed: bool,
}

/// One app's visible range.
#[derive(Debug, Default)]
pub(crate) struct Visibility {
    /// `visible[i]`: user `i` is in range.
    pub(crate) users: Vec<bool>,
    /// Every visible member, in configuration order (`@all`).
    pub(crate) all: Vec<UserIdx>,
    /// Departments inside a visible subtree.
    pub(crate) parties: HashSet<i64>,
    /// Tags listed in the range.
    pub(crate) tags: HashSet<i64>,
}

/// Contacts and visible ranges.
#[derive(Debug, Default)]
pub(crate) struct Directory {
    pub(crate) users: Vec<User>,
    pub(crate) by_id: HashMap<String, UserIdx>,
    /// Members of each department's subtree.
    pub(crate) party_members: HashMap<i64, Vec<UserIdx>>,
    /// Departments of each subtree (the department itself included).
    pub(crate) subtree: HashMap<i64, Vec<i64>>,
    /// Members of each tag (users and members of tagged departments).
    pub(crate) tag_members: HashMap<i64, Vec<UserIdx>>,
    pub(crate) visibility: HashMap<i64, Visibility>,
}

impl Directory {
    pub(crate) fn new(config: &Config) -> Self {
        let mut dir = Directory::default();
        for (i, u) in config.users.iter().enumerate() {
            let idx = UserIdx::try_from(i).unwrap_or(UserIdx::MAX);
            let userid = u.userid.to_ascii_lowercase();
            dir.by_id.insert(userid.clone(), idx);
            dir.users.push(User { userid, licensed: u.licensed });
        }
        for d in &config.departments {
            // Collect the subtree by walking every department's ancestors.
            let members: Vec<i64> = config
                .departments
                .iter()
                .filter(|c| is_descendant(config, c.id, d.id))
                .map(|c| c.id)
                .collect();
            let users = config
                .users
                .iter()
                .enumerate()
                .filter(|(_, u)| u.departments.iter().any(|p| members.contains(p)))
                .map(|(i, _)| UserIdx::try_from(i).unwrap_or(UserIdx::MAX))
                .collect();
            dir.party_members.insert(d.id, users);
            dir.subtree.insert(d.id, members);
        }
        for t in &config.tags {
            let mut members = Vec::new();
            let mut seen = vec![false; dir.users.len()];
            let from_users = t.users.iter().filter_map(|u| dir.lookup(u));
            let from_parties = t.parties.iter().flat_map(|p| dir.party_members[p].iter().copied());
            for idx in from_users.chain(from_parties) {
                if !std::mem::replace(&mut seen[idx as usize], true) {
                    members.push(idx);
                }
            }
            dir.tag_members.insert(t.id, members);
        }
        for a in &config.apps {
            let mut vis =
                Visibility { users: vec![false; dir.users.len()], ..Visibility::default() };
            for p in &a.visible_parties {
                vis.parties.extend(dir.subtree[p].iter().copied());
                for &u in &dir.party_members[p] {
                    vis.users[u as usize] = true;
                }
            }
            for u in a.visible_users.iter().filter_map(|u| dir.lookup(u)) {
                vis.users[u as usize] = true;
            }
            for t in &a.visible_tags {
                vis.tags.insert(*t);
                for &u in &dir.tag_members[t] {
                    vis.users[u as usize] = true;
                }
            }
            vis.all = (0..dir.users.len())
                .filter(|&i| vis.users[i])
                .map(|i| UserIdx::try_from(i).unwrap_or(UserIdx::MAX))
                .collect();
            dir.visibility.insert(a.agentid, vis);
        }
        dir
    }

    /// The user with this id, matched case-insensitively.
    pub(crate) fn lookup(&self, userid: &str) -> Option<UserIdx> {
        if userid.bytes().any(|b| b.is_ascii_uppercase()) {
            self.by_id.get(&userid.to_ascii_lowercase()).copied()
        } else {
            self.by_id.get(userid).copied()
        }
    }

    /// The lower-cased id of a user.
    pub(crate) fn userid(&self, idx: UserIdx) -> &str {
        &self.users[idx as usize].userid
    }
}

fn is_descendant(config: &Config, id: i64, ancestor: i64) -> bool {
    let mut cur = id;
    for _ in 0..=config.departments.len() {
        if cur == ancestor {
            return true;
        }
        match config.departments.iter().find(|d| d.id == cur) {
            Some(d) if d.parentid != 0 => cur = d.parentid,
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::Directory;
    use crate::config::Config;

    #[test]
    fn demo_ranges_follow_departments_tags_and_users() {
        let dir = Directory::new(&Config::demo());
        let bot = &dir.visibility[&1_000_002];
        let names: Vec<&str> = bot.all.iter().map(|&i| dir.userid(i)).collect();
        // Engineering (with Platform) and Operations; erin is in Contractors only.
        assert_eq!(names, ["alice", "bob", "carol", "dave"]);
        assert!(bot.parties.contains(&4) && !bot.parties.contains(&1));
        assert_eq!(dir.lookup("ALICE"), dir.lookup("alice"));
        let platform: Vec<&str> = dir.tag_members[&2].iter().map(|&i| dir.userid(i)).collect();
        assert_eq!(platform, ["bob"]);
    }
}
