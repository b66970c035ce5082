//! The "Outdated runners" view's arithmetic: which version groups to ask GitLab
//! about (`version_prefix`, 16.6+), how far each is behind the server, and the
//! groups of runners whose versions were read one by one (older GitLab). Pure.

use std::collections::BTreeMap;

use crate::gitlab_version::GitLabVersion;
use crate::runner_facts::version_parts;

/// The oldest major that gets a group per minor; older ones are one group each.
const FIRST_MINOR_MAJOR: u32 = 15;
/// The oldest major asked about at all (GitLab Runner 10.0 is from 2017).
const OLDEST_MAJOR: u32 = 10;
/// Each major from 15 had minors .0 to .11 (13 had .12, 14 stopped at .10; they
/// are grouped by major, so it does not matter there).
const LAST_MINOR: u32 = 11;

/// A group of runner versions: `18.9.` (a minor) or `14.` (a whole major).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VersionGroup {
    Major(u32),
    Minor(u32, u32),
}

impl VersionGroup {
    /// The `version_prefix` for GitLab, dot included so `18.1.` is not `18.11.`.
    pub fn prefix(self) -> String {
        match self {
            VersionGroup::Minor(a, b) => format!("{a}.{b}."),
            VersionGroup::Major(a) => format!("{a}."),
        }
    }

    pub fn label(self) -> String {
        match self {
            VersionGroup::Minor(a, b) => format!("{a}.{b}"),
            VersionGroup::Major(a) => format!("{a}.x"),
        }
    }

    /// The group a runner version falls in (`None` for text without numbers).
    pub fn of(version: &str) -> Option<VersionGroup> {
        match version_parts(version)[..] {
            [major, ..] if major < FIRST_MINOR_MAJOR => Some(VersionGroup::Major(major)),
            [major, minor, ..] => Some(VersionGroup::Minor(major, minor)),
            [major] => Some(VersionGroup::Major(major)),
            [] => None,
        }
    }

    /// Newest first: minors before their major's whole group, majors by number.
    fn rank(self) -> (u32, u32) {
        match self {
            VersionGroup::Minor(a, b) => (a, b + 1),
            VersionGroup::Major(a) => (a, 0),
        }
    }

    /// How far this group is behind a server of `server`, in words.
    pub fn behind(self, server: GitLabVersion) -> String {
        let (major, minor) = match self {
            VersionGroup::Minor(a, b) => (a, Some(b)),
            VersionGroup::Major(a) => (a, None),
        };
        if major > server.major
            || (major == server.major && minor.is_some_and(|m| m > server.minor))
        {
            return format!("Newer than GitLab {server}");
        }
        if major < server.major {
            let n = server.major - major;
            return format!("{n} major release{} behind GitLab {server}", plural(n));
        }
        match minor {
            Some(m) if m == server.minor => format!("Same as GitLab {server}"),
            Some(m) => {
                let n = server.minor - m;
                format!("{n} minor release{} behind GitLab {server}", plural(n))
            }
            None => format!("Same major as GitLab {server}"),
        }
    }

    /// Whether runners of this group are older than the server's minor.
    pub fn is_behind(self, server: GitLabVersion) -> bool {
        match self {
            VersionGroup::Minor(a, b) => (a, b) < (server.major, server.minor),
            VersionGroup::Major(a) => a < server.major,
        }
    }
}

/// Older first: a major's whole group (`14.x`) before its minors, majors by number.
impl Ord for VersionGroup {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.rank().cmp(&other.rank())
    }
}

impl PartialOrd for VersionGroup {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The groups to count on a server of `server`, newest first: the next major
/// (runners newer than GitLab), every minor from the server's back to 15.0,
/// then the majors before 15 one by one.
pub fn groups_to_ask(server: GitLabVersion) -> Vec<VersionGroup> {
    let mut out = vec![VersionGroup::Major(server.major + 1)];
    for major in (FIRST_MINOR_MAJOR..=server.major).rev() {
        let last = if major == server.major {
            // Minors newer than the server's are "newer than GitLab" too.
            LAST_MINOR.max(server.minor)
        } else {
            LAST_MINOR
        };
        out.extend((0..=last).rev().map(|m| VersionGroup::Minor(major, m)));
    }
    out.extend(
        (OLDEST_MAJOR..FIRST_MINOR_MAJOR.min(server.major + 1))
            .rev()
            .map(VersionGroup::Major),
    );
    out
}

/// Runners counted by their version (from their details, one by one), newest
/// group first; runners with no version are counted apart.
pub fn group_versions<'a>(
    versions: impl IntoIterator<Item = (u64, Option<&'a str>)>,
) -> (Vec<(VersionGroup, Vec<u64>)>, Vec<u64>) {
    let mut groups: BTreeMap<VersionGroup, Vec<u64>> = BTreeMap::new();
    let mut unknown = vec![];
    for (id, version) in versions {
        match version.and_then(VersionGroup::of) {
            Some(g) => groups.entry(g).or_default().push(id),
            None => unknown.push(id),
        }
    }
    (groups.into_iter().rev().collect(), unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVER: GitLabVersion = GitLabVersion::new(18, 11);

    #[test]
    fn prefixes_keep_their_dot() {
        assert_eq!(VersionGroup::Minor(18, 1).prefix(), "18.1.");
        assert_eq!(VersionGroup::Major(14).prefix(), "14.");
        assert_eq!(VersionGroup::Minor(18, 1).label(), "18.1");
        assert_eq!(VersionGroup::Major(14).label(), "14.x");
    }

    #[test]
    fn the_groups_asked_go_from_newer_than_gitlab_to_the_oldest_major() {
        let groups = groups_to_ask(SERVER);
        assert_eq!(groups[0], VersionGroup::Major(19));
        assert_eq!(groups[1], VersionGroup::Minor(18, 11));
        assert_eq!(groups[12], VersionGroup::Minor(18, 0));
        assert_eq!(groups[13], VersionGroup::Minor(17, 11));
        assert_eq!(
            groups[groups.len() - 5..],
            [14, 13, 12, 11, 10].map(VersionGroup::Major)
        );
        // 1 + 4 majors of 12 minors + 5 old majors.
        assert_eq!(groups.len(), 1 + 48 + 5);
        // Newest first, each once.
        let mut sorted = groups.clone();
        sorted.sort_by_key(|g| std::cmp::Reverse(*g));
        sorted.dedup();
        assert_eq!(sorted, groups);
        // A 15.x server is asked about no older minors than its own major's.
        let old = groups_to_ask(GitLabVersion::new(15, 4));
        assert_eq!(old[0], VersionGroup::Major(16));
        assert_eq!(old[1], VersionGroup::Minor(15, 11));
    }

    #[test]
    fn behind_in_words() {
        assert_eq!(
            VersionGroup::Minor(18, 11).behind(SERVER),
            "Same as GitLab 18.11"
        );
        assert_eq!(
            VersionGroup::Minor(18, 10).behind(SERVER),
            "1 minor release behind GitLab 18.11"
        );
        assert_eq!(
            VersionGroup::Minor(18, 8).behind(SERVER),
            "3 minor releases behind GitLab 18.11"
        );
        assert_eq!(
            VersionGroup::Minor(17, 11).behind(SERVER),
            "1 major release behind GitLab 18.11"
        );
        assert_eq!(
            VersionGroup::Major(14).behind(SERVER),
            "4 major releases behind GitLab 18.11"
        );
        assert_eq!(
            VersionGroup::Major(19).behind(SERVER),
            "Newer than GitLab 18.11"
        );
        assert!(VersionGroup::Minor(18, 10).is_behind(SERVER));
        assert!(!VersionGroup::Minor(18, 11).is_behind(SERVER));
        assert!(!VersionGroup::Major(19).is_behind(SERVER));
    }

    #[test]
    fn versions_read_one_by_one_are_grouped_newest_first() {
        let (groups, unknown) = group_versions([
            (1, Some("18.9.1")),
            (2, Some("18.11.0")),
            (3, None),
            (4, Some("18.9.0")),
            (5, Some("14.10.1")),
            (6, Some("dev")),
            (7, Some("17.0.0~beta.2")),
        ]);
        assert_eq!(
            groups,
            vec![
                (VersionGroup::Minor(18, 11), vec![2]),
                (VersionGroup::Minor(18, 9), vec![1, 4]),
                (VersionGroup::Minor(17, 0), vec![7]),
                (VersionGroup::Major(14), vec![5]),
            ]
        );
        assert_eq!(unknown, vec![3, 6]);
    }
}
