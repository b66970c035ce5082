//! The console's own routes as paths. The app may be served under a sub-path (trunk's
//! `--public-url` writes it into `<base href>`); router paths are relative to it, while
//! `href`s in the page need it prefixed.

use crate::list_query::ListQuery;

/// The base path without a trailing `/` ("" at the root).
#[cfg(target_arch = "wasm32")]
pub fn base() -> &'static str {
    static BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        let href = leptos::prelude::document()
            .base_uri()
            .ok()
            .flatten()
            .unwrap_or_default();
        base_from_href(&href)
    })
}

pub fn base_from_href(href: &str) -> String {
    let after_scheme = href.split_once("://").map(|(_, r)| r).unwrap_or(href);
    let path = after_scheme
        .find('/')
        .map(|i| &after_scheme[i..])
        .unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    path.trim_end_matches('/').to_string()
}

/// A router path made into an `href` under the base.
#[cfg(target_arch = "wasm32")]
pub fn href(path: &str) -> String {
    format!("{}{path}", base())
}

/// Router path of a runner list with this state.
pub fn runners(q: &ListQuery) -> String {
    format!("/runners{}", q.to_query_string())
}

/// A runner's detail page.
pub fn runner(id: u64) -> String {
    format!("/runners/{id}")
}

pub fn runner_edit(id: u64) -> String {
    format!("/runners/{id}/edit")
}

/// A runner's jobs; `query` is `""` or starts with `?`.
pub fn runner_jobs(id: u64, query: &str) -> String {
    format!("/runners/{id}/jobs{query}")
}

/// Runners of a project (id or full path), with enable/disable.
pub fn project_runners(project: &str) -> String {
    let q = serde_urlencoded::to_string([("project", project)]).unwrap_or_default();
    format!("/project-runners?{q}")
}

/// The cleanup page with these criteria.
pub fn cleanup(c: &crate::cleanup::Criteria) -> String {
    format!("/cleanup{}", c.to_query_string())
}

pub const RUNNERS: &str = "/runners";
pub const NEW_RUNNER: &str = "/runners/new";
pub const OUTDATED: &str = "/runners/outdated";
pub const DASHBOARD: &str = "/dashboard";
pub const CLEANUP: &str = "/cleanup";
pub const PROJECT_RUNNERS: &str = "/project-runners";
pub const REGISTER: &str = "/register";
pub const TOKENS: &str = "/tokens";

#[cfg(test)]
mod tests {
    #[test]
    fn base_is_the_path_of_base_href() {
        assert_eq!(super::base_from_href("http://h:8080/"), "");
        assert_eq!(
            super::base_from_href("https://h/tools/runners/"),
            "/tools/runners"
        );
        assert_eq!(
            super::base_from_href("https://h/x/index.html?q#f"),
            "/x/index.html"
        );
    }
}
