//! The project runners page's state in the URL: which project, which page.

use crate::api::request::{PageQuery, ProjectRef};
use crate::list_query::PAGE_SIZES;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectRunnersQuery {
    /// Id or full path, as chosen; `None` until one is chosen.
    pub project: Option<ProjectRef>,
    pub page: u32,
    pub per_page: u32,
}

impl Default for ProjectRunnersQuery {
    fn default() -> Self {
        Self {
            project: None,
            page: 1,
            per_page: PAGE_SIZES[0],
        }
    }
}

impl ProjectRunnersQuery {
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            project: get("project").and_then(|p| ProjectRef::parse(&p)),
            page: get("page")
                .and_then(|p| p.parse().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1),
            per_page: get("per_page")
                .and_then(|p| p.parse().ok())
                .filter(|p| PAGE_SIZES.contains(p))
                .unwrap_or(PAGE_SIZES[0]),
        }
    }

    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = vec![];
        if let Some(p) = &self.project {
            pairs.push(("project", p.to_string()));
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

    /// Router path of this state.
    pub fn path(&self) -> String {
        format!("/project-runners{}", self.to_query_string())
    }

    pub fn page_query(&self) -> PageQuery {
        PageQuery::new(self.page, self.per_page)
    }

    pub fn with_page(&self, page: u32) -> Self {
        Self {
            page: page.max(1),
            ..self.clone()
        }
    }

    /// Another project starts at its first page.
    pub fn for_project(project: ProjectRef) -> Self {
        Self {
            project: Some(project),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(q: &str) -> ProjectRunnersQuery {
        let map: HashMap<String, String> = serde_urlencoded::from_str(q).unwrap();
        ProjectRunnersQuery::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn round_trip_with_a_path() {
        let q = ProjectRunnersQuery {
            project: Some(ProjectRef::Path("platform/api".into())),
            page: 2,
            per_page: 50,
        };
        let s = q.to_query_string();
        assert_eq!(s, "?project=platform%2Fapi&page=2&per_page=50");
        assert_eq!(parse(&s[1..]), q);
        assert_eq!(
            q.path(),
            "/project-runners?project=platform%2Fapi&page=2&per_page=50"
        );
        // The same link the rest of the console builds.
        assert_eq!(
            ProjectRunnersQuery::for_project(ProjectRef::Path("platform/api".into())).path(),
            crate::links::project_runners("platform/api")
        );
    }

    #[test]
    fn ids_and_blanks() {
        assert_eq!(parse("project=4").project, Some(ProjectRef::Id(4)));
        assert_eq!(parse("project=%20").project, None);
        assert_eq!(parse("").to_query_string(), "");
    }
}
