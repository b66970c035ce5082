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

/// A router path made into an `href` under the base (and on the pages' instance).
#[cfg(target_arch = "wasm32")]
pub fn href(path: &str) -> String {
    format!("{}{}", base(), on_instance(path))
}

thread_local! {
    /// The instance the pages are built for, when routes name one (several
    /// instances known, or the address named it). Set by the shell before it
    /// builds the pages, which are built again when it changes.
    static INSTANCE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

pub fn set_instance(label: Option<String>) {
    INSTANCE.with(|i| *i.borrow_mut() = label);
}

/// `path` on the pages' instance: `/runners/42` -> `/i/prod/runners/42`. Routes
/// of no instance (the instances page, the OAuth callback) and routes that
/// already name one stay as they are.
pub fn on_instance(path: &str) -> String {
    let free = [INSTANCES, OAUTH_CALLBACK]
        .iter()
        .any(|f| path == *f || path.starts_with(&format!("{f}?")));
    match INSTANCE.with(|i| i.borrow().clone()) {
        Some(label) if !free && crate::instances::split_route(path).0.is_none() => {
            crate::instances::route_on(&label, path)
        }
        _ => path.to_string(),
    }
}

/// The page to open on another instance chosen in the switcher, from the
/// route here (without its instance): the same page, except that one runner's
/// pages (another instance has other runners) and the instance-free pages
/// become the runner list. All instances at once (`to_all`) have the list, the
/// dashboard, the cleanup and the outdated runners.
pub fn switched(route: &str, to_all: bool) -> String {
    let path = route.split(['?', '#']).next().unwrap_or(route);
    if to_all && ![RUNNERS, DASHBOARD, CLEANUP, OUTDATED].contains(&path) {
        return RUNNERS.to_string();
    }
    let one_runner = path
        .strip_prefix("/runners/")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
    if one_runner || path == INSTANCES || path == OAUTH_CALLBACK || path == "/" {
        RUNNERS.to_string()
    } else {
        route.to_string()
    }
}

/// `path` on the instance `label` (the switcher; across-instance lists).
pub fn on(label: &str, path: &str) -> String {
    crate::instances::route_on(label, path)
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
pub const INSTANCES: &str = "/instances";
pub const OAUTH_CALLBACK: &str = "/oauth/callback";

/// The instances page asking to add `label` (a link named it), then to open `then`.
pub fn add_instance(label: &str, then: &str) -> String {
    let q = serde_urlencoded::to_string([("add", label), ("then", then)]).unwrap_or_default();
    format!("{INSTANCES}?{q}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_go_on_the_pages_instance_except_the_free_ones() {
        super::set_instance(None);
        assert_eq!(super::on_instance("/runners/4"), "/runners/4");
        super::set_instance(Some("prod".into()));
        assert_eq!(super::on_instance("/runners/4"), "/i/prod/runners/4");
        assert_eq!(
            super::on_instance("/runners?page=2"),
            "/i/prod/runners?page=2"
        );
        assert_eq!(super::on_instance("/i/eu/runners"), "/i/eu/runners");
        assert_eq!(super::on_instance("/instances"), "/instances");
        assert_eq!(super::on_instance("/instances?add=x"), "/instances?add=x");
        assert_eq!(super::on_instance("/oauth/callback"), "/oauth/callback");
        super::set_instance(None);
    }

    #[test]
    fn switching_keeps_the_page_but_not_one_runner() {
        use super::switched;
        assert_eq!(
            switched("/runners?status=stale&page=2", false),
            "/runners?status=stale&page=2"
        );
        assert_eq!(switched("/dashboard", false), "/dashboard");
        assert_eq!(switched("/runners/42/edit", false), "/runners");
        assert_eq!(switched("/runners/42", false), "/runners");
        assert_eq!(switched("/runners/outdated", false), "/runners/outdated");
        assert_eq!(switched("/instances", false), "/runners");
        assert_eq!(
            switched("/cleanup?status=stale", true),
            "/cleanup?status=stale"
        );
        assert_eq!(switched("/tokens", true), "/runners");
        assert_eq!(switched("/runners/outdated", true), "/runners/outdated");
        assert_eq!(switched("/dashboard", true), "/dashboard");
        assert_eq!(
            switched("/runners?status=online", true),
            "/runners?status=online"
        );
    }

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
