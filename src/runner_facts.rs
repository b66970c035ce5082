//! What GitLab's runner lists leave out (version, last contact, machines), read
//! for each listed runner from its machines (GitLab 17.1+) or its details
//! (older GitLab), and the orders the console offers over them. Pure.

use std::cmp::Ordering;

use crate::api::{RunnerDetails, RunnerManager};

/// One runner's facts beyond the list entity.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunnerFacts {
    /// The version of the machine that made the last contact (GitLab's own
    /// choice for the details' `version`).
    pub version: Option<String>,
    /// Every version its machines run, oldest first, each once.
    pub versions: Vec<String>,
    pub contacted_at: Option<String>,
    /// `None` where GitLab does not list machines (before 17.1).
    pub machines: Option<usize>,
}

impl RunnerFacts {
    /// From `GET /runners/:id/managers`.
    pub fn from_managers(managers: &[RunnerManager]) -> RunnerFacts {
        // ISO 8601 times in UTC from one server order as text.
        let latest = managers
            .iter()
            .filter(|m| m.contacted_at.is_some())
            .max_by(|a, b| a.contacted_at.cmp(&b.contacted_at));
        let mut versions: Vec<String> = managers
            .iter()
            .filter_map(|m| m.version.clone())
            .filter(|v| !v.trim().is_empty())
            .collect();
        versions.sort_by(|a, b| compare_versions(a, b));
        versions.dedup();
        RunnerFacts {
            version: latest
                .and_then(|m| m.version.clone())
                .or_else(|| versions.last().cloned()),
            versions,
            contacted_at: latest.and_then(|m| m.contacted_at.clone()),
            machines: Some(managers.len()),
        }
    }

    /// From `GET /runners/:id`, where GitLab lists no machines.
    pub fn from_details(d: &RunnerDetails) -> RunnerFacts {
        let version = d.version.clone().filter(|v| !v.trim().is_empty());
        RunnerFacts {
            versions: version.iter().cloned().collect(),
            version,
            contacted_at: d.contacted_at.clone(),
            machines: None,
        }
    }
}

/// `16.11.1` against `16.9.0`, numerically, part by part; text after the
/// numbers (`~beta`) is ignored.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    version_parts(a).cmp(&version_parts(b))
}

/// `"v17.4.2~beta.1"` -> `[17, 4, 2]`.
pub fn version_parts(v: &str) -> Vec<u32> {
    let mut parts = vec![];
    for p in v.trim().trim_start_matches('v').split('.') {
        let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
        let Ok(n) = digits.parse() else { break };
        parts.push(n);
        if digits.len() < p.len() {
            break; // "0~beta": the numbers end here
        }
    }
    parts
}

/// How a runner list may be ordered beyond GitLab's own (newest id first).
/// GitLab's REST runner lists take no order, so this sorts what is loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunnerOrder {
    ContactedNewest,
    ContactedOldest,
}

impl RunnerOrder {
    pub const ALL: [RunnerOrder; 2] = [RunnerOrder::ContactedNewest, RunnerOrder::ContactedOldest];

    pub fn as_str(self) -> &'static str {
        match self {
            RunnerOrder::ContactedNewest => "contacted_desc",
            RunnerOrder::ContactedOldest => "contacted_asc",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            RunnerOrder::ContactedNewest => "Last contact, most recent first",
            RunnerOrder::ContactedOldest => "Last contact, longest ago first",
        }
    }

    /// Orders `items` by their last contact (`contacted(item)`: `Some(None)` is
    /// never, the longest ago; `None` is not loaded yet, and those come last in
    /// GitLab's order, as the sort is stable).
    pub fn sort<T>(self, items: &mut [T], contacted: impl Fn(&T) -> Option<Option<String>>) {
        items.sort_by(|a, b| match (contacted(a), contacted(b)) {
            (Some(x), Some(y)) => {
                // `None` (never) sorts before any time: the longest ago.
                let by_time = x.cmp(&y);
                match self {
                    RunnerOrder::ContactedNewest => by_time.reverse(),
                    RunnerOrder::ContactedOldest => by_time,
                }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine(version: &str, contacted: Option<&str>) -> RunnerManager {
        RunnerManager {
            version: Some(version.into()),
            contacted_at: contacted.map(String::from),
            ..Default::default()
        }
    }

    #[test]
    fn the_version_is_the_last_contacts_and_every_version_is_kept_once() {
        let facts = RunnerFacts::from_managers(&[
            machine("18.9.1", Some("2026-11-30T10:00:00.000Z")),
            machine("18.11.0", Some("2026-12-01T09:00:00.000Z")),
            machine("18.9.1", None),
            machine("18.10.2", Some("2026-11-01T09:00:00.000Z")),
        ]);
        assert_eq!(facts.version.as_deref(), Some("18.11.0"));
        assert_eq!(facts.versions, vec!["18.9.1", "18.10.2", "18.11.0"]);
        assert_eq!(
            facts.contacted_at.as_deref(),
            Some("2026-12-01T09:00:00.000Z")
        );
        assert_eq!(facts.machines, Some(4));

        let none = RunnerFacts::from_managers(&[]);
        assert_eq!(
            none,
            RunnerFacts {
                machines: Some(0),
                ..Default::default()
            }
        );
    }

    #[test]
    fn details_give_one_version_and_no_machine_count() {
        let d = RunnerDetails {
            version: Some("16.4.0".into()),
            contacted_at: Some("2026-12-01T09:00:00.000Z".into()),
            ..Default::default()
        };
        let facts = RunnerFacts::from_details(&d);
        assert_eq!(facts.version.as_deref(), Some("16.4.0"));
        assert_eq!(facts.versions, vec!["16.4.0"]);
        assert_eq!(facts.machines, None);
        let blank = RunnerDetails {
            version: Some(" ".into()),
            ..Default::default()
        };
        assert_eq!(RunnerFacts::from_details(&blank).version, None);
    }

    #[test]
    fn versions_compare_as_numbers() {
        assert_eq!(compare_versions("16.10.0", "16.9.3"), Ordering::Greater);
        assert_eq!(
            compare_versions("v17.0.0~beta.1", "17.0.0"),
            Ordering::Equal
        );
        assert_eq!(version_parts("18.11.0-rc2"), vec![18, 11, 0]);
        assert_eq!(version_parts("dev"), Vec::<u32>::new());
    }

    #[test]
    fn orders_by_last_contact_with_never_as_longest_ago_and_unknown_last() {
        let at = |id: &u64| match id {
            1 => Some(Some("2026-12-01T09:00:00Z".to_string())),
            2 => Some(None), // never contacted
            3 => Some(Some("2026-11-01T09:00:00Z".to_string())),
            _ => None, // not loaded yet
        };
        let mut ids = vec![4, 3, 2, 1, 5];
        RunnerOrder::ContactedNewest.sort(&mut ids, at);
        assert_eq!(ids, vec![1, 3, 2, 4, 5]);
        RunnerOrder::ContactedOldest.sort(&mut ids, at);
        assert_eq!(ids, vec![2, 3, 1, 4, 5]);
        assert_eq!(
            RunnerOrder::parse("contacted_asc"),
            Some(RunnerOrder::ContactedOldest)
        );
        assert_eq!(RunnerOrder::parse("id"), None);
    }
}
