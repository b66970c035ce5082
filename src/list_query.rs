//! A runner list's state as it lives in the URL query: source, filters, page.
//! Pure, so native tests cover the round trip; pages read and write it.

use crate::api::request::{
    PageQuery, ProjectRef, RunnerFilter, RunnerSource, RunnerType, Scope, StatusFilter,
};
use crate::runner_facts::RunnerOrder;

pub const PAGE_SIZES: [u32; 3] = [20, 50, 100];

/// The page and page size a URL holds under `page_key` and `per_page_key`;
/// malformed values, or a size the console does not offer, fall back to the
/// first page and the first size.
pub fn page_from(
    get: impl Fn(&str) -> Option<String>,
    page_key: &str,
    per_page_key: &str,
) -> PageQuery {
    let page = get(page_key)
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let per_page = get(per_page_key)
        .and_then(|p| p.parse().ok())
        .filter(|p| PAGE_SIZES.contains(p))
        .unwrap_or(PAGE_SIZES[0]);
    PageQuery::new(page, per_page)
}

/// Which list the user chose; `Default` means "all runners" for admins, else "mine".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum SourceChoice {
    #[default]
    Default,
    Owned,
    All,
    Group(u64),
    Project(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListQuery {
    pub source: SourceChoice,
    pub filter: RunnerFilter,
    pub page: u32,
    pub per_page: u32,
    /// Every page loaded at once, for quick filtering and bulk actions.
    pub all: bool,
    /// The quick filter over a loaded list.
    pub quick: String,
    /// An order GitLab does not sort by, applied to the runners shown.
    pub order: Option<RunnerOrder>,
}

impl Default for ListQuery {
    fn default() -> Self {
        Self {
            source: SourceChoice::Default,
            filter: RunnerFilter::default(),
            page: 1,
            per_page: PAGE_SIZES[0],
            all: false,
            quick: String::new(),
            order: None,
        }
    }
}

impl ListQuery {
    /// Reads the query through `get`; unknown or malformed values fall back to defaults.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        let source = match get("source").as_deref() {
            Some("owned") => SourceChoice::Owned,
            Some("all") => SourceChoice::All,
            Some("group") => get("group")
                .and_then(|g| g.parse().ok())
                .map(SourceChoice::Group)
                .unwrap_or_default(),
            Some("project") => get("project")
                .filter(|p| !p.trim().is_empty())
                .map(SourceChoice::Project)
                .unwrap_or_default(),
            _ => SourceChoice::Default,
        };
        let filter = RunnerFilter {
            scope: get("scope").and_then(|s| Scope::parse(&s)),
            runner_type: get("type").and_then(|s| RunnerType::parse(&s)),
            status: get("status").and_then(|s| StatusFilter::parse(&s)),
            paused: match get("paused").as_deref() {
                Some("true") => Some(true),
                Some("false") => Some(false),
                _ => None,
            },
            tag_list: get("tags")
                .map(|t| {
                    t.split(',')
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default(),
            // One GitLab would refuse (400) is left out, as other bad values are.
            version_prefix: get("version")
                .map(|v| v.trim().to_string())
                .filter(|v| crate::runner_rules::version_prefix_valid(v)),
        };
        let PageQuery { page, per_page } = page_from(&get, "page", "per_page");
        let all = get("view").as_deref() == Some("all");
        let quick = if all {
            get("q").unwrap_or_default()
        } else {
            String::new()
        };
        Self {
            source,
            filter,
            page,
            per_page,
            all,
            quick,
            order: get("sort").and_then(|o| RunnerOrder::parse(&o)),
        }
    }

    /// `?key=value&...` holding only what differs from the defaults (empty when nothing does).
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = vec![];
        match &self.source {
            SourceChoice::Default => {}
            SourceChoice::Owned => pairs.push(("source", "owned".into())),
            SourceChoice::All => pairs.push(("source", "all".into())),
            SourceChoice::Group(id) => {
                pairs.push(("source", "group".into()));
                pairs.push(("group", id.to_string()));
            }
            SourceChoice::Project(p) => {
                pairs.push(("source", "project".into()));
                pairs.push(("project", p.clone()));
            }
        }
        let f = &self.filter;
        if let Some(t) = f.runner_type {
            pairs.push(("type", t.as_str().into()));
        }
        if let Some(s) = f.status {
            pairs.push(("status", s.as_str().into()));
        }
        if let Some(s) = f.scope {
            pairs.push(("scope", s.as_str().into()));
        }
        if let Some(p) = f.paused {
            pairs.push(("paused", p.to_string()));
        }
        if !f.tag_list.is_empty() {
            pairs.push(("tags", f.tag_list.join(",")));
        }
        if let Some(v) = &f.version_prefix {
            pairs.push(("version", v.clone()));
        }
        if let Some(o) = self.order {
            pairs.push(("sort", o.as_str().into()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        if self.per_page != PAGE_SIZES[0] {
            pairs.push(("per_page", self.per_page.to_string()));
        }
        if self.all {
            pairs.push(("view", "all".into()));
            if !self.quick.is_empty() {
                pairs.push(("q", self.quick.clone()));
            }
        }
        if pairs.is_empty() {
            return String::new();
        }
        let encoded = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("?{encoded}")
    }

    /// The API source this choice means for a user who is (or is not) an admin.
    pub fn api_source(&self, is_admin: bool) -> RunnerSource {
        match &self.source {
            SourceChoice::Default if is_admin => RunnerSource::All,
            SourceChoice::Default | SourceChoice::Owned => RunnerSource::Owned,
            SourceChoice::All => RunnerSource::All,
            SourceChoice::Group(id) => RunnerSource::Group(*id),
            SourceChoice::Project(p) => {
                RunnerSource::Project(ProjectRef::parse(p).unwrap_or(ProjectRef::Path(p.clone())))
            }
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(q: &str) -> ListQuery {
        let map: HashMap<String, String> = serde_urlencoded::from_str(q).unwrap();
        ListQuery::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn round_trips_every_field() {
        let q = ListQuery {
            source: SourceChoice::Project("platform/api".into()),
            filter: RunnerFilter {
                scope: Some(Scope::Specific),
                runner_type: Some(RunnerType::ProjectType),
                status: Some(StatusFilter::NeverContacted),
                paused: Some(false),
                tag_list: vec!["docker".into(), "linux".into()],
                version_prefix: Some("17.".into()),
            },
            page: 3,
            per_page: 50,
            all: true,
            quick: "docker #1".into(),
            order: Some(RunnerOrder::ContactedOldest),
        };
        let s = q.to_query_string();
        assert_eq!(
            s,
            "?source=project&project=platform%2Fapi&type=project_type&status=never_contacted&scope=specific&paused=false&tags=docker%2Clinux&version=17.&sort=contacted_asc&page=3&per_page=50&view=all&q=docker+%231"
        );
        assert_eq!(parse(&s[1..]), q);
    }

    #[test]
    fn defaults_are_left_out_and_bad_values_ignored() {
        assert_eq!(ListQuery::default().to_query_string(), "");
        let q = parse("page=0&per_page=7&type=bogus&source=group&group=x&sort=name&version=v17");
        assert_eq!(q, ListQuery::default());
    }

    #[test]
    fn default_source_depends_on_admin() {
        let q = ListQuery::default();
        assert_eq!(q.api_source(true), RunnerSource::All);
        assert_eq!(q.api_source(false), RunnerSource::Owned);
        let p = parse("source=project&project=42");
        assert_eq!(
            p.api_source(false),
            RunnerSource::Project(ProjectRef::Id(42))
        );
    }
}
