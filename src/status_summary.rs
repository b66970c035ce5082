//! The status summary above a runner list: how many runners of the current
//! source and filters are online, offline, stale, never contacted, and paused.
//! Each count is one `per_page=1` request whose `X-Total` is the number
//! (GitLab leaves `X-Total` out above 10,000), plus one for the whole list.
//! GitLab's status filters overlap (a stale runner also matches `offline` or
//! `never_contacted`; a paused one has a contact status too), so the chart
//! draws one bar per part against the list's total rather than one stacked
//! bar, which would add up to more than the list. Pure: the filters per
//! count, the bar lengths, the words.

use crate::api::request::{RunnerFilter, StatusFilter};
use crate::list_query::ListQuery;

/// One part of the summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Online,
    Offline,
    Stale,
    NeverContacted,
    /// Overlaps the others (a paused runner also has a contact status).
    Paused,
}

impl Part {
    pub const ALL: [Part; 5] = [
        Part::Online,
        Part::Offline,
        Part::Stale,
        Part::NeverContacted,
        Part::Paused,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Part::Online => "Online",
            Part::Offline => "Offline",
            Part::Stale => "Stale",
            Part::NeverContacted => "Never contacted",
            Part::Paused => "Paused",
        }
    }

    /// The CSS class suffix, shared with the status badges.
    pub fn css(self) -> &'static str {
        match self {
            Part::Online => "online",
            Part::Offline => "offline",
            Part::Stale => "stale",
            Part::NeverContacted => "never",
            Part::Paused => "paused",
        }
    }

    /// The list's filter narrowed to this part: a status replaces the status
    /// filter; paused keeps the status filter and sets `paused=true`.
    pub fn filter(self, base: &RunnerFilter) -> RunnerFilter {
        let mut f = base.clone();
        let status = match self {
            Part::Online => StatusFilter::Online,
            Part::Offline => StatusFilter::Offline,
            Part::Stale => StatusFilter::Stale,
            Part::NeverContacted => StatusFilter::NeverContacted,
            Part::Paused => {
                // The deprecated `status=paused`/`active` would contradict it.
                if f.status.is_some_and(StatusFilter::is_deprecated) {
                    f.status = None;
                }
                f.paused = Some(true);
                return f;
            }
        };
        f.status = Some(status);
        f
    }

    /// The list page showing just this part (first page, same source).
    pub fn query(self, current: &ListQuery) -> ListQuery {
        ListQuery {
            filter: self.filter(&current.filter),
            page: 1,
            quick: String::new(),
            ..current.clone()
        }
    }

    /// Whether the list already shows just this part.
    pub fn is_current(self, filter: &RunnerFilter) -> bool {
        match self {
            Part::Paused => filter.paused == Some(true),
            _ => self.filter(filter).status == filter.status,
        }
    }
}

/// What GitLab said about one part: `Some(n)`, or `None` when it left
/// `X-Total` out (more than 10,000).
pub type Count = Option<u64>;

/// GitLab stops counting here.
pub const COUNT_LIMIT: u64 = 10_000;

pub fn count_text(count: Count) -> String {
    match count {
        Some(n) => group_thousands(n),
        None => "more than 10,000".into(),
    }
}

/// `12345` -> `12,345`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A part's bar length in percent of the list's total. Unknown counts (more
/// than 10,000) weigh 10,000; 0 when the list is empty.
pub fn share(count: Count, total: Count) -> f64 {
    let count = count.unwrap_or(COUNT_LIMIT) as f64;
    let total = (total.unwrap_or(COUNT_LIMIT) as f64).max(count);
    if total > 0.0 {
        (count * 100.0 / total).clamp(0.0, 100.0)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::request::RunnerType;

    #[test]
    fn each_part_narrows_the_current_filter() {
        let base = RunnerFilter {
            runner_type: Some(RunnerType::GroupType),
            status: Some(StatusFilter::Online),
            tag_list: vec!["docker".into()],
            ..Default::default()
        };
        let stale = Part::Stale.filter(&base);
        assert_eq!(stale.status, Some(StatusFilter::Stale));
        assert_eq!(stale.runner_type, Some(RunnerType::GroupType));
        assert_eq!(stale.tag_list, ["docker"]);
        let paused = Part::Paused.filter(&base);
        assert_eq!(paused.paused, Some(true));
        assert_eq!(paused.status, Some(StatusFilter::Online));
        let old = RunnerFilter {
            status: Some(StatusFilter::Active),
            ..Default::default()
        };
        assert_eq!(Part::Paused.filter(&old).status, None);
        assert!(Part::Online.is_current(&base));
        assert!(!Part::Offline.is_current(&base));
        assert!(!Part::Paused.is_current(&base));
    }

    #[test]
    fn links_go_to_the_first_page() {
        let current = ListQuery {
            page: 4,
            ..Default::default()
        };
        let q = Part::NeverContacted.query(&current);
        assert_eq!(q.page, 1);
        assert_eq!(q.to_query_string(), "?status=never_contacted");
    }

    #[test]
    fn words_and_shares() {
        assert_eq!(count_text(Some(0)), "0");
        assert_eq!(count_text(Some(1234567)), "1,234,567");
        assert_eq!(count_text(None), "more than 10,000");
        assert_eq!(share(Some(1), Some(4)), 25.0);
        assert_eq!(share(Some(0), Some(0)), 0.0);
        assert_eq!(share(None, None), 100.0);
        assert_eq!(share(Some(5_000), None), 50.0);
        // Never longer than the whole list.
        assert_eq!(share(None, Some(20)), 100.0);
    }
}
