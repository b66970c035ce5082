//! Typed requests for GitLab's Runners API (and the few other endpoints the
//! console needs). Pure values: building a request does no I/O, so native
//! tests cover every endpoint; `client.rs` only moves the bytes.

use std::fmt;

/// HTTP method of an [`ApiRequest`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// Which credentials a request carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Auth {
    /// The signed-in user's token, as the `PRIVATE-TOKEN` header.
    User,
    /// No user token: the runner endpoints take their token in the form body.
    None,
}

/// One call to `/api/v4`. Tokens never appear in `path` or `query`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiRequest {
    pub method: Method,
    /// Path under `/api/v4`, starting with '/', already percent-encoded.
    pub path: String,
    pub query: Vec<(String, String)>,
    /// `application/x-www-form-urlencoded` body, if any.
    pub form: Option<Vec<(String, String)>>,
    pub auth: Auth,
}

// Hand-written so that logging a request never prints a runner or
// registration token carried in the form.
impl fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let form = self.form.as_ref().map(|form| {
            form.iter()
                .map(|(k, v)| {
                    let v = if k == "token" {
                        "<redacted>"
                    } else {
                        v.as_str()
                    };
                    (k.as_str(), v)
                })
                .collect::<Vec<_>>()
        });
        f.debug_struct("ApiRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("form", &form)
            .field("auth", &self.auth)
            .finish()
    }
}

impl ApiRequest {
    fn new(method: Method, path: impl Into<String>) -> Self {
        ApiRequest {
            method,
            path: path.into(),
            query: Vec::new(),
            form: None,
            auth: Auth::User,
        }
    }

    fn get(path: impl Into<String>) -> Self {
        Self::new(Method::Get, path)
    }

    fn with_query(mut self, query: Vec<(String, String)>) -> Self {
        self.query = query;
        self
    }

    fn with_form(mut self, form: Vec<(String, String)>) -> Self {
        self.form = Some(form);
        self
    }

    fn anonymous(mut self) -> Self {
        self.auth = Auth::None;
        self
    }

    /// Full URL: `<base>/api/v4<path>?<query>`. `base` is GitLab's root
    /// (`https://gitlab.example.com`, `https://host/gitlab/`); trailing
    /// slashes and a pasted trailing `/api/v4` are tolerated.
    pub fn url(&self, base: &str) -> String {
        let mut url = self.endpoint(base);
        if !self.query.is_empty() {
            url.push('?');
            url.push_str(&urlencode_pairs(&self.query));
        }
        url
    }

    /// The URL without the query string: `<base>/api/v4<path>`.
    pub fn endpoint(&self, base: &str) -> String {
        format!("{}/api/v4{}", normalize_base(base), self.path)
    }

    /// The form body, urlencoded, or `None` when the request has no body.
    pub fn form_body(&self) -> Option<String> {
        self.form.as_ref().map(|form| urlencode_pairs(form))
    }

    /// Value of a query parameter, if set.
    pub fn query_value(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The page this request asks for (defaults as GitLab's: page 1, 20 per page).
    pub fn page_query(&self) -> PageQuery {
        let num = |key, default| {
            self.query_value(key)
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        PageQuery::new(num("page", 1), num("per_page", 20))
    }

    /// The same request for another page (for "next page" and "fetch all").
    pub fn with_page(&self, page: u32) -> ApiRequest {
        let mut req = self.clone();
        let page = page.max(1).to_string();
        match req.query.iter_mut().find(|(k, _)| k == "page") {
            Some(pair) => pair.1 = page,
            None => req.query.push(("page".into(), page)),
        }
        req
    }
}

/// GitLab root without trailing slashes or a trailing `/api/v4`.
pub fn normalize_base(base: &str) -> &str {
    let base = base.trim().trim_end_matches('/');
    base.strip_suffix("/api/v4")
        .map(|b| b.trim_end_matches('/'))
        .unwrap_or(base)
}

fn urlencode_pairs(pairs: &[(String, String)]) -> String {
    // Serializing string pairs cannot fail.
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// Percent-encodes one path segment: everything but RFC 3986 unreserved
/// characters, so `group/sub/project` becomes `group%2Fsub%2Fproject`.
pub fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A project, by numeric id or by full path (`group/sub/project`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ProjectRef {
    Id(u64),
    Path(String),
}

impl ProjectRef {
    /// "42" is an id; anything else is a path (whitespace and surrounding
    /// slashes trimmed). `None` for an empty input.
    pub fn parse(input: &str) -> Option<ProjectRef> {
        let s = input.trim().trim_matches('/').trim();
        if s.is_empty() {
            return None;
        }
        Some(match s.parse::<u64>() {
            Ok(id) => ProjectRef::Id(id),
            Err(_) => ProjectRef::Path(s.to_string()),
        })
    }

    /// The `:id` path segment, URL-encoded as one segment.
    pub fn segment(&self) -> String {
        match self {
            ProjectRef::Id(id) => id.to_string(),
            ProjectRef::Path(path) => encode_segment(path),
        }
    }
}

impl fmt::Display for ProjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProjectRef::Id(id) => write!(f, "{id}"),
            ProjectRef::Path(path) => f.write_str(path),
        }
    }
}

/// Defines a string-valued enum with `as_str`, `ALL`, `parse` and `Display`.
macro_rules! str_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $s:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value GitLab uses on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            /// Inverse of `as_str` (case-sensitive, like GitLab).
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

str_enum!(
    /// The `type` filter.
    RunnerType {
        InstanceType => "instance_type",
        GroupType => "group_type",
        ProjectType => "project_type",
    }
);

str_enum!(
    /// The `status` filter. `Active` and `Paused` are deprecated: prefer `paused`.
    StatusFilter {
        Online => "online",
        Offline => "offline",
        Stale => "stale",
        NeverContacted => "never_contacted",
        Active => "active",
        Paused => "paused",
    }
);

impl StatusFilter {
    pub fn is_deprecated(self) -> bool {
        matches!(self, StatusFilter::Active | StatusFilter::Paused)
    }
}

str_enum!(
    /// The deprecated `scope` filter (legacy types, types and statuses).
    Scope {
        Specific => "specific",
        Shared => "shared",
        Active => "active",
        Paused => "paused",
        Online => "online",
        Offline => "offline",
        NeverContacted => "never_contacted",
        Stale => "stale",
        InstanceType => "instance_type",
        GroupType => "group_type",
        ProjectType => "project_type",
    }
);

impl Scope {
    /// Scopes that are statuses: the only ones `GET /runners` accepts.
    pub const STATUSES: &'static [Scope] = &[
        Scope::Active,
        Scope::Paused,
        Scope::Online,
        Scope::Offline,
        Scope::NeverContacted,
        Scope::Stale,
    ];

    pub fn is_status(self) -> bool {
        Scope::STATUSES.contains(&self)
    }
}

str_enum!(
    /// Which refs' jobs a runner may take.
    AccessLevel {
        NotProtected => "not_protected",
        RefProtected => "ref_protected",
    }
);

str_enum!(
    /// The documented `status` filter of a runner's jobs.
    JobStatus {
        Running => "running",
        Success => "success",
        Failed => "failed",
        Canceled => "canceled",
    }
);

str_enum!(
    SortOrder {
        Asc => "asc",
        Desc => "desc",
    }
);

/// Where a runner list comes from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RunnerSource {
    /// `GET /runners`: the user's own runners.
    Owned,
    /// `GET /runners/all`: every runner (administrators only).
    All,
    /// `GET /groups/:id/runners`: the group's runners plus instance runners.
    Group(u64),
    /// `GET /projects/:id/runners`: the project's runners plus instance runners.
    Project(ProjectRef),
}

impl RunnerSource {
    /// Path under `/api/v4`.
    pub fn path(&self) -> String {
        match self {
            RunnerSource::Owned => "/runners".into(),
            RunnerSource::All => "/runners/all".into(),
            RunnerSource::Group(id) => format!("/groups/{id}/runners"),
            RunnerSource::Project(p) => format!("/projects/{}/runners", p.segment()),
        }
    }

    /// The `scope` values this endpoint accepts (others answer 400).
    pub fn scopes(&self) -> &'static [Scope] {
        match self {
            RunnerSource::Owned => Scope::STATUSES,
            RunnerSource::All | RunnerSource::Project(_) => Scope::ALL,
            RunnerSource::Group(_) => &[],
        }
    }

    pub fn accepts_scope(&self, scope: Scope) -> bool {
        self.scopes().contains(&scope)
    }
}

/// Filters of a runner list; they combine (AND).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunnerFilter {
    /// Deprecated; dropped where the source does not accept it (groups).
    pub scope: Option<Scope>,
    pub runner_type: Option<RunnerType>,
    pub status: Option<StatusFilter>,
    pub paused: Option<bool>,
    /// Runners having *all* these tags.
    pub tag_list: Vec<String>,
    /// Newer GitLab only (e.g. `16.`).
    pub version_prefix: Option<String>,
}

impl RunnerFilter {
    /// Query pairs for `source` (without pagination).
    pub fn to_query(&self, source: &RunnerSource) -> Vec<(String, String)> {
        let mut q = Vec::new();
        if let Some(scope) = self.scope.filter(|s| source.accepts_scope(*s)) {
            q.push(pair("scope", scope.as_str()));
        }
        if let Some(t) = self.runner_type {
            q.push(pair("type", t.as_str()));
        }
        if let Some(s) = self.status {
            q.push(pair("status", s.as_str()));
        }
        if let Some(p) = self.paused {
            q.push(pair("paused", bool_str(p)));
        }
        let tags = join_tags(&self.tag_list);
        if !tags.is_empty() {
            q.push(pair("tag_list", &tags));
        }
        if let Some(v) = non_empty(&self.version_prefix) {
            q.push(pair("version_prefix", v));
        }
        q
    }
}

/// Which page to ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PageQuery {
    pub page: u32,
    pub per_page: u32,
}

impl PageQuery {
    pub const MAX_PER_PAGE: u32 = 100;

    /// `page` at least 1, `per_page` clamped to 1..=100 (GitLab's bounds).
    pub fn new(page: u32, per_page: u32) -> Self {
        PageQuery {
            page: page.max(1),
            per_page: per_page.clamp(1, Self::MAX_PER_PAGE),
        }
    }

    fn push_to(self, q: &mut Vec<(String, String)>) {
        // Fields are public, so clamp again here.
        let p = PageQuery::new(self.page, self.per_page);
        q.push(pair("page", &p.page.to_string()));
        q.push(pair("per_page", &p.per_page.to_string()));
    }
}

impl Default for PageQuery {
    fn default() -> Self {
        PageQuery::new(1, 20)
    }
}

/// Changes for `PUT /runners/:id`; `None` fields are left unchanged.
/// GitLab refuses `active` and `paused` together (400).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunnerUpdate {
    pub description: Option<String>,
    pub paused: Option<bool>,
    /// Deprecated inverse of `paused`, for old servers.
    pub active: Option<bool>,
    /// Replaces the whole list; an empty list clears it.
    pub tag_list: Option<Vec<String>>,
    pub run_untagged: Option<bool>,
    pub locked: Option<bool>,
    pub access_level: Option<AccessLevel>,
    /// Seconds; GitLab wants at least 600.
    pub maximum_timeout: Option<u32>,
    pub maintenance_note: Option<String>,
}

impl RunnerUpdate {
    /// True when nothing would change (GitLab answers 400 to an empty PUT).
    pub fn is_empty(&self) -> bool {
        self.to_form().is_empty()
    }

    pub fn to_form(&self) -> Vec<(String, String)> {
        let mut f = Vec::new();
        if let Some(d) = &self.description {
            f.push(pair("description", d));
        }
        push_bool(&mut f, "paused", self.paused);
        push_bool(&mut f, "active", self.active);
        if let Some(tags) = &self.tag_list {
            // Sent even when empty: `tag_list=` clears the tags.
            f.push(pair("tag_list", &join_tags(tags)));
        }
        push_bool(&mut f, "run_untagged", self.run_untagged);
        push_bool(&mut f, "locked", self.locked);
        push_limits(
            &mut f,
            self.access_level,
            self.maximum_timeout,
            &self.maintenance_note,
        );
        f
    }
}

/// Runner metadata sent on registration as `info[...]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunnerInfo {
    pub name: Option<String>,
    pub version: Option<String>,
    pub revision: Option<String>,
    pub platform: Option<String>,
    pub architecture: Option<String>,
}

/// `POST /runners` with a registration token.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RegisterRunner {
    /// Registration token (instance, group or project: it decides the type).
    pub token: String,
    pub description: Option<String>,
    pub info: RunnerInfo,
    pub settings: NewRunnerSettings,
    /// Deprecated opposite of `paused`.
    pub active: Option<bool>,
    /// Deprecated spelling of `maintenance_note`; do not send both.
    pub maintainer_note: Option<String>,
}

/// What a new runner is set up with, registered (`POST /runners`) or created
/// (`POST /user/runners`). `None` leaves a value to GitLab's default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewRunnerSettings {
    pub paused: Option<bool>,
    pub locked: Option<bool>,
    pub run_untagged: Option<bool>,
    pub tag_list: Option<Vec<String>>,
    pub access_level: Option<AccessLevel>,
    pub maximum_timeout: Option<u32>,
    pub maintenance_note: Option<String>,
}

impl NewRunnerSettings {
    fn push_to(&self, f: &mut Vec<(String, String)>) {
        push_bool(f, "paused", self.paused);
        push_bool(f, "locked", self.locked);
        push_bool(f, "run_untagged", self.run_untagged);
        if let Some(tags) = &self.tag_list {
            f.push(pair("tag_list", &join_tags(tags)));
        }
        push_limits(
            f,
            self.access_level,
            self.maximum_timeout,
            &self.maintenance_note,
        );
    }
}

impl fmt::Debug for RegisterRunner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegisterRunner")
            .field("token", &"<redacted>")
            .field("description", &self.description)
            .field("info", &self.info)
            .field("settings", &self.settings)
            .field("active", &self.active)
            .field("maintainer_note", &self.maintainer_note)
            .finish()
    }
}

impl RegisterRunner {
    pub fn to_form(&self) -> Vec<(String, String)> {
        let mut f = vec![pair("token", &self.token)];
        if let Some(d) = &self.description {
            f.push(pair("description", d));
        }
        let info = &self.info;
        for (key, value) in [
            ("info[name]", &info.name),
            ("info[version]", &info.version),
            ("info[revision]", &info.revision),
            ("info[platform]", &info.platform),
            ("info[architecture]", &info.architecture),
        ] {
            if let Some(v) = value {
                f.push(pair(key, v));
            }
        }
        self.settings.push_to(&mut f);
        push_bool(&mut f, "active", self.active);
        if let Some(n) = &self.maintainer_note {
            f.push(pair("maintainer_note", n));
        }
        f
    }
}

/// What `POST /user/runners` creates (GitLab 15.11+): the runner's owner and
/// its settings. No token goes in; the answer carries the new `glrt-` token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateUserRunner {
    pub owner: RunnerOwner,
    pub description: Option<String>,
    pub settings: NewRunnerSettings,
}

/// Whose runner it is: `runner_type` with `group_id` / `project_id` (integers only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunnerOwner {
    Instance,
    Group(u64),
    Project(u64),
}

impl CreateUserRunner {
    pub fn to_form(&self) -> Vec<(String, String)> {
        let mut f = match self.owner {
            RunnerOwner::Instance => vec![pair("runner_type", "instance_type")],
            RunnerOwner::Group(id) => vec![
                pair("runner_type", "group_type"),
                pair("group_id", &id.to_string()),
            ],
            RunnerOwner::Project(id) => vec![
                pair("runner_type", "project_type"),
                pair("project_id", &id.to_string()),
            ],
        };
        if let Some(d) = &self.description {
            f.push(pair("description", d));
        }
        self.settings.push_to(&mut f);
        f
    }
}

/// Filters of `GET /runners/:id/jobs`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobsQuery {
    pub status: Option<JobStatus>,
    pub order_by_id: bool,
    pub sort: Option<SortOrder>,
    /// Only the jobs of this machine (GitLab 16.8+).
    pub system_id: Option<String>,
    /// Keyset pagination (GitLab 18.4+, id descending only): `Some(None)` asks
    /// for the first page, `Some(Some(cursor))` for the page the cursor names.
    pub keyset: Option<Option<String>>,
}

impl JobsQuery {
    pub fn to_query(&self) -> Vec<(String, String)> {
        let mut q = Vec::new();
        if let Some(s) = self.status {
            q.push(pair("status", s.as_str()));
        }
        if let Some(id) = non_empty(&self.system_id) {
            q.push(pair("system_id", id));
        }
        // The doc asks for order_by whenever sort is given.
        if self.order_by_id || self.sort.is_some() {
            q.push(pair("order_by", "id"));
        }
        if let Some(s) = self.sort {
            q.push(pair("sort", s.as_str()));
        }
        if let Some(cursor) = &self.keyset {
            // `cursor` alone is ignored: GitLab needs `pagination=keyset` too.
            q.push(pair("pagination", "keyset"));
            if let Some(c) = non_empty(cursor) {
                q.push(pair("cursor", c));
            }
        }
        q
    }
}

/// Filters of `GET /groups`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupsQuery {
    pub search: Option<String>,
    /// 10 guest, 20 reporter, 30 developer, 40 maintainer, 50 owner.
    pub min_access_level: Option<u32>,
    pub all_available: Option<bool>,
    /// e.g. `name`, `path`, `id`.
    pub order_by: Option<String>,
    pub sort: Option<SortOrder>,
}

impl GroupsQuery {
    pub fn to_query(&self) -> Vec<(String, String)> {
        let mut q = Vec::new();
        if let Some(s) = non_empty(&self.search) {
            q.push(pair("search", s));
        }
        if let Some(l) = self.min_access_level {
            q.push(pair("min_access_level", &l.to_string()));
        }
        push_bool(&mut q, "all_available", self.all_available);
        if let Some(o) = non_empty(&self.order_by) {
            q.push(pair("order_by", o));
        }
        if let Some(s) = self.sort {
            q.push(pair("sort", s.as_str()));
        }
        q
    }
}

/// Filters of `GET /projects`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectsQuery {
    pub search: Option<String>,
    pub min_access_level: Option<u32>,
    /// Only projects the user is a member of (sent only when true).
    pub membership: bool,
    /// Smaller entities (sent only when true).
    pub simple: bool,
    /// Match `search` against the namespace too (sent only when true).
    pub search_namespaces: bool,
    /// e.g. `name`, `path`, `id`, `last_activity_at`.
    pub order_by: Option<String>,
    pub sort: Option<SortOrder>,
}

impl ProjectsQuery {
    pub fn to_query(&self) -> Vec<(String, String)> {
        let mut q = Vec::new();
        if let Some(s) = non_empty(&self.search) {
            q.push(pair("search", s));
        }
        if let Some(l) = self.min_access_level {
            q.push(pair("min_access_level", &l.to_string()));
        }
        for (key, on) in [
            ("membership", self.membership),
            ("simple", self.simple),
            ("search_namespaces", self.search_namespaces),
        ] {
            if on {
                q.push(pair(key, "true"));
            }
        }
        if let Some(o) = non_empty(&self.order_by) {
            q.push(pair("order_by", o));
        }
        if let Some(s) = self.sort {
            q.push(pair("sort", s.as_str()));
        }
        q
    }
}

fn pair(k: &str, v: &str) -> (String, String) {
    (k.to_string(), v.to_string())
}

fn bool_str(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

fn push_bool(f: &mut Vec<(String, String)>, key: &str, value: Option<bool>) {
    if let Some(b) = value {
        f.push(pair(key, bool_str(b)));
    }
}

/// `access_level`, `maximum_timeout` and `maintenance_note`, in that order,
/// where given: the tail of every runner write (update, register, create).
fn push_limits(
    f: &mut Vec<(String, String)>,
    access_level: Option<AccessLevel>,
    maximum_timeout: Option<u32>,
    maintenance_note: &Option<String>,
) {
    if let Some(a) = access_level {
        f.push(pair("access_level", a.as_str()));
    }
    if let Some(t) = maximum_timeout {
        f.push(pair("maximum_timeout", &t.to_string()));
    }
    if let Some(n) = maintenance_note {
        f.push(pair("maintenance_note", n));
    }
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Tags trimmed, blanks dropped, comma-joined (GitLab splits on commas).
fn join_tags(tags: &[String]) -> String {
    let tags: Vec<&str> = tags
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect();
    tags.join(",")
}

// ---- One builder per endpoint ------------------------------------------

/// `GET /runners`, `/runners/all`, `/groups/:id/runners` or `/projects/:id/runners`.
pub fn list_runners(source: &RunnerSource, filter: &RunnerFilter, page: PageQuery) -> ApiRequest {
    let mut q = filter.to_query(source);
    page.push_to(&mut q);
    ApiRequest::get(source.path()).with_query(q)
}

/// One runner of a list, for its `X-Total`: how many runners it holds.
pub fn count_runners(source: &RunnerSource, filter: &RunnerFilter) -> ApiRequest {
    list_runners(source, filter, PageQuery::new(1, 1))
}

/// `GET /projects/:id/runners`.
pub fn project_runners(project: &ProjectRef, filter: &RunnerFilter, page: PageQuery) -> ApiRequest {
    list_runners(&RunnerSource::Project(project.clone()), filter, page)
}

/// `GET /runners/:id`.
pub fn get_runner(id: u64) -> ApiRequest {
    ApiRequest::get(format!("/runners/{id}"))
}

/// `GET /runners/:id?include_projects=false` (GitLab 18.4+), for callers that
/// do not need the projects: they can be thousands, and make the answer slow.
/// Older GitLab ignores the parameter and sends them anyway.
pub fn get_runner_without_projects(id: u64) -> ApiRequest {
    get_runner(id).with_query(vec![pair("include_projects", "false")])
}

/// `GET /runners/:id/projects` (GitLab 18.4+), paged.
pub fn runner_projects(id: u64, page: PageQuery) -> ApiRequest {
    let mut q = Vec::new();
    page.push_to(&mut q);
    ApiRequest::get(format!("/runners/{id}/projects")).with_query(q)
}

/// `PUT /runners/:id`.
pub fn update_runner(id: u64, update: &RunnerUpdate) -> ApiRequest {
    ApiRequest::new(Method::Put, format!("/runners/{id}")).with_form(update.to_form())
}

/// `DELETE /runners/:id` (204).
pub fn delete_runner(id: u64) -> ApiRequest {
    ApiRequest::new(Method::Delete, format!("/runners/{id}"))
}

/// `GET /runners/:id/jobs`.
pub fn runner_jobs(id: u64, query: &JobsQuery, page: PageQuery) -> ApiRequest {
    let mut q = query.to_query();
    page.push_to(&mut q);
    ApiRequest::get(format!("/runners/{id}/jobs")).with_query(q)
}

/// `GET /runners/:id/managers` (newer GitLab; older answers 404).
pub fn runner_managers(id: u64) -> ApiRequest {
    ApiRequest::get(format!("/runners/{id}/managers"))
}

/// `POST /projects/:id/runners` with `runner_id` (201, basic runner entity).
pub fn enable_project_runner(project: &ProjectRef, runner_id: u64) -> ApiRequest {
    ApiRequest::new(
        Method::Post,
        format!("/projects/{}/runners", project.segment()),
    )
    .with_form(vec![pair("runner_id", &runner_id.to_string())])
}

/// `DELETE /projects/:id/runners/:runner_id` (204).
pub fn disable_project_runner(project: &ProjectRef, runner_id: u64) -> ApiRequest {
    ApiRequest::new(
        Method::Delete,
        format!("/projects/{}/runners/{runner_id}", project.segment()),
    )
}

/// `POST /runners` (no user token; 201 [`crate::api::model::RegisteredRunner`]).
pub fn register_runner(reg: &RegisterRunner) -> ApiRequest {
    ApiRequest::new(Method::Post, "/runners")
        .with_form(reg.to_form())
        .anonymous()
}

/// `POST /user/runners` (201 `{id, token, token_expires_at}`).
pub fn create_user_runner(runner: &CreateUserRunner) -> ApiRequest {
    ApiRequest::new(Method::Post, "/user/runners").with_form(runner.to_form())
}

/// `DELETE /runners` with the runner's authentication token (204).
pub fn delete_runner_by_token(token: &str) -> ApiRequest {
    ApiRequest::new(Method::Delete, "/runners")
        .with_form(vec![pair("token", token)])
        .anonymous()
}

/// `POST /runners/verify` (200; 403 when the token is invalid).
pub fn verify_runner(token: &str) -> ApiRequest {
    ApiRequest::new(Method::Post, "/runners/verify")
        .with_form(vec![pair("token", token)])
        .anonymous()
}

/// `POST /runners/reset_registration_token` (admin; 201 token).
pub fn reset_instance_registration_token() -> ApiRequest {
    ApiRequest::new(Method::Post, "/runners/reset_registration_token")
}

/// `POST /groups/:id/runners/reset_registration_token`.
pub fn reset_group_registration_token(group_id: u64) -> ApiRequest {
    ApiRequest::new(
        Method::Post,
        format!("/groups/{group_id}/runners/reset_registration_token"),
    )
}

/// `POST /projects/:id/runners/reset_registration_token`.
pub fn reset_project_registration_token(project: &ProjectRef) -> ApiRequest {
    ApiRequest::new(
        Method::Post,
        format!(
            "/projects/{}/runners/reset_registration_token",
            project.segment()
        ),
    )
}

/// `POST /runners/:id/reset_authentication_token` (user token; 201 token).
pub fn reset_runner_token_by_id(id: u64) -> ApiRequest {
    ApiRequest::new(
        Method::Post,
        format!("/runners/{id}/reset_authentication_token"),
    )
}

/// `POST /runners/reset_authentication_token` with the current runner token.
pub fn reset_runner_token_by_token(token: &str) -> ApiRequest {
    ApiRequest::new(Method::Post, "/runners/reset_authentication_token")
        .with_form(vec![pair("token", token)])
        .anonymous()
}

/// `GET /user`: checks the token and tells whether the user is an admin.
pub fn current_user() -> ApiRequest {
    ApiRequest::get("/user")
}

/// `GET /version`.
pub fn version() -> ApiRequest {
    ApiRequest::get("/version")
}

/// `GET /groups`.
pub fn list_groups(query: &GroupsQuery, page: PageQuery) -> ApiRequest {
    let mut q = query.to_query();
    page.push_to(&mut q);
    ApiRequest::get("/groups").with_query(q)
}

/// `GET /projects`.
pub fn list_projects(query: &ProjectsQuery, page: PageQuery) -> ApiRequest {
    let mut q = query.to_query();
    page.push_to(&mut q);
    ApiRequest::get("/projects").with_query(q)
}

/// `GET /groups/:id`.
pub fn get_group(id: u64) -> ApiRequest {
    ApiRequest::get(format!("/groups/{id}"))
}

/// `GET /groups/:id` by id or full path (a group's reference has a project's shape).
pub fn find_group(group: &ProjectRef) -> ApiRequest {
    ApiRequest::get(format!("/groups/{}", group.segment()))
}

/// `GET /projects/:id`.
pub fn get_project(project: &ProjectRef) -> ApiRequest {
    ApiRequest::get(format!("/projects/{}", project.segment()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| pair(k, v)).collect()
    }

    const BASE: &str = "https://gitlab.example.com";

    #[test]
    fn method_strings() {
        assert_eq!(Method::Get.as_str(), "GET");
        assert_eq!(Method::Post.as_str(), "POST");
        assert_eq!(Method::Put.as_str(), "PUT");
        assert_eq!(Method::Delete.as_str(), "DELETE");
    }

    #[test]
    fn base_url_joining() {
        let r = get_runner(6);
        for base in [
            "https://gitlab.example.com",
            "https://gitlab.example.com/",
            "https://gitlab.example.com///",
            " https://gitlab.example.com/api/v4/ ",
        ] {
            assert_eq!(r.url(base), "https://gitlab.example.com/api/v4/runners/6");
        }
        assert_eq!(
            r.url("https://host/gitlab/"),
            "https://host/gitlab/api/v4/runners/6"
        );
        assert_eq!(
            r.url("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080/api/v4/runners/6"
        );
        // Same-origin deployments may use an empty base.
        assert_eq!(r.url(""), "/api/v4/runners/6");
        let r = list_runners(
            &RunnerSource::Owned,
            &RunnerFilter::default(),
            PageQuery::default(),
        );
        assert_eq!(
            r.endpoint("https://h/gitlab/"),
            "https://h/gitlab/api/v4/runners"
        );
        assert_eq!(
            r.url("https://h/gitlab/"),
            "https://h/gitlab/api/v4/runners?page=1&per_page=20"
        );
    }

    #[test]
    fn url_with_query() {
        let r = list_runners(
            &RunnerSource::All,
            &RunnerFilter {
                tag_list: vec!["ruby".into(), "my sql".into()],
                ..Default::default()
            },
            PageQuery::new(2, 50),
        );
        assert_eq!(
            r.url("https://gitlab.example.com/"),
            "https://gitlab.example.com/api/v4/runners/all?tag_list=ruby%2Cmy+sql&page=2&per_page=50"
        );
    }

    #[test]
    fn list_owned_runners_default() {
        let r = list_runners(
            &RunnerSource::Owned,
            &RunnerFilter::default(),
            PageQuery::default(),
        );
        assert_eq!(r.method, Method::Get);
        assert_eq!(r.path, "/runners");
        assert_eq!(r.query, q(&[("page", "1"), ("per_page", "20")]));
        assert_eq!(r.form, None);
        assert_eq!(r.auth, Auth::User);
        assert_eq!(r.form_body(), None);
    }

    #[test]
    fn list_runners_all_filters() {
        let filter = RunnerFilter {
            scope: Some(Scope::Shared),
            runner_type: Some(RunnerType::ProjectType),
            status: Some(StatusFilter::NeverContacted),
            paused: Some(false),
            tag_list: vec![" tag1".into(), "".into(), "tag2 ".into()],
            version_prefix: Some("16.".into()),
        };
        let r = list_runners(&RunnerSource::All, &filter, PageQuery::new(3, 100));
        assert_eq!(r.path, "/runners/all");
        assert_eq!(
            r.query,
            q(&[
                ("scope", "shared"),
                ("type", "project_type"),
                ("status", "never_contacted"),
                ("paused", "false"),
                ("tag_list", "tag1,tag2"),
                ("version_prefix", "16."),
                ("page", "3"),
                ("per_page", "100"),
            ])
        );
        assert_eq!(
            r.url(BASE),
            "https://gitlab.example.com/api/v4/runners/all?scope=shared&type=project_type\
             &status=never_contacted&paused=false&tag_list=tag1%2Ctag2&version_prefix=16.\
             &page=3&per_page=100"
        );
    }

    #[test]
    fn scope_per_source() {
        let filter = |s| RunnerFilter {
            scope: Some(s),
            ..Default::default()
        };
        let page = PageQuery::default();
        // Group lists take no scope at all.
        let r = list_runners(&RunnerSource::Group(9), &filter(Scope::Online), page);
        assert_eq!(r.path, "/groups/9/runners");
        assert_eq!(r.query_value("scope"), None);
        // /runners takes statuses only.
        let r = list_runners(&RunnerSource::Owned, &filter(Scope::Online), page);
        assert_eq!(r.query_value("scope"), Some("online"));
        let r = list_runners(&RunnerSource::Owned, &filter(Scope::Shared), page);
        assert_eq!(r.query_value("scope"), None);
        // Projects and /runners/all take them all.
        let p = RunnerSource::Project(ProjectRef::Id(9));
        let r = list_runners(&p, &filter(Scope::Specific), page);
        assert_eq!(r.query_value("scope"), Some("specific"));

        assert_eq!(RunnerSource::Owned.scopes().len(), 6);
        assert!(RunnerSource::Owned.accepts_scope(Scope::Stale));
        assert!(!RunnerSource::Owned.accepts_scope(Scope::InstanceType));
        assert_eq!(RunnerSource::All.scopes().len(), 11);
        assert!(p.accepts_scope(Scope::ProjectType));
        assert!(RunnerSource::Group(1).scopes().is_empty());
    }

    #[test]
    fn empty_tags_and_version_omitted() {
        let filter = RunnerFilter {
            tag_list: vec![" ".into()],
            version_prefix: Some("  ".into()),
            paused: Some(true),
            ..Default::default()
        };
        let r = list_runners(&RunnerSource::Owned, &filter, PageQuery::default());
        assert_eq!(
            r.query,
            q(&[("paused", "true"), ("page", "1"), ("per_page", "20")])
        );
    }

    #[test]
    fn page_query_clamped() {
        assert_eq!(
            PageQuery::new(0, 500),
            PageQuery {
                page: 1,
                per_page: 100
            }
        );
        assert_eq!(PageQuery::new(7, 0).per_page, 1);
        // Out-of-range values set directly are clamped when sent.
        let raw = PageQuery {
            page: 0,
            per_page: 1000,
        };
        let r = runner_jobs(1, &JobsQuery::default(), raw);
        assert_eq!(r.query, q(&[("page", "1"), ("per_page", "100")]));
    }

    #[test]
    fn with_page_and_page_query() {
        let r = list_runners(
            &RunnerSource::All,
            &RunnerFilter::default(),
            PageQuery::new(1, 50),
        );
        let r2 = r.with_page(4);
        assert_eq!(r2.query_value("page"), Some("4"));
        assert_eq!(r2.query_value("per_page"), Some("50"));
        assert_eq!(r2.page_query(), PageQuery::new(4, 50));
        assert_eq!(get_runner(1).page_query(), PageQuery::new(1, 20));
        assert_eq!(get_runner(1).with_page(2).query, q(&[("page", "2")]));
    }

    #[test]
    fn project_refs() {
        assert_eq!(ProjectRef::parse("42"), Some(ProjectRef::Id(42)));
        assert_eq!(ProjectRef::parse(" 42 "), Some(ProjectRef::Id(42)));
        assert_eq!(
            ProjectRef::parse("  group/sub/project "),
            Some(ProjectRef::Path("group/sub/project".into()))
        );
        assert_eq!(
            ProjectRef::parse("/group/project/"),
            Some(ProjectRef::Path("group/project".into()))
        );
        assert_eq!(ProjectRef::parse("-1"), Some(ProjectRef::Path("-1".into())));
        assert_eq!(ProjectRef::parse("   "), None);
        assert_eq!(
            ProjectRef::Path("group/sub/project".into()).segment(),
            "group%2Fsub%2Fproject"
        );
        assert_eq!(
            ProjectRef::Path("my group/a.b_c-d~e+f".into()).segment(),
            "my%20group%2Fa.b_c-d~e%2Bf"
        );
        assert_eq!(ProjectRef::Path("ü".into()).segment(), "%C3%BC");
        assert_eq!(ProjectRef::Id(9).to_string(), "9");
        assert_eq!(ProjectRef::Path("a/b".into()).to_string(), "a/b");
    }

    #[test]
    fn project_runner_endpoints() {
        let p = ProjectRef::Path("group/sub/project".into());
        let r = project_runners(
            &p,
            &RunnerFilter {
                runner_type: Some(RunnerType::InstanceType),
                ..Default::default()
            },
            PageQuery::default(),
        );
        assert_eq!(r.method, Method::Get);
        assert_eq!(r.path, "/projects/group%2Fsub%2Fproject/runners");
        assert_eq!(
            r.url(BASE),
            "https://gitlab.example.com/api/v4/projects/group%2Fsub%2Fproject/runners\
             ?type=instance_type&page=1&per_page=20"
        );

        let r = enable_project_runner(&p, 9);
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.path, "/projects/group%2Fsub%2Fproject/runners");
        assert_eq!(r.form, Some(q(&[("runner_id", "9")])));
        assert_eq!(r.form_body().as_deref(), Some("runner_id=9"));
        assert_eq!(r.auth, Auth::User);

        let r = disable_project_runner(&ProjectRef::Id(9), 12);
        assert_eq!(r.method, Method::Delete);
        assert_eq!(r.path, "/projects/9/runners/12");
        assert_eq!(r.form, None);
        assert_eq!(r.auth, Auth::User);

        let r = reset_project_registration_token(&p);
        assert_eq!(r.method, Method::Post);
        assert_eq!(
            r.path,
            "/projects/group%2Fsub%2Fproject/runners/reset_registration_token"
        );
        assert_eq!(r.auth, Auth::User);

        let r = get_project(&p);
        assert_eq!(
            (r.method, r.path.as_str()),
            (Method::Get, "/projects/group%2Fsub%2Fproject")
        );
    }

    #[test]
    fn single_runner_endpoints() {
        let r = get_runner(6);
        assert_eq!(
            (r.method, r.path.as_str(), r.auth),
            (Method::Get, "/runners/6", Auth::User)
        );
        assert!(r.query.is_empty() && r.form.is_none());

        let r = get_runner_without_projects(6);
        assert_eq!((r.method, r.path.as_str()), (Method::Get, "/runners/6"));
        assert_eq!(r.query, q(&[("include_projects", "false")]));

        let r = runner_projects(6, PageQuery::new(3, 50));
        assert_eq!(
            (r.method, r.path.as_str()),
            (Method::Get, "/runners/6/projects")
        );
        assert_eq!(r.query, q(&[("page", "3"), ("per_page", "50")]));
        assert_eq!(r.page_query(), PageQuery::new(3, 50));

        let r = delete_runner(6);
        assert_eq!(
            (r.method, r.path.as_str(), r.auth),
            (Method::Delete, "/runners/6", Auth::User)
        );
        assert!(r.form.is_none());

        let r = runner_managers(6);
        assert_eq!(
            (r.method, r.path.as_str()),
            (Method::Get, "/runners/6/managers")
        );

        let r = reset_runner_token_by_id(6);
        assert_eq!(
            (r.method, r.path.as_str(), r.auth),
            (
                Method::Post,
                "/runners/6/reset_authentication_token",
                Auth::User
            )
        );
        assert!(r.form.is_none());
    }

    #[test]
    fn runner_jobs_query() {
        let r = runner_jobs(1, &JobsQuery::default(), PageQuery::default());
        assert_eq!(r.path, "/runners/1/jobs");
        assert_eq!(r.query, q(&[("page", "1"), ("per_page", "20")]));

        let r = runner_jobs(
            1,
            &JobsQuery {
                status: Some(JobStatus::Running),
                order_by_id: false,
                sort: Some(SortOrder::Asc),
                ..Default::default()
            },
            PageQuery::new(2, 10),
        );
        assert_eq!(
            r.url(BASE),
            "https://gitlab.example.com/api/v4/runners/1/jobs?status=running&order_by=id&sort=asc&page=2&per_page=10"
        );

        let r = runner_jobs(
            1,
            &JobsQuery {
                order_by_id: true,
                ..Default::default()
            },
            PageQuery::default(),
        );
        assert_eq!(r.query_value("order_by"), Some("id"));
        assert_eq!(r.query_value("sort"), None);

        // One machine's jobs, by cursor: GitLab ignores `cursor` without `pagination=keyset`.
        let by_cursor = JobsQuery {
            system_id: Some("s_0123456789ab".into()),
            sort: Some(SortOrder::Desc),
            keyset: Some(Some("eyJpZCI6IjQyIn0=".into())),
            ..Default::default()
        };
        let r = runner_jobs(1, &by_cursor, PageQuery::new(1, 20));
        assert_eq!(
            r.url(BASE),
            "https://gitlab.example.com/api/v4/runners/1/jobs?system_id=s_0123456789ab&order_by=id&sort=desc&pagination=keyset&cursor=eyJpZCI6IjQyIn0%3D&page=1&per_page=20"
        );
        let first = JobsQuery {
            keyset: Some(None),
            ..by_cursor
        };
        assert_eq!(
            runner_jobs(1, &first, PageQuery::default()).query_value("cursor"),
            None
        );
        assert_eq!(
            runner_jobs(1, &first, PageQuery::default()).query_value("pagination"),
            Some("keyset")
        );
    }

    #[test]
    fn update_runner_form() {
        let update = RunnerUpdate {
            description: Some("test-1-20150125-test".into()),
            paused: Some(true),
            tag_list: Some(vec![
                "ruby".into(),
                "mysql".into(),
                "tag1".into(),
                "tag2".into(),
            ]),
            run_untagged: Some(false),
            locked: Some(true),
            access_level: Some(AccessLevel::RefProtected),
            maximum_timeout: Some(3600),
            maintenance_note: Some("a & b".into()),
            active: None,
        };
        let r = update_runner(6, &update);
        assert_eq!(
            (r.method, r.path.as_str(), r.auth),
            (Method::Put, "/runners/6", Auth::User)
        );
        assert!(r.query.is_empty());
        assert_eq!(
            r.form_body().unwrap(),
            "description=test-1-20150125-test&paused=true&tag_list=ruby%2Cmysql%2Ctag1%2Ctag2\
             &run_untagged=false&locked=true&access_level=ref_protected&maximum_timeout=3600\
             &maintenance_note=a+%26+b"
        );
        assert!(!update.is_empty());
    }

    #[test]
    fn update_runner_clear_tags_and_empty() {
        let empty = RunnerUpdate::default();
        assert!(empty.is_empty());
        assert_eq!(update_runner(1, &empty).form_body().as_deref(), Some(""));

        let clear = RunnerUpdate {
            tag_list: Some(vec![]),
            ..Default::default()
        };
        assert!(!clear.is_empty());
        assert_eq!(
            update_runner(1, &clear).form_body().as_deref(),
            Some("tag_list=")
        );

        let active = RunnerUpdate {
            active: Some(false),
            ..Default::default()
        };
        assert_eq!(
            update_runner(1, &active).form,
            Some(q(&[("active", "false")]))
        );
    }

    #[test]
    fn register_runner_form() {
        let reg = RegisterRunner {
            token: "GR1348941secret".into(),
            description: Some("test-1-20150125-test".into()),
            info: RunnerInfo {
                name: Some("gitlab-runner".into()),
                version: Some("15.8.0".into()),
                revision: None,
                platform: Some("linux".into()),
                architecture: Some("amd64".into()),
            },
            settings: NewRunnerSettings {
                paused: Some(false),
                locked: Some(true),
                run_untagged: Some(true),
                tag_list: Some(vec!["ruby".into(), "mysql".into()]),
                access_level: Some(AccessLevel::NotProtected),
                maximum_timeout: Some(600),
                maintenance_note: Some("note".into()),
            },
            ..Default::default()
        };
        let r = register_runner(&reg);
        assert_eq!(
            (r.method, r.path.as_str(), r.auth),
            (Method::Post, "/runners", Auth::None)
        );
        assert!(r.query.is_empty());
        let form = r.form.clone().unwrap();
        assert_eq!(form[0], pair("token", "GR1348941secret"));
        assert!(form.contains(&pair("info[name]", "gitlab-runner")));
        assert!(!form.iter().any(|(k, _)| k == "info[revision]"));
        assert_eq!(
            r.form_body().unwrap(),
            "token=GR1348941secret&description=test-1-20150125-test\
             &info%5Bname%5D=gitlab-runner&info%5Bversion%5D=15.8.0&info%5Bplatform%5D=linux\
             &info%5Barchitecture%5D=amd64&paused=false&locked=true&run_untagged=true\
             &tag_list=ruby%2Cmysql&access_level=not_protected&maximum_timeout=600\
             &maintenance_note=note"
        );
        // The token stays out of the URL and out of Debug output.
        assert!(!r.url(BASE).contains("GR1348941"));
        assert!(!format!("{r:?}").contains("GR1348941"));
        assert!(!format!("{reg:?}").contains("GR1348941"));

        let minimal = register_runner(&RegisterRunner {
            token: "t".into(),
            maintainer_note: Some("old".into()),
            ..Default::default()
        });
        assert_eq!(
            minimal.form_body().as_deref(),
            Some("token=t&maintainer_note=old")
        );
    }

    #[test]
    fn runner_token_endpoints_use_body_not_url() {
        let token = "glrt-abc/def+1";
        for (r, method, path) in [
            (delete_runner_by_token(token), Method::Delete, "/runners"),
            (verify_runner(token), Method::Post, "/runners/verify"),
            (
                reset_runner_token_by_token(token),
                Method::Post,
                "/runners/reset_authentication_token",
            ),
        ] {
            assert_eq!(r.method, method);
            assert_eq!(r.path, path);
            assert_eq!(r.auth, Auth::None);
            assert!(r.query.is_empty());
            assert_eq!(r.form, Some(q(&[("token", token)])));
            assert_eq!(r.form_body().as_deref(), Some("token=glrt-abc%2Fdef%2B1"));
            assert!(!r.url(BASE).contains("glrt"));
            assert!(!format!("{r:?}").contains("glrt"));
        }
    }

    #[test]
    fn registration_token_resets() {
        let r = reset_instance_registration_token();
        assert_eq!(
            (r.method, r.path.as_str(), r.auth),
            (
                Method::Post,
                "/runners/reset_registration_token",
                Auth::User
            )
        );
        let r = reset_group_registration_token(9);
        assert_eq!(
            (r.method, r.path.as_str(), r.auth),
            (
                Method::Post,
                "/groups/9/runners/reset_registration_token",
                Auth::User
            )
        );
        let r = reset_project_registration_token(&ProjectRef::Id(9));
        assert_eq!(r.path, "/projects/9/runners/reset_registration_token");
        assert!(r.form.is_none());
    }

    #[test]
    fn user_version_groups_projects() {
        let r = current_user();
        assert_eq!(
            (r.method, r.path.as_str(), r.auth),
            (Method::Get, "/user", Auth::User)
        );
        let r = version();
        assert_eq!((r.method, r.path.as_str()), (Method::Get, "/version"));
        let r = get_group(5);
        assert_eq!((r.method, r.path.as_str()), (Method::Get, "/groups/5"));

        let r = list_groups(
            &GroupsQuery {
                search: Some("ops team".into()),
                min_access_level: Some(40),
                all_available: Some(true),
                order_by: Some("name".into()),
                sort: Some(SortOrder::Asc),
            },
            PageQuery::new(1, 100),
        );
        assert_eq!(
            r.url(BASE),
            "https://gitlab.example.com/api/v4/groups?search=ops+team&min_access_level=40\
             &all_available=true&order_by=name&sort=asc&page=1&per_page=100"
        );
        let r = list_groups(&GroupsQuery::default(), PageQuery::default());
        assert_eq!(r.query, q(&[("page", "1"), ("per_page", "20")]));

        let r = list_projects(
            &ProjectsQuery {
                search: Some("web".into()),
                min_access_level: Some(40),
                membership: true,
                simple: true,
                search_namespaces: false,
                order_by: None,
                sort: None,
            },
            PageQuery::default(),
        );
        assert_eq!(r.path, "/projects");
        assert_eq!(
            r.query,
            q(&[
                ("search", "web"),
                ("min_access_level", "40"),
                ("membership", "true"),
                ("simple", "true"),
                ("page", "1"),
                ("per_page", "20"),
            ])
        );
    }

    #[test]
    fn enums_round_trip() {
        for t in RunnerType::ALL {
            assert_eq!(RunnerType::parse(t.as_str()), Some(*t));
        }
        for s in StatusFilter::ALL {
            assert_eq!(StatusFilter::parse(s.as_str()), Some(*s));
        }
        for s in Scope::ALL {
            assert_eq!(Scope::parse(s.as_str()), Some(*s));
        }
        for a in AccessLevel::ALL {
            assert_eq!(AccessLevel::parse(a.as_str()), Some(*a));
        }
        for j in JobStatus::ALL {
            assert_eq!(JobStatus::parse(j.as_str()), Some(*j));
        }
        for s in SortOrder::ALL {
            assert_eq!(SortOrder::parse(s.as_str()), Some(*s));
        }
        assert_eq!(RunnerType::ALL.len(), 3);
        assert_eq!(StatusFilter::ALL.len(), 6);
        assert_eq!(Scope::ALL.len(), 11);
        assert_eq!(JobStatus::ALL.len(), 4);
        assert_eq!(
            StatusFilter::parse("never_contacted"),
            Some(StatusFilter::NeverContacted)
        );
        assert_eq!(StatusFilter::parse("not_connected"), None);
        assert_eq!(RunnerType::parse("Instance_type"), None);
        assert!(StatusFilter::Paused.is_deprecated());
        assert!(!StatusFilter::Online.is_deprecated());
        assert!(Scope::NeverContacted.is_status());
        assert!(!Scope::Specific.is_status());
        assert_eq!(AccessLevel::RefProtected.to_string(), "ref_protected");
    }
}
