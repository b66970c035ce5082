//! The console's route table as data: which page a path names, the query string as
//! key/value pairs, and which main-menu entry is current. The browser side (history,
//! link clicks) is in `router`; this part is plain Rust so it is tested natively.

/// A page of the console, parsed from a path relative to the base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/`: sends the user on to the runner list.
    Home,
    Runners,
    /// `/runners/:id`; `None` when `:id` is not a number.
    Runner(Option<u64>),
    RunnerEdit(Option<u64>),
    RunnerJobs(Option<u64>),
    ProjectRunners,
    Register,
    Tokens,
    NotFound,
}

impl Route {
    /// The page of `path` (no query, relative to the base). A trailing `/` is ignored,
    /// as leptos_router did.
    pub fn parse(path: &str) -> Route {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let id = |s: &str| s.parse::<u64>().ok();
        match segments.as_slice() {
            [] => Route::Home,
            ["runners"] => Route::Runners,
            ["runners", n] => Route::Runner(id(n)),
            ["runners", n, "edit"] => Route::RunnerEdit(id(n)),
            ["runners", n, "jobs"] => Route::RunnerJobs(id(n)),
            ["project-runners"] => Route::ProjectRunners,
            ["register"] => Route::Register,
            ["tokens"] => Route::Tokens,
            _ => Route::NotFound,
        }
    }
}

/// The path below `base` ("" or "/sub/path") of a page's `pathname`, or `None` when the
/// path lies outside the console.
pub fn strip_base<'a>(base: &str, pathname: &'a str) -> Option<&'a str> {
    let rest = pathname.strip_prefix(base)?;
    match rest {
        "" => Some("/"),
        r if r.starts_with('/') => Some(r),
        _ => None,
    }
}

/// Whether the main-menu entry for `entry` is the current page at `path`: the same
/// path or one below it (`/runners/3` is under "Runners").
pub fn is_current(entry: &str, path: &str) -> bool {
    path.strip_prefix(entry)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// A query string's pairs, decoded; the first value of a repeated key wins.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryMap(Vec<(String, String)>);

impl QueryMap {
    /// From `location.search` (with or without the leading `?`).
    pub fn parse(search: &str) -> QueryMap {
        let search = search.strip_prefix('?').unwrap_or(search);
        QueryMap(serde_urlencoded::from_str(search).unwrap_or_default())
    }

    pub fn get(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_parses() {
        assert_eq!(Route::parse("/"), Route::Home);
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("/runners"), Route::Runners);
        assert_eq!(Route::parse("/runners/"), Route::Runners);
        assert_eq!(Route::parse("/runners/12"), Route::Runner(Some(12)));
        assert_eq!(Route::parse("/runners/x"), Route::Runner(None));
        assert_eq!(
            Route::parse("/runners/12/edit"),
            Route::RunnerEdit(Some(12))
        );
        assert_eq!(
            Route::parse("/runners/12/jobs"),
            Route::RunnerJobs(Some(12))
        );
        assert_eq!(Route::parse("/project-runners"), Route::ProjectRunners);
        assert_eq!(Route::parse("/register"), Route::Register);
        assert_eq!(Route::parse("/tokens"), Route::Tokens);
        assert_eq!(Route::parse("/runners/12/other"), Route::NotFound);
        assert_eq!(Route::parse("/nope"), Route::NotFound);
    }

    #[test]
    fn base_is_stripped_only_at_a_segment_boundary() {
        assert_eq!(strip_base("", "/runners"), Some("/runners"));
        assert_eq!(strip_base("/tools/rc", "/tools/rc"), Some("/"));
        assert_eq!(strip_base("/tools/rc", "/tools/rc/tokens"), Some("/tokens"));
        assert_eq!(strip_base("/tools/rc", "/tools/rcx/tokens"), None);
        assert_eq!(strip_base("/tools/rc", "/group/project"), None);
    }

    #[test]
    fn menu_entries_are_current_on_their_page_and_below() {
        assert!(is_current("/runners", "/runners"));
        assert!(is_current("/runners", "/runners/3/edit"));
        assert!(!is_current("/runners", "/runnersx"));
        assert!(!is_current("/tokens", "/runners"));
    }

    #[test]
    fn query_pairs_are_decoded_and_the_first_wins() {
        let q = QueryMap::parse("?status=online&tag=a%20b&tag=c&q=x+y");
        assert_eq!(q.get("status").as_deref(), Some("online"));
        assert_eq!(q.get("tag").as_deref(), Some("a b"));
        assert_eq!(q.get("q").as_deref(), Some("x y"));
        assert_eq!(q.get("page"), None);
        assert_eq!(QueryMap::parse(""), QueryMap::default());
    }
}
