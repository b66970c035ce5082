//! The state of a runner's job list as it lives in the URL query: status filter,
//! order by id, page and page size. Pure, so native tests cover the round trip.

use crate::api::request::{JobStatus, JobsQuery, PageQuery, SortOrder};
use crate::list_query::PAGE_SIZES;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobsListQuery {
    /// One of the documented filter values; `None` lists every job.
    pub status: Option<JobStatus>,
    /// By id; GitLab's default is descending (newest first).
    pub sort: SortOrder,
    pub page: u32,
    pub per_page: u32,
}

impl Default for JobsListQuery {
    fn default() -> Self {
        Self {
            status: None,
            sort: SortOrder::Desc,
            page: 1,
            per_page: PAGE_SIZES[0],
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
        let page = get("page")
            .and_then(|p| p.parse().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1);
        let per_page = get("per_page")
            .and_then(|p| p.parse().ok())
            .filter(|p| PAGE_SIZES.contains(p))
            .unwrap_or(PAGE_SIZES[0]);
        Self {
            status,
            sort,
            page,
            per_page,
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
        if pairs.is_empty() {
            return String::new();
        }
        format!(
            "?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    }

    /// The API filter: always ordered by id, in the chosen direction.
    pub fn api_query(&self) -> JobsQuery {
        JobsQuery {
            status: self.status,
            order_by_id: true,
            sort: Some(self.sort),
        }
    }

    pub fn page_query(&self) -> PageQuery {
        PageQuery::new(self.page, self.per_page)
    }

    /// The same list on another page.
    pub fn with_page(&self, page: u32) -> Self {
        Self {
            page: page.max(1),
            ..self.clone()
        }
    }

    /// Another filter or order starts again at page 1.
    pub fn with_status(&self, status: Option<JobStatus>) -> Self {
        Self {
            status,
            page: 1,
            ..self.clone()
        }
    }

    pub fn with_sort(&self, sort: SortOrder) -> Self {
        Self {
            sort,
            page: 1,
            ..self.clone()
        }
    }

    pub fn with_per_page(&self, per_page: u32) -> Self {
        Self {
            per_page,
            page: 1,
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
        };
        let s = q.to_query_string();
        assert_eq!(s, "?status=canceled&sort=asc&page=4&per_page=100");
        assert_eq!(parse(&s[1..]), q);
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
        let api = q.api_query().to_query();
        assert_eq!(
            api,
            vec![
                ("status".to_string(), "success".to_string()),
                ("order_by".to_string(), "id".to_string()),
                ("sort".to_string(), "desc".to_string()),
            ]
        );
        assert_eq!(q.page_query(), PageQuery::new(1, 20));
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
