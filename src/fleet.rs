//! Working on a whole loaded list: the quick filter, selection with ranges, the
//! window of rows a virtualised table draws, and what a bulk action does to tags.

use std::collections::BTreeSet;

use crate::api::Runner;

/// A loaded runner with the lower-cased text the quick filter searches, built once.
#[derive(Clone, Debug, PartialEq)]
pub struct Indexed {
    pub runner: Runner,
    /// The runner's key in its list: `row_key(instance, id)`, the id itself
    /// in a list of one instance.
    pub key: u64,
    haystack: String,
}

/// A loaded runner's key in a list of several instances: the instance's place
/// in that list (the high 16 bits) and the runner's id (GitLab's ids stay far
/// below 2^48). Instance 0's keys are the ids themselves.
pub fn row_key(instance: u16, id: u64) -> u64 {
    (u64::from(instance) << 48) | (id & ID_BITS)
}

const ID_BITS: u64 = (1 << 48) - 1;

/// `row_key`'s parts: (instance, runner id).
pub fn split_key(key: u64) -> (u16, u64) {
    ((key >> 48) as u16, key & ID_BITS)
}

impl Indexed {
    pub fn new(runner: Runner) -> Self {
        Self::on(runner, 0, None)
    }

    /// A runner of the `instance`-th instance of a list, found by the quick
    /// filter under its label too.
    pub fn on(runner: Runner, instance: u16, label: Option<&str>) -> Self {
        let key = row_key(instance, runner.id);
        let r = &runner;
        let mut hay = format!(
            "#{} {} {} {} {} {}",
            r.id,
            r.description.as_deref().unwrap_or(""),
            r.ip_address.as_deref().unwrap_or(""),
            r.runner_type.as_str(),
            r.runner_type.label(),
            r.status,
        );
        if r.is_paused() {
            hay.push_str(" paused");
        }
        for tag in r.tag_list.iter().flatten() {
            hay.push(' ');
            hay.push_str(tag);
        }
        if let Some(label) = label {
            hay.push(' ');
            hay.push_str(label);
        }
        let haystack = hay.to_lowercase();
        Self {
            runner,
            key,
            haystack,
        }
    }

    /// Every term must appear (AND), case-insensitively.
    pub fn matches(&self, terms: &[String]) -> bool {
        terms.iter().all(|t| self.haystack.contains(t.as_str()))
    }
}

/// The quick filter's words, lower-cased.
pub fn terms(query: &str) -> Vec<String> {
    query.split_whitespace().map(str::to_lowercase).collect()
}

/// Positions (into `all`) of the runners the quick filter keeps, in order.
pub fn filter(all: &[Indexed], query: &str) -> Vec<usize> {
    let terms = terms(query);
    if terms.is_empty() {
        return (0..all.len()).collect();
    }
    all.iter()
        .enumerate()
        .filter(|(_, r)| r.matches(&terms))
        .map(|(i, _)| i)
        .collect()
}

/// The quick filter's result for `query`, from `last` (an earlier query over
/// the same list and its result) when `query` only extends it: every word of
/// the shorter query is then part of a word of the longer one, so the longer
/// keeps a subset, and only those are checked again. A keystroke over 100,000
/// runners then looks at what the previous one kept.
pub fn filter_from(all: &[Indexed], query: &str, last: Option<(&str, &[usize])>) -> Vec<usize> {
    match last {
        Some((before, kept)) if !before.trim().is_empty() && query.starts_with(before) => {
            let terms = terms(query);
            kept.iter()
                .copied()
                .filter(|i| all.get(*i).is_some_and(|r| r.matches(&terms)))
                .collect()
        }
        _ => filter(all, query),
    }
}

/// Selected runner ids; `anchor` is the last row clicked without Shift, for ranges.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selection {
    pub ids: BTreeSet<u64>,
    anchor: Option<u64>,
}

impl Selection {
    pub fn toggle(&mut self, id: u64) {
        if !self.ids.remove(&id) {
            self.ids.insert(id);
        }
        self.anchor = Some(id);
    }

    /// Shift-click: selects every shown row between the anchor and `id`.
    pub fn extend_to(&mut self, id: u64, shown: &[u64]) {
        let to = shown.iter().position(|x| *x == id);
        let from = self.anchor.and_then(|a| shown.iter().position(|x| *x == a));
        match (from, to) {
            (Some(a), Some(b)) => {
                let (lo, hi) = (a.min(b), a.max(b));
                self.ids.extend(&shown[lo..=hi]);
            }
            _ => self.toggle(id),
        }
    }

    pub fn select_all(&mut self, shown: &[u64]) {
        self.ids.extend(shown);
    }

    pub fn clear(&mut self) {
        self.ids.clear();
        self.anchor = None;
    }

    /// Forgets runners that are gone (deleted).
    pub fn retain(&mut self, exists: impl Fn(u64) -> bool) {
        self.ids.retain(|id| exists(*id));
    }
}

/// Rows `start..end` to draw for a scroll position, with `overscan` extra rows
/// on each side so fast scrolling does not show blanks.
pub fn window(
    scroll_top: f64,
    viewport: f64,
    row_height: f64,
    count: usize,
    overscan: usize,
) -> (usize, usize) {
    if count == 0 || row_height <= 0.0 {
        return (0, 0);
    }
    let first = (scroll_top.max(0.0) / row_height).floor() as usize;
    let visible = (viewport.max(row_height) / row_height).ceil() as usize + 1;
    let start = first.saturating_sub(overscan).min(count);
    let end = (first + visible + overscan).min(count);
    (start, end)
}

/// Parses the tags a user typed for a bulk tag action, as the forms do.
pub use crate::runner_rules::parse_tags;

/// A runner's tags after adding `add`, or `None` when nothing would change.
pub fn with_tags(current: &[String], add: &[String]) -> Option<Vec<String>> {
    let missing: Vec<&String> = add.iter().filter(|t| !current.contains(t)).collect();
    if missing.is_empty() {
        return None;
    }
    Some(current.iter().chain(missing).cloned().collect())
}

/// A runner's tags after removing `remove`, or `None` when nothing would change.
pub fn without_tags(current: &[String], remove: &[String]) -> Option<Vec<String>> {
    let kept: Vec<String> = current
        .iter()
        .filter(|t| !remove.contains(t))
        .cloned()
        .collect();
    (kept.len() != current.len()).then_some(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::RunnerKind;

    #[test]
    fn keys_tell_instances_apart_and_are_ids_on_one_instance() {
        assert_eq!(row_key(0, 42), 42);
        let a = row_key(1, 3);
        let b = row_key(2, 3);
        assert_ne!(a, b);
        assert_eq!(split_key(a), (1, 3));
        assert_eq!(split_key(row_key(7, 123_456_789)), (7, 123_456_789));
        // In instance order, then id order: a list of instances stays sorted.
        assert!(row_key(0, 999_999) < row_key(1, 1));
        let on_staging = Indexed::on(runner(3, "box", &[]).runner, 1, Some("staging"));
        assert_eq!(on_staging.key, row_key(1, 3));
        assert_eq!(filter(&[on_staging], "staging"), vec![0]);
    }

    fn runner(id: u64, description: &str, tags: &[&str]) -> Indexed {
        Indexed::new(Runner {
            id,
            description: Some(description.into()),
            ip_address: Some(format!("10.0.0.{id}")),
            runner_type: RunnerKind::GroupType,
            status: "online".into(),
            tag_list: Some(tags.iter().map(|t| t.to_string()).collect()),
            ..Default::default()
        })
    }

    #[test]
    fn quick_filter_matches_every_field_and_all_words() {
        let all = vec![
            runner(1, "Docker Builder", &["linux"]),
            runner(2, "mac mini", &["macos", "arm64"]),
            runner(3, "spare", &[]),
        ];
        assert_eq!(filter(&all, ""), vec![0, 1, 2]);
        assert_eq!(filter(&all, "docker"), vec![0]);
        assert_eq!(filter(&all, "ARM64 mac"), vec![1]);
        assert_eq!(filter(&all, "#3"), vec![2]);
        assert_eq!(filter(&all, "10.0.0.2"), vec![1]);
        assert_eq!(filter(&all, "group online"), vec![0, 1, 2]);
        assert!(filter(&all, "docker macos").is_empty());
    }

    #[test]
    fn selection_ranges_follow_the_shown_order() {
        let shown = [5, 3, 9, 1, 7];
        let mut s = Selection::default();
        s.toggle(3);
        s.extend_to(1, &shown);
        assert_eq!(s.ids.iter().copied().collect::<Vec<_>>(), vec![1, 3, 9]);
        s.toggle(9);
        assert!(!s.ids.contains(&9));
        s.extend_to(5, &shown);
        assert!(s.ids.contains(&5) && s.ids.contains(&3) && s.ids.contains(&9));
        s.retain(|id| id != 5);
        assert!(!s.ids.contains(&5));
        s.select_all(&shown);
        assert_eq!(s.ids.len(), 5);
        s.clear();
        assert!(s.ids.is_empty());
    }

    #[test]
    fn window_covers_the_viewport_plus_overscan() {
        assert_eq!(window(0.0, 400.0, 40.0, 1000, 5), (0, 16));
        assert_eq!(window(4000.0, 400.0, 40.0, 1000, 5), (95, 116));
        assert_eq!(window(39_990.0, 400.0, 40.0, 1000, 5), (994, 1000));
        assert_eq!(window(0.0, 400.0, 40.0, 0, 5), (0, 0));
    }

    #[test]
    fn tag_changes_only_when_needed() {
        let cur = vec!["a".to_string(), "b".to_string()];
        assert_eq!(parse_tags(" b, c ,,c"), vec!["b", "c"]);
        assert_eq!(
            with_tags(&cur, &parse_tags("b, c")),
            Some(vec!["a".into(), "b".into(), "c".into()])
        );
        assert_eq!(with_tags(&cur, &parse_tags("a")), None);
        assert_eq!(
            without_tags(&cur, &parse_tags("a, z")),
            Some(vec!["b".into()])
        );
        assert_eq!(without_tags(&cur, &parse_tags("z")), None);
    }

    #[test]
    fn a_longer_query_refines_the_last_result_as_a_full_filter_would() {
        let all: Vec<Indexed> = (1..=60)
            .map(|id| {
                Indexed::new(Runner {
                    id,
                    description: Some(format!(
                        "{} runner-{id}",
                        ["shared docker", "spot arm", "shared"][id as usize % 3]
                    )),
                    status: ["online", "offline"][id as usize % 2].into(),
                    ..Default::default()
                })
            })
            .collect();
        let typed = "shared docker 1";
        let mut last: Option<(String, Vec<usize>)> = None;
        for end in 0..=typed.len() {
            let q = &typed[..end];
            let got = filter_from(
                &all,
                q,
                last.as_ref().map(|(q, r)| (q.as_str(), r.as_slice())),
            );
            assert_eq!(got, filter(&all, q), "{q:?}");
            last = Some((q.to_string(), got));
        }
        // Not an extension (a deleted letter): filtered afresh.
        let (q, r) = last.unwrap();
        assert_eq!(
            filter_from(&all, "shared", Some((&q, &r))),
            filter(&all, "shared")
        );
    }
}
