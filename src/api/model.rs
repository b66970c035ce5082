//! GitLab entities as the console reads them. Every struct is tolerant:
//! unknown fields are ignored, anything an older or newer GitLab may omit
//! defaults, and `null` is accepted wherever a field may be absent.

use std::fmt;

use crate::json::{self, Value};

use super::error::ApiError;
use super::json::{Fields, FromJson};

/// Parses a JSON body into `T`; errors become short [`ApiError::Decode`]s.
pub fn decode<T: FromJson>(text: &str) -> Result<T, ApiError> {
    if text.trim().is_empty() {
        return Err(ApiError::Decode("empty response body".into()));
    }
    // A login page, a proxy's welcome page, a web server's index: not an API.
    if text.trim_start().starts_with('<') {
        return Err(ApiError::NotGitLab);
    }
    let value = json::parse(text).map_err(|e| ApiError::Decode(format!("not valid JSON: {e}")))?;
    T::from_json(&value).map_err(|e| ApiError::Decode(short_decode_message(&e)))
}

/// At most 160 characters: a decode error is shown to the user.
fn short_decode_message(msg: &str) -> String {
    match msg.char_indices().nth(160) {
        Some((cut, _)) => format!("{}…", &msg[..cut]),
        None => msg.to_string(),
    }
}

/// `runner_type` of a runner; unknown values are kept as they come.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RunnerKind {
    InstanceType,
    GroupType,
    ProjectType,
    Other(String),
}

impl RunnerKind {
    pub fn as_str(&self) -> &str {
        match self {
            RunnerKind::InstanceType => "instance_type",
            RunnerKind::GroupType => "group_type",
            RunnerKind::ProjectType => "project_type",
            RunnerKind::Other(s) => s,
        }
    }

    /// Short human label ("Instance", "Group", "Project", or the raw value).
    pub fn label(&self) -> &str {
        match self {
            RunnerKind::InstanceType => "Instance",
            RunnerKind::GroupType => "Group",
            RunnerKind::ProjectType => "Project",
            RunnerKind::Other(s) if s.is_empty() => "Unknown",
            RunnerKind::Other(s) => s,
        }
    }
}

impl Default for RunnerKind {
    fn default() -> Self {
        RunnerKind::Other(String::new())
    }
}

impl From<&str> for RunnerKind {
    fn from(s: &str) -> Self {
        match s {
            "instance_type" => RunnerKind::InstanceType,
            "group_type" => RunnerKind::GroupType,
            "project_type" => RunnerKind::ProjectType,
            other => RunnerKind::Other(other.to_string()),
        }
    }
}

impl fmt::Display for RunnerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Paused flag from `paused`, else `!active`, else a legacy `paused` status.
fn paused_of(paused: Option<bool>, active: Option<bool>, status: &str) -> bool {
    paused.or(active.map(|a| !a)).unwrap_or(status == "paused")
}

/// A runner as lists (and enable/disable) return it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Runner {
    pub id: u64,
    pub description: Option<String>,
    /// Dropped from lists by newer GitLab.
    pub ip_address: Option<String>,
    /// Deprecated inverse of `paused`; older GitLab sends only this.
    pub active: Option<bool>,
    pub paused: Option<bool>,
    pub is_shared: bool,
    pub runner_type: RunnerKind,
    pub name: Option<String>,
    /// `null` for never-contacted runners.
    pub online: Option<bool>,
    /// As GitLab sends it (`online`, `offline`, `stale`, `never_contacted`,
    /// and on old servers `paused`, `not_connected`): display unknown values as is.
    pub status: String,
    pub created_at: Option<String>,
    /// Only some servers include tags in lists.
    pub tag_list: Option<Vec<String>>,
}

/// How the console names a runner to people: "#12 (api-spot-12)", or "#12".
pub fn display_name(id: u64, description: Option<&str>) -> String {
    match description.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => format!("#{id} ({d})"),
        None => format!("#{id}"),
    }
}

impl Runner {
    pub fn display_name(&self) -> String {
        display_name(self.id, self.description.as_deref())
    }

    pub fn is_paused(&self) -> bool {
        paused_of(self.paused, self.active, &self.status)
    }
}

/// A project a runner is assigned to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunnerProject {
    pub id: u64,
    pub name: String,
    pub name_with_namespace: String,
    pub path: String,
    pub path_with_namespace: String,
}

/// A group a runner belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunnerGroup {
    pub id: u64,
    pub name: String,
    pub web_url: Option<String>,
}

/// One runner in full (`GET`/`PUT /runners/:id`). Repeats `Runner`'s fields
/// rather than flattening, so both read the same way in the UI.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunnerDetails {
    pub id: u64,
    pub description: Option<String>,
    pub ip_address: Option<String>,
    pub active: Option<bool>,
    pub paused: Option<bool>,
    pub is_shared: bool,
    pub runner_type: RunnerKind,
    pub name: Option<String>,
    pub online: Option<bool>,
    pub status: String,
    pub created_at: Option<String>,
    pub tag_list: Vec<String>,
    pub run_untagged: Option<bool>,
    pub locked: Option<bool>,
    /// Seconds; `null` when unset.
    pub maximum_timeout: Option<u64>,
    /// `not_protected` or `ref_protected` (kept as a string for unknown values).
    pub access_level: Option<String>,
    pub version: Option<String>,
    pub revision: Option<String>,
    pub platform: Option<String>,
    pub architecture: Option<String>,
    pub contacted_at: Option<String>,
    pub maintenance_note: Option<String>,
    /// Older spelling of `maintenance_note`.
    pub maintainer_note: Option<String>,
    pub projects: Vec<RunnerProject>,
    pub groups: Vec<RunnerGroup>,
}

impl RunnerDetails {
    pub fn is_paused(&self) -> bool {
        paused_of(self.paused, self.active, &self.status)
    }

    /// The maintenance note under either spelling.
    pub fn note(&self) -> Option<&str> {
        self.maintenance_note
            .as_deref()
            .or(self.maintainer_note.as_deref())
    }

    /// The list-entity view of this runner.
    pub fn to_runner(&self) -> Runner {
        Runner {
            id: self.id,
            description: self.description.clone(),
            ip_address: self.ip_address.clone(),
            active: self.active,
            paused: self.paused,
            is_shared: self.is_shared,
            runner_type: self.runner_type.clone(),
            name: self.name.clone(),
            online: self.online,
            status: self.status.clone(),
            created_at: self.created_at.clone(),
            tag_list: Some(self.tag_list.clone()),
        }
    }
}

/// The user who started a job.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobUser {
    pub id: u64,
    pub name: String,
    pub username: String,
    pub state: Option<String>,
    pub avatar_url: Option<String>,
    pub web_url: Option<String>,
    pub created_at: Option<String>,
}

/// The commit a job ran on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobCommit {
    /// Full SHA.
    pub id: String,
    pub short_id: String,
    pub title: String,
    pub message: Option<String>,
    pub author_name: Option<String>,
    pub author_email: Option<String>,
    pub authored_date: Option<String>,
    pub committer_name: Option<String>,
    pub committer_email: Option<String>,
    pub committed_date: Option<String>,
    pub created_at: Option<String>,
    pub parent_ids: Vec<String>,
    pub web_url: Option<String>,
}

/// The pipeline a job belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobPipeline {
    pub id: u64,
    pub project_id: Option<u64>,
    pub sha: String,
    pub git_ref: Option<String>,
    pub status: String,
    pub web_url: Option<String>,
}

/// The project a job belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobProject {
    pub id: u64,
    pub description: Option<String>,
    pub name: String,
    pub name_with_namespace: String,
    pub path: String,
    pub path_with_namespace: String,
    pub created_at: Option<String>,
    pub web_url: Option<String>,
}

/// A job processed by a runner (`GET /runners/:id/jobs`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunnerJob {
    pub id: u64,
    /// `created waiting_for_resource preparing pending running success failed
    /// canceled skipped manual scheduled`, or anything newer: shown as is.
    pub status: String,
    pub stage: Option<String>,
    pub name: Option<String>,
    pub git_ref: Option<String>,
    pub tag: bool,
    pub coverage: Option<f64>,
    pub allow_failure: bool,
    pub created_at: Option<String>,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// Seconds.
    pub duration: Option<f64>,
    /// Seconds spent waiting for a runner.
    pub queued_duration: Option<f64>,
    pub failure_reason: Option<String>,
    pub ip_address: Option<String>,
    pub web_url: Option<String>,
    pub user: Option<JobUser>,
    pub commit: Option<JobCommit>,
    pub pipeline: Option<JobPipeline>,
    pub project: Option<JobProject>,
}

/// A new token: registration token resets, runner token resets.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TokenResponse {
    pub token: String,
    pub token_expires_at: Option<String>,
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("token", &"<redacted>")
            .field("token_expires_at", &self.token_expires_at)
            .finish()
    }
}

/// Answer to `POST /runners` (and to `POST /runners/verify` on newer GitLab).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RegisteredRunner {
    pub id: u64,
    /// The authentication token: GitLab shows it only once.
    pub token: String,
    pub token_expires_at: Option<String>,
}

impl fmt::Debug for RegisteredRunner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegisteredRunner")
            .field("id", &self.id)
            .field("token", &"<redacted>")
            .field("token_expires_at", &self.token_expires_at)
            .finish()
    }
}

/// One machine behind a runner (`GET /runners/:id/managers`, newer GitLab).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunnerManager {
    pub id: u64,
    pub system_id: Option<String>,
    pub version: Option<String>,
    pub revision: Option<String>,
    pub platform: Option<String>,
    pub architecture: Option<String>,
    pub ip_address: Option<String>,
    pub created_at: Option<String>,
    pub contacted_at: Option<String>,
    pub status: String,
    pub job_execution_status: Option<String>,
}

/// The signed-in user (`GET /user`); `to_json` for the kept session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct User {
    pub id: u64,
    pub username: String,
    pub name: String,
    /// Absent for non-admin tokens on real GitLab.
    pub is_admin: Option<bool>,
    pub state: Option<String>,
    pub avatar_url: Option<String>,
    pub web_url: Option<String>,
}

impl User {
    /// The fields `from_json` reads back.
    pub fn to_json(&self) -> Value {
        json::object([
            ("id", self.id.into()),
            ("username", self.username.as_str().into()),
            ("name", self.name.as_str().into()),
            ("is_admin", self.is_admin.into()),
            ("state", self.state.clone().into()),
            ("avatar_url", self.avatar_url.clone().into()),
            ("web_url", self.web_url.clone().into()),
        ])
    }

    /// Administrator? (`is_admin` absent means no.)
    pub fn admin(&self) -> bool {
        self.is_admin.unwrap_or(false)
    }
}

/// `GET /version`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Version {
    pub version: String,
    pub revision: String,
    pub enterprise: Option<bool>,
}

impl Version {
    /// `(16, 5)` for "16.5.1-ee"; lets the UI offer newer features only
    /// to servers that have them.
    pub fn major_minor(&self) -> Option<(u32, u32)> {
        let mut parts = self.version.trim().split(['.', '-']);
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        Some((major, minor))
    }

    pub fn at_least(&self, major: u32, minor: u32) -> bool {
        self.major_minor().is_some_and(|v| v >= (major, minor))
    }
}

/// `GET /groups`, `GET /groups/:id`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Group {
    pub id: u64,
    pub name: String,
    pub path: String,
    pub full_path: String,
    pub full_name: String,
    pub web_url: Option<String>,
    pub description: Option<String>,
}

/// A project's namespace (user or group).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Namespace {
    pub id: u64,
    pub name: String,
    pub path: String,
    /// `group` or `user`.
    pub kind: Option<String>,
    pub full_path: String,
}

/// `GET /projects`, `GET /projects/:id`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Project {
    pub id: u64,
    pub name: String,
    pub name_with_namespace: String,
    pub path: String,
    pub path_with_namespace: String,
    pub web_url: Option<String>,
    pub description: Option<String>,
    pub namespace: Option<Namespace>,
}

// Reading each model (see `api::json` for the rules and why not serde).

impl FromJson for RunnerKind {
    fn from_json(v: &Value) -> Result<Self, String> {
        Ok(RunnerKind::from(v.as_str().unwrap_or("")))
    }
}

impl FromJson for Runner {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v)?;
        f.done(Runner {
            id: f.id("id"),
            description: f.opt_string("description"),
            ip_address: f.opt_string("ip_address"),
            active: f.opt_bool("active"),
            paused: f.opt_bool("paused"),
            is_shared: f.bool("is_shared"),
            runner_type: f.opt("runner_type").unwrap_or_default(),
            name: f.opt_string("name"),
            online: f.opt_bool("online"),
            status: f.string("status"),
            created_at: f.opt_string("created_at"),
            tag_list: f.opt("tag_list"),
        })
    }
}

impl FromJson for RunnerProject {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v)?;
        f.done(RunnerProject {
            id: f.id("id"),
            name: f.string("name"),
            name_with_namespace: f.string("name_with_namespace"),
            path: f.string("path"),
            path_with_namespace: f.string("path_with_namespace"),
        })
    }
}

impl FromJson for RunnerGroup {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v)?;
        f.done(RunnerGroup {
            id: f.id("id"),
            name: f.string("name"),
            web_url: f.opt_string("web_url"),
        })
    }
}

// The fields a runner in a list has are read as one, then the details'.
impl FromJson for RunnerDetails {
    fn from_json(v: &Value) -> Result<Self, String> {
        let r = Runner::from_json(v)?;
        let f = Fields::of(v)?;
        f.done(RunnerDetails {
            id: r.id,
            description: r.description,
            ip_address: r.ip_address,
            active: r.active,
            paused: r.paused,
            is_shared: r.is_shared,
            runner_type: r.runner_type,
            name: r.name,
            online: r.online,
            status: r.status,
            created_at: r.created_at,
            tag_list: r.tag_list.unwrap_or_default(),
            run_untagged: f.opt_bool("run_untagged"),
            locked: f.opt_bool("locked"),
            maximum_timeout: f.opt_u64("maximum_timeout"),
            access_level: f.opt_string("access_level"),
            version: f.opt_string("version"),
            revision: f.opt_string("revision"),
            platform: f.opt_string("platform"),
            architecture: f.opt_string("architecture"),
            contacted_at: f.opt_string("contacted_at"),
            maintenance_note: f.opt_string("maintenance_note"),
            maintainer_note: f.opt_string("maintainer_note"),
            projects: f.list("projects"),
            groups: f.list("groups"),
        })
    }
}

impl FromJson for JobUser {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v)?;
        f.done(JobUser {
            id: f.id("id"),
            name: f.string("name"),
            username: f.string("username"),
            state: f.opt_string("state"),
            avatar_url: f.opt_string("avatar_url"),
            web_url: f.opt_string("web_url"),
            created_at: f.opt_string("created_at"),
        })
    }
}

impl FromJson for JobCommit {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v)?;
        f.done(JobCommit {
            id: f.string("id"),
            short_id: f.string("short_id"),
            title: f.string("title"),
            message: f.opt_string("message"),
            author_name: f.opt_string("author_name"),
            author_email: f.opt_string("author_email"),
            authored_date: f.opt_string("authored_date"),
            committer_name: f.opt_string("committer_name"),
            committer_email: f.opt_string("committer_email"),
            committed_date: f.opt_string("committed_date"),
            created_at: f.opt_string("created_at"),
            parent_ids: f.list("parent_ids"),
            web_url: f.opt_string("web_url"),
        })
    }
}

impl FromJson for JobPipeline {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v)?;
        f.done(JobPipeline {
            id: f.id("id"),
            project_id: f.opt_u64("project_id"),
            sha: f.string("sha"),
            git_ref: f.opt_string("ref"),
            status: f.string("status"),
            web_url: f.opt_string("web_url"),
        })
    }
}

impl FromJson for JobProject {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v)?;
        f.done(JobProject {
            id: f.id("id"),
            description: f.opt_string("description"),
            name: f.string("name"),
            name_with_namespace: f.string("name_with_namespace"),
            path: f.string("path"),
            path_with_namespace: f.string("path_with_namespace"),
            created_at: f.opt_string("created_at"),
            web_url: f.opt_string("web_url"),
        })
    }
}

impl FromJson for RunnerJob {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v)?;
        f.done(RunnerJob {
            id: f.id("id"),
            status: f.string("status"),
            stage: f.opt_string("stage"),
            name: f.opt_string("name"),
            git_ref: f.opt_string("ref"),
            tag: f.bool("tag"),
            coverage: f.lenient_f64("coverage"),
            allow_failure: f.bool("allow_failure"),
            created_at: f.opt_string("created_at"),
            started_at: f.opt_string("started_at"),
            finished_at: f.opt_string("finished_at"),
            duration: f.lenient_f64("duration"),
            queued_duration: f.lenient_f64("queued_duration"),
            failure_reason: f.opt_string("failure_reason"),
            ip_address: f.opt_string("ip_address"),
            web_url: f.opt_string("web_url"),
            user: f.opt("user"),
            commit: f.opt("commit"),
            pipeline: f.opt("pipeline"),
            project: f.opt("project"),
        })
    }
}

impl FromJson for TokenResponse {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v)?;
        f.done(TokenResponse {
            token: f.required_string("token"),
            token_expires_at: f.opt_string("token_expires_at"),
        })
    }
}

impl FromJson for RegisteredRunner {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v)?;
        f.done(RegisteredRunner {
            id: f.id("id"),
            token: f.required_string("token"),
            token_expires_at: f.opt_string("token_expires_at"),
        })
    }
}

impl FromJson for RunnerManager {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v)?;
        f.done(RunnerManager {
            id: f.id("id"),
            system_id: f.opt_string("system_id"),
            version: f.opt_string("version"),
            revision: f.opt_string("revision"),
            platform: f.opt_string("platform"),
            architecture: f.opt_string("architecture"),
            ip_address: f.opt_string("ip_address"),
            created_at: f.opt_string("created_at"),
            contacted_at: f.opt_string("contacted_at"),
            status: f.string("status"),
            job_execution_status: f.opt_string("job_execution_status"),
        })
    }
}

impl FromJson for User {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v)?;
        f.done(User {
            id: f.id("id"),
            username: f.string("username"),
            name: f.string("name"),
            is_admin: f.opt_bool("is_admin"),
            state: f.opt_string("state"),
            avatar_url: f.opt_string("avatar_url"),
            web_url: f.opt_string("web_url"),
        })
    }
}

impl FromJson for Version {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v)?;
        f.done(Version {
            version: f.string("version"),
            revision: f.string("revision"),
            enterprise: f.opt_bool("enterprise"),
        })
    }
}

impl FromJson for Group {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v)?;
        f.done(Group {
            id: f.id("id"),
            name: f.string("name"),
            path: f.string("path"),
            full_path: f.string("full_path"),
            full_name: f.string("full_name"),
            web_url: f.opt_string("web_url"),
            description: f.opt_string("description"),
        })
    }
}

impl FromJson for Namespace {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v)?;
        f.done(Namespace {
            id: f.id("id"),
            name: f.string("name"),
            path: f.string("path"),
            kind: f.opt_string("kind"),
            full_path: f.string("full_path"),
        })
    }
}

impl FromJson for Project {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v)?;
        f.done(Project {
            id: f.id("id"),
            name: f.string("name"),
            name_with_namespace: f.string("name_with_namespace"),
            path: f.string("path"),
            path_with_namespace: f.string("path_with_namespace"),
            web_url: f.opt_string("web_url"),
            description: f.opt_string("description"),
            namespace: f.opt("namespace"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! fixture {
        ($name:literal) => {
            include_str!(concat!("../../tests/fixtures/", $name, ".json"))
        };
    }

    #[test]
    fn owned_runners_example() {
        let list: Vec<Runner> = decode(fixture!("runners_owned")).unwrap();
        assert_eq!(list.len(), 2);
        let r = &list[0];
        assert_eq!(r.id, 6);
        assert_eq!(r.description.as_deref(), Some("test-1-20150125"));
        assert_eq!(r.ip_address.as_deref(), Some("127.0.0.1"));
        assert_eq!(r.active, Some(true));
        assert_eq!(r.paused, Some(false));
        assert!(!r.is_shared);
        assert_eq!(r.runner_type, RunnerKind::ProjectType);
        assert_eq!(r.name, None);
        assert_eq!(r.online, Some(true));
        assert_eq!(r.status, "online");
        assert!(!r.is_paused());
        assert_eq!(r.tag_list, None);
        assert_eq!(list[1].id, 8);
        assert_eq!(list[1].runner_type, RunnerKind::GroupType);
        assert_eq!(list[1].status, "offline");
        assert_eq!(list[1].online, Some(false));
    }

    #[test]
    fn all_runners_example() {
        let list: Vec<Runner> = decode(fixture!("runners_all")).unwrap();
        assert_eq!(
            list.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![1, 3, 6, 8]
        );
        assert!(list[0].is_shared);
        assert_eq!(list[0].runner_type, RunnerKind::InstanceType);
        assert_eq!(list[0].description.as_deref(), Some("shared-runner-1"));
        // Old servers answered "paused" as a status: kept as it comes.
        assert_eq!(list[2].status, "paused");
        assert!(!list[2].is_paused(), "the paused flag wins over the status");
    }

    #[test]
    fn runner_details_example() {
        let d: RunnerDetails = decode(fixture!("runner_details")).unwrap();
        assert_eq!(d.id, 6);
        assert_eq!(d.description.as_deref(), Some("test-1-20150125"));
        assert_eq!(d.architecture, None);
        assert_eq!(d.platform, None);
        assert_eq!(d.revision, None);
        assert_eq!(d.version, None);
        assert_eq!(d.contacted_at.as_deref(), Some("2016-01-25T16:39:48.066Z"));
        assert_eq!(d.runner_type, RunnerKind::ProjectType);
        assert_eq!(d.tag_list, vec!["ruby", "mysql"]);
        assert_eq!(d.access_level.as_deref(), Some("ref_protected"));
        assert_eq!(d.maximum_timeout, Some(3600));
        assert_eq!(d.projects.len(), 1);
        let p = &d.projects[0];
        assert_eq!(p.id, 1);
        assert_eq!(p.name, "GitLab Community Edition");
        assert_eq!(
            p.name_with_namespace,
            "GitLab.org / GitLab Community Edition"
        );
        assert_eq!(p.path, "gitlab-foss");
        assert_eq!(p.path_with_namespace, "gitlab-org/gitlab-foss");
        // Absent in this example: defaults.
        assert!(d.groups.is_empty());
        assert_eq!(d.run_untagged, None);
        assert_eq!(d.locked, None);
        assert_eq!(d.note(), None);
        assert!(!d.is_paused());
        let r = d.to_runner();
        assert_eq!(r.id, 6);
        assert_eq!(r.tag_list, Some(vec!["ruby".into(), "mysql".into()]));
    }

    #[test]
    fn updated_runner_example() {
        let d: RunnerDetails = decode(fixture!("runner_updated")).unwrap();
        assert_eq!(d.description.as_deref(), Some("test-1-20150125-test"));
        assert_eq!(d.runner_type, RunnerKind::GroupType);
        assert_eq!(d.tag_list, vec!["ruby", "mysql", "tag1", "tag2"]);
        assert_eq!(d.maximum_timeout, None);
        // No `paused` here: derived from `active`.
        assert_eq!(d.paused, None);
        assert_eq!(d.active, Some(true));
        assert!(!d.is_paused());
    }

    #[test]
    fn runner_jobs_example() {
        let jobs: Vec<RunnerJob> = decode(fixture!("runner_jobs")).unwrap();
        assert_eq!(jobs.len(), 1);
        let j = &jobs[0];
        assert_eq!(j.id, 2);
        assert_eq!(j.status, "running");
        assert_eq!(j.stage.as_deref(), Some("test"));
        assert_eq!(j.name.as_deref(), Some("test"));
        assert_eq!(j.git_ref.as_deref(), Some("master"));
        assert!(!j.tag);
        assert_eq!(j.coverage, None);
        assert_eq!(j.created_at.as_deref(), Some("2017-11-16T08:50:29.000Z"));
        assert_eq!(j.started_at.as_deref(), Some("2017-11-16T08:51:29.000Z"));
        assert_eq!(j.finished_at.as_deref(), Some("2017-11-16T08:53:29.000Z"));
        assert_eq!(j.duration, Some(120.0));
        assert_eq!(j.queued_duration, None);
        assert_eq!(j.web_url, None);
        let u = j.user.as_ref().unwrap();
        assert_eq!(
            (u.id, u.name.as_str(), u.username.as_str()),
            (1, "John Doe2", "user2")
        );
        assert_eq!(u.state.as_deref(), Some("active"));
        assert_eq!(u.web_url.as_deref(), Some("http://localhost/user2"));
        let c = j.commit.as_ref().unwrap();
        assert_eq!(c.id, "97de212e80737a608d939f648d959671fb0a0142");
        assert_eq!(c.short_id, "97de212e");
        assert_eq!(c.title, "Update configuration\r");
        assert_eq!(c.parent_ids.len(), 2);
        assert_eq!(c.author_email.as_deref(), Some("user2@example.org"));
        let p = j.pipeline.as_ref().unwrap();
        assert_eq!(p.id, 2);
        assert_eq!(p.project_id, None);
        assert_eq!(p.sha, "97de212e80737a608d939f648d959671fb0a0142");
        assert_eq!(p.git_ref.as_deref(), Some("master"));
        assert_eq!(p.status, "running");
        let pr = j.project.as_ref().unwrap();
        assert_eq!(pr.id, 1);
        assert_eq!(pr.description, None);
        assert_eq!(pr.name_with_namespace, "John Doe2 / project1");
        assert_eq!(pr.path_with_namespace, "namespace1/project1");
        assert_eq!(pr.created_at.as_deref(), Some("2017-11-16T18:38:46.620Z"));
    }

    #[test]
    fn project_runners_example() {
        let list: Vec<Runner> = decode(fixture!("project_runners")).unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].id, 8);
        assert_eq!(list[0].runner_type, RunnerKind::ProjectType);
        assert_eq!(list[1].description.as_deref(), Some("development_runner"));
        assert_eq!(list[1].runner_type, RunnerKind::InstanceType);
        assert!(list[1].is_shared);
    }

    #[test]
    fn enabled_runner_example() {
        let r: Runner = decode(fixture!("enabled_runner")).unwrap();
        assert_eq!(r.id, 9);
        assert_eq!(r.description.as_deref(), Some("test-2016-02-01"));
        assert_eq!(r.paused, None);
        assert_eq!(r.active, Some(true));
        assert!(!r.is_paused());
        assert_eq!(r.status, "online");
    }

    #[test]
    fn group_runners_example() {
        let list: Vec<Runner> = decode(fixture!("group_runners")).unwrap();
        assert_eq!(list.len(), 3);
        assert_eq!(list[0].id, 3);
        assert_eq!(list[0].name.as_deref(), Some("gitlab-runner"));
        assert_eq!(list[0].online, None);
        assert_eq!(list[0].status, "never_contacted");
        assert_eq!(list[2].runner_type, RunnerKind::GroupType);
        assert_eq!(list[2].description.as_deref(), Some("Test 2"));
    }

    #[test]
    fn registered_runner_example() {
        let r: RegisteredRunner = decode(fixture!("registered_runner")).unwrap();
        assert_eq!(r.id, 12345);
        assert_eq!(r.token, "6337ff461c94fd3fa32ba3b1ff4125");
        assert_eq!(
            r.token_expires_at.as_deref(),
            Some("2021-09-27T21:05:03.203Z")
        );
        assert!(!format!("{r:?}").contains("6337ff"));
    }

    #[test]
    fn token_reset_examples() {
        for text in [
            fixture!("reset_token_by_id"),
            fixture!("reset_token_by_token"),
        ] {
            let t: TokenResponse = decode(text).unwrap();
            assert_eq!(t.token, "6337ff461c94fd3fa32ba3b1ff4125");
            assert_eq!(
                t.token_expires_at.as_deref(),
                Some("2021-09-27T21:05:03.203Z")
            );
            assert!(!format!("{t:?}").contains("6337ff"));
        }
        // Registration token resets answer a null expiry.
        let t: TokenResponse = decode(r#"{"token":"GR1348941x","token_expires_at":null}"#).unwrap();
        assert_eq!(t.token, "GR1348941x");
        assert_eq!(t.token_expires_at, None);
        let t: TokenResponse = decode(r#"{"token":"abc"}"#).unwrap();
        assert_eq!(t.token_expires_at, None);
    }

    #[test]
    fn unknown_fields_and_values_tolerated() {
        let r: Runner = decode(
            r#"{"id": 42, "runner_type": "cloud_type", "status": "not_connected",
                "created_by": {"id": 1, "username": "root"}, "maintenance_note": "x",
                "created_at": "2024-01-01T00:00:00Z", "job_execution_status": "idle",
                "tag_list": ["a", "b"]}"#,
        )
        .unwrap();
        assert_eq!(r.id, 42);
        assert_eq!(r.runner_type, RunnerKind::Other("cloud_type".into()));
        assert_eq!(r.runner_type.as_str(), "cloud_type");
        assert_eq!(r.runner_type.label(), "cloud_type");
        assert_eq!(r.status, "not_connected");
        assert_eq!(r.created_at.as_deref(), Some("2024-01-01T00:00:00Z"));
        assert_eq!(r.tag_list, Some(vec!["a".into(), "b".into()]));
        // Nothing says paused.
        assert!(!r.is_paused());
        assert_eq!(r.description, None);
        assert_eq!(r.ip_address, None);
    }

    #[test]
    fn minimal_and_null_fields() {
        let r: Runner = decode(r#"{"id": 1}"#).unwrap();
        assert_eq!(r.id, 1);
        assert_eq!(r.runner_type, RunnerKind::default());
        assert_eq!(r.runner_type.label(), "Unknown");
        assert_eq!(r.status, "");
        assert!(!r.is_shared);

        let r: Runner = decode(
            r#"{"id": 2, "description": null, "is_shared": null, "runner_type": null,
                "status": null, "active": false, "paused": null, "online": null}"#,
        )
        .unwrap();
        assert_eq!(r.description, None);
        assert!(!r.is_shared);
        assert_eq!(r.status, "");
        assert!(r.is_paused(), "active=false means paused");

        let r: Runner = decode(r#"{"id": 3, "status": "paused"}"#).unwrap();
        assert!(r.is_paused(), "legacy paused status");
        let r: Runner = decode(r#"{"id": 4, "paused": true, "active": true}"#).unwrap();
        assert!(r.is_paused(), "paused wins over active");

        let d: RunnerDetails = decode(
            r#"{"id": 5, "tag_list": null, "projects": null, "groups": null,
                "maximum_timeout": null, "maintainer_note": "old note",
                "groups_extra": 1}"#,
        )
        .unwrap();
        assert!(d.tag_list.is_empty() && d.projects.is_empty() && d.groups.is_empty());
        assert_eq!(d.note(), Some("old note"));

        let d: RunnerDetails = decode(
            r#"{"id": 7, "groups": [{"id": 3, "web_url": "http://g/ops", "name": "ops"}],
                "run_untagged": false, "locked": true, "maintenance_note": "new"}"#,
        )
        .unwrap();
        assert_eq!(d.groups[0].id, 3);
        assert_eq!(d.groups[0].name, "ops");
        assert_eq!(d.groups[0].web_url.as_deref(), Some("http://g/ops"));
        assert_eq!((d.run_untagged, d.locked), (Some(false), Some(true)));
        assert_eq!(d.note(), Some("new"));
    }

    #[test]
    fn job_floats_and_nulls() {
        let j: RunnerJob = decode(
            r#"{"id": 9, "status": "waiting_for_resource", "ref": "main", "tag": null,
                "allow_failure": true, "coverage": "87.5", "duration": 12.25,
                "queued_duration": 0.5, "web_url": "http://x/-/jobs/9",
                "user": null, "commit": null, "pipeline": {"id": 4, "project_id": 7,
                "sha": "abc", "ref": "main", "status": "success"}, "project": null,
                "failure_reason": "script_failure", "artifacts": []}"#,
        )
        .unwrap();
        assert_eq!(j.status, "waiting_for_resource");
        assert_eq!(j.coverage, Some(87.5));
        assert_eq!(j.duration, Some(12.25));
        assert_eq!(j.queued_duration, Some(0.5));
        assert!(j.allow_failure);
        assert!(!j.tag);
        assert_eq!(j.web_url.as_deref(), Some("http://x/-/jobs/9"));
        assert_eq!(j.pipeline.as_ref().unwrap().project_id, Some(7));
        assert_eq!(j.user, None);
        assert_eq!(j.failure_reason.as_deref(), Some("script_failure"));

        let j: RunnerJob =
            decode(r#"{"id": 10, "duration": null, "queued_duration": null}"#).unwrap();
        assert_eq!((j.duration, j.queued_duration), (None, None));
    }

    #[test]
    fn managers_user_version_groups_projects() {
        let m: Vec<RunnerManager> = decode(
            r#"[{"id": 1, "system_id": "s_0e6850b2bce1", "version": "16.5.0",
                 "revision": "853330f9", "platform": "linux", "architecture": "amd64",
                 "created_at": "2023-10-24T01:27:02.000Z",
                 "contacted_at": "2023-10-24T01:27:02.000Z", "ip_address": "127.0.0.1",
                 "status": "online", "job_execution_status": "idle"}]"#,
        )
        .unwrap();
        assert_eq!(m[0].system_id.as_deref(), Some("s_0e6850b2bce1"));
        assert_eq!(m[0].status, "online");
        assert_eq!(m[0].version.as_deref(), Some("16.5.0"));

        let admin: User = decode(
            r#"{"id": 1, "username": "root", "name": "Administrator", "state": "active",
                "avatar_url": null, "web_url": "http://gl/root", "is_admin": true,
                "email": "admin@example.com"}"#,
        )
        .unwrap();
        assert!(admin.admin());
        assert_eq!(admin.username, "root");
        assert_eq!(admin.avatar_url, None);
        let user: User = decode(r#"{"id": 2, "username": "dev", "name": "Dev"}"#).unwrap();
        assert_eq!(user.is_admin, None);
        assert!(!user.admin());
        // The kept session writes the user and reads it back.
        for u in [admin, user] {
            assert_eq!(decode::<User>(&u.to_json().to_string()).unwrap(), u);
        }

        let v: Version = decode(
            r#"{"version": "16.5.1-ee", "revision": "4e963fe", "kas": {"enabled": false},
                "enterprise": true}"#,
        )
        .unwrap();
        assert_eq!(v.revision, "4e963fe");
        assert_eq!(v.major_minor(), Some((16, 5)));
        assert!(v.at_least(16, 0) && !v.at_least(16, 6));
        let v: Version = decode(r#"{"version": "8.13.0-pre", "revision": "x"}"#).unwrap();
        assert_eq!(v.major_minor(), Some((8, 13)));
        assert_eq!(Version::default().major_minor(), None);

        let g: Group = decode(
            r#"{"id": 5, "name": "Ops", "path": "ops", "full_path": "acme/ops",
                "full_name": "Acme / Ops", "web_url": "http://gl/groups/acme/ops",
                "description": "", "visibility": "private"}"#,
        )
        .unwrap();
        assert_eq!(g.full_path, "acme/ops");
        assert_eq!(g.full_name, "Acme / Ops");
        assert_eq!(g.description.as_deref(), Some(""));

        let p: Project = decode(
            r#"{"id": 9, "name": "Web", "name_with_namespace": "Acme / Web", "path": "web",
                "path_with_namespace": "acme/web", "web_url": "http://gl/acme/web",
                "description": null, "namespace": {"id": 4, "name": "Acme", "path": "acme",
                "kind": "group", "full_path": "acme", "parent_id": null}}"#,
        )
        .unwrap();
        assert_eq!(p.path_with_namespace, "acme/web");
        assert_eq!(p.description, None);
        let ns = p.namespace.unwrap();
        assert_eq!(
            (ns.id, ns.kind.as_deref(), ns.full_path.as_str()),
            (4, Some("group"), "acme")
        );
        let p: Project = decode(r#"{"id": 10, "name": "Lib"}"#).unwrap();
        assert_eq!(p.namespace, None);
    }

    #[test]
    fn decode_errors_are_short_and_hide_strings() {
        match decode::<Runner>("") {
            Err(ApiError::Decode(m)) => assert_eq!(m, "empty response body"),
            other => panic!("{other:?}"),
        }
        match decode::<Vec<Value>>("\n<!DOCTYPE html><html><title>Welcome to nginx</title>") {
            Err(ApiError::NotGitLab) => {}
            other => panic!("{other:?}"),
        }
        match decode::<Runner>("{\"id\": 1,") {
            Err(ApiError::Decode(m)) => assert!(m.contains("unexpected end"), "{m}"),
            other => panic!("{other:?}"),
        }
        match decode::<Runner>(r#"{"id": "glrt-secret"}"#) {
            Err(ApiError::Decode(m)) => {
                assert!(!m.contains("glrt-secret"), "{m}");
                assert!(m.contains("`id`: expected a whole number"), "{m}");
            }
            other => panic!("{other:?}"),
        }
        assert!(decode::<Vec<Runner>>(r#"{"message":"x"}"#).is_err());
        let long = "x".repeat(500);
        assert!(short_decode_message(&long).chars().count() <= 161);
    }

    #[test]
    fn runner_kind_reads_its_api_names() {
        assert_eq!(RunnerKind::from("instance_type"), RunnerKind::InstanceType);
        assert_eq!(RunnerKind::ProjectType.label(), "Project");
    }
}
