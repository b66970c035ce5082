//! The state of a runner's job list as it lives in the URL query: status filter,
//! order by id, page and page size. Pure, so native tests cover the round trip.

use crate::api::request::{JobStatus, JobsQuery, PageQuery, SortOrder};
use crate::list_query::{page_from, PAGE_SIZES};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobsListQuery {
    /// One of the documented filter values; `None` lists every job.
    pub status: Option<JobStatus>,
    /// By id; GitLab's default is descending (newest first).
    pub sort: SortOrder,
    pub page: u32,
    pub per_page: u32,
    /// One machine's jobs (`system_id`, GitLab 16.8+).
    pub system_id: Option<String>,
    /// Where a keyset page starts (GitLab 18.4+); `page` then only counts.
    pub cursor: Option<String>,
}

impl Default for JobsListQuery {
    fn default() -> Self {
        Self {
            status: None,
            sort: SortOrder::Desc,
            page: 1,
            per_page: PAGE_SIZES[0],
            system_id: None,
            cursor: None,
        }
    }
}

impl JobsListQuery {
    /// Reads the query through `get`; unknown or malformed values fall back to defaults.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        let status = get("status").and_then(|s| JobStatus::parse(&s));
        let sort = get("sort")
            .and_then(|s| SortOrder::parse(&s))
            .unwrap_or(SortOrder::Desc);
        let PageQuery { page, per_page } = page_from(&get, "page", "per_page");
        let text = |key: &str| {
            get(key)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        Self {
            status,
            sort,
            page,
            per_page,
            system_id: text("system_id"),
            cursor: text("cursor"),
        }
    }

    /// `?key=value&...` holding only what differs from the defaults (empty when nothing does).
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = vec![];
        if let Some(s) = self.status {
            pairs.push(("status", s.as_str().into()));
        }
        if self.sort != SortOrder::Desc {
            pairs.push(("sort", self.sort.as_str().into()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        if self.per_page != PAGE_SIZES[0] {
            pairs.push(("per_page", self.per_page.to_string()));
        }
        if let Some(id) = &self.system_id {
            pairs.push(("system_id", id.clone()));
        }
        if let Some(c) = &self.cursor {
            pairs.push(("cursor", c.clone()));
        }
        if pairs.is_empty() {
            return String::new();
        }
        format!(
            "?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    }

    /// Whether GitLab pages this list by cursor: it can (`keyset`, 18.4+), and
    /// only newest first.
    pub fn by_cursor(&self, keyset: bool) -> bool {
        keyset && self.sort == SortOrder::Desc
    }

    /// The API filter: always ordered by id, in the chosen direction. `system_id`
    /// goes only where GitLab has it (`by_machine`, 16.8+); `keyset` as `by_cursor`.
    pub fn api_query(&self, by_machine: bool, keyset: bool) -> JobsQuery {
        JobsQuery {
            status: self.status,
            order_by_id: true,
            sort: Some(self.sort),
            system_id: self.system_id.clone().filter(|_| by_machine),
            keyset: self.by_cursor(keyset).then(|| self.cursor.clone()),
        }
    }

    /// With a cursor the page number is not sent: the cursor says where to start.
    pub fn page_query(&self, keyset: bool) -> PageQuery {
        let page = if self.by_cursor(keyset) { 1 } else { self.page };
        PageQuery::new(page, self.per_page)
    }

    /// The next keyset page.
    pub fn with_cursor(&self, cursor: &str) -> Self {
        Self {
            cursor: Some(cursor.to_string()),
            page: self.page + 1,
            ..self.clone()
        }
    }

    /// One machine's jobs (or every machine's), from the first page.
    pub fn with_system_id(&self, system_id: Option<String>) -> Self {
        Self {
            system_id: system_id.filter(|s| !s.trim().is_empty()),
            page: 1,
            cursor: None,
            ..self.clone()
        }
    }

    /// The same list on another page.
    pub fn with_page(&self, page: u32) -> Self {
        Self {
            page: page.max(1),
            cursor: None,
            ..self.clone()
        }
    }

    /// Another filter or order starts again at page 1.
    pub fn with_status(&self, status: Option<JobStatus>) -> Self {
        Self {
            status,
            page: 1,
            cursor: None,
            ..self.clone()
        }
    }

    pub fn with_sort(&self, sort: SortOrder) -> Self {
        Self {
            sort,
            page: 1,
            cursor: None,
            ..self.clone()
        }
    }

    pub fn with_per_page(&self, per_page: u32) -> Self {
        Self {
            per_page,
            page: 1,
            cursor: None,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(q: &str) -> JobsListQuery {
        let map: HashMap<String, String> = serde_urlencoded::from_str(q).unwrap();
        JobsListQuery::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn round_trips_every_field() {
        let q = JobsListQuery {
            status: Some(JobStatus::Canceled),
            sort: SortOrder::Asc,
            page: 4,
            per_page: 100,
            system_id: Some("s_0123456789ab".into()),
            cursor: Some("eyJpZCI6IjQyIn0=".into()),
        };
        let s = q.to_query_string();
        assert_eq!(
            s,
            "?status=canceled&sort=asc&page=4&per_page=100&system_id=s_0123456789ab&cursor=eyJpZCI6IjQyIn0%3D"
        );
        assert_eq!(parse(&s[1..]), q);
    }

    #[test]
    fn a_cursor_is_used_only_where_gitlab_pages_by_cursor() {
        let q = parse("page=3&cursor=abc&system_id=s_1");
        // 18.4+: keyset, newest first; the page number is not sent.
        let api = q.api_query(true, true);
        assert_eq!(api.keyset, Some(Some("abc".into())));
        assert_eq!(api.system_id.as_deref(), Some("s_1"));
        assert_eq!(q.page_query(true), PageQuery::new(1, 20));
        // Oldest first has no keyset order in GitLab: offset pages.
        let asc = q.with_sort(SortOrder::Asc);
        assert_eq!(asc.api_query(true, true).keyset, None);
        assert_eq!(asc.cursor, None);
        // Before 18.4, offset pages; before 16.8 no system_id either.
        assert_eq!(q.api_query(true, false).keyset, None);
        assert_eq!(q.page_query(false), PageQuery::new(3, 20));
        assert_eq!(q.api_query(false, false).system_id, None);
        // The first keyset page asks for keyset without a cursor.
        assert_eq!(parse("").api_query(true, true).keyset, Some(None));
        let next = parse("").with_cursor("c2");
        assert_eq!((next.page, next.cursor.as_deref()), (2, Some("c2")));
        let machine = next.with_system_id(Some("s_9".into()));
        assert_eq!((machine.page, machine.cursor.as_deref()), (1, None));
        assert_eq!(machine.with_system_id(Some(" ".into())).system_id, None);
    }

    #[test]
    fn defaults_are_left_out_and_bad_values_ignored() {
        assert_eq!(JobsListQuery::default().to_query_string(), "");
        assert_eq!(
            parse("status=pending&sort=sideways&page=-1&per_page=30"),
            JobsListQuery::default()
        );
    }

    #[test]
    fn api_query_always_orders_by_id() {
        let q = parse("status=success");
        let api = q.api_query(true, false).to_query();
        assert_eq!(
            api,
            vec![
                ("status".to_string(), "success".to_string()),
                ("order_by".to_string(), "id".to_string()),
                ("sort".to_string(), "desc".to_string()),
            ]
        );
        assert_eq!(q.page_query(false), PageQuery::new(1, 20));
    }

    #[test]
    fn changing_filter_or_order_goes_back_to_page_one() {
        let q = parse("page=3&per_page=50");
        assert_eq!(q.with_status(Some(JobStatus::Failed)).page, 1);
        assert_eq!(q.with_sort(SortOrder::Asc).page, 1);
        assert_eq!(q.with_per_page(100).page, 1);
        assert_eq!(q.with_page(0).page, 1);
        assert_eq!(q.with_page(2).per_page, 50);
    }
}
