//! GitLab entities as the console reads them. Every struct is tolerant:
//! unknown fields are ignored, anything an older or newer GitLab may omit
//! defaults, and `null` is accepted wherever a field may be absent.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::error::ApiError;

/// Parses a JSON body into `T`; errors become short [`ApiError::Decode`]s.
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    if text.trim().is_empty() {
        return Err(ApiError::Decode("empty response body".into()));
    }
    // A login page, a proxy's welcome page, a web server's index: not an API.
    if text.trim_start().starts_with('<') {
        return Err(ApiError::NotGitLab);
    }
    serde_json::from_str(text).map_err(|e| ApiError::Decode(short_decode_message(&e.to_string())))
}

/// serde_json quotes mismatched string values; drop them (a value could be a
/// token) and keep the message short.
fn short_decode_message(msg: &str) -> String {
    let mut out = String::new();
    let mut rest = msg;
    while let Some(start) = rest.find("string \"") {
        let (head, tail) = rest.split_at(start + "string \"".len());
        out.push_str(head);
        match tail.find('"') {
            Some(end) => {
                out.push_str("…\"");
                rest = &tail[end + 1..];
            }
            None => {
                out.push_str("…\"");
                rest = "";
            }
        }
    }
    out.push_str(rest);
    if out.chars().count() > 160 {
        out = out.chars().take(160).collect::<String>() + "…";
    }
    out
}

/// `null` or absent both give `T::default()`.
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A number, a numeric string or null (GitLab has sent floats both ways).
fn lenient_f64<'de, D>(d: D) -> Result<Option<f64>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        Some(serde_json::Value::Number(n)) => n.as_f64(),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
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

impl<'de> Deserialize<'de> for RunnerKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s: Option<String> = Option::deserialize(d)?;
        Ok(RunnerKind::from(s.as_deref().unwrap_or("")))
    }
}

impl Serialize for RunnerKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Paused flag from `paused`, else `!active`, else a legacy `paused` status.
fn paused_of(paused: Option<bool>, active: Option<bool>, status: &str) -> bool {
    paused.or(active.map(|a| !a)).unwrap_or(status == "paused")
}

/// A runner as lists (and enable/disable) return it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Runner {
    pub id: u64,
    #[serde(default)]
    pub description: Option<String>,
    /// Dropped from lists by newer GitLab.
    #[serde(default)]
    pub ip_address: Option<String>,
    /// Deprecated inverse of `paused`; older GitLab sends only this.
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default)]
    pub paused: Option<bool>,
    #[serde(default, deserialize_with = "null_default")]
    pub is_shared: bool,
    #[serde(default)]
    pub runner_type: RunnerKind,
    #[serde(default)]
    pub name: Option<String>,
    /// `null` for never-contacted runners.
    #[serde(default)]
    pub online: Option<bool>,
    /// As GitLab sends it (`online`, `offline`, `stale`, `never_contacted`,
    /// and on old servers `paused`, `not_connected`): display unknown values as is.
    #[serde(default, deserialize_with = "null_default")]
    pub status: String,
    #[serde(default)]
    pub created_at: Option<String>,
    /// Only some servers include tags in lists.
    #[serde(default)]
    pub tag_list: Option<Vec<String>>,
    /// `active` (running a job) or `idle`; GitLab 18.8 and newer.
    #[serde(default)]
    pub job_execution_status: Option<String>,
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunnerProject {
    pub id: u64,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub name_with_namespace: String,
    #[serde(default, deserialize_with = "null_default")]
    pub path: String,
    #[serde(default, deserialize_with = "null_default")]
    pub path_with_namespace: String,
}

/// A group a runner belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunnerGroup {
    pub id: u64,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default)]
    pub web_url: Option<String>,
}

/// One runner in full (`GET`/`PUT /runners/:id`). Repeats `Runner`'s fields
/// rather than flattening, so both read the same way in the UI.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunnerDetails {
    pub id: u64,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub ip_address: Option<String>,
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default)]
    pub paused: Option<bool>,
    #[serde(default, deserialize_with = "null_default")]
    pub is_shared: bool,
    #[serde(default)]
    pub runner_type: RunnerKind,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub online: Option<bool>,
    #[serde(default, deserialize_with = "null_default")]
    pub status: String,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub tag_list: Vec<String>,
    #[serde(default)]
    pub run_untagged: Option<bool>,
    #[serde(default)]
    pub locked: Option<bool>,
    /// Seconds; `null` when unset.
    #[serde(default)]
    pub maximum_timeout: Option<u64>,
    /// `not_protected` or `ref_protected` (kept as a string for unknown values).
    #[serde(default)]
    pub access_level: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub revision: Option<String>,
    #[serde(default)]
    pub platform: Option<String>,
    #[serde(default)]
    pub architecture: Option<String>,
    #[serde(default)]
    pub contacted_at: Option<String>,
    #[serde(default)]
    pub maintenance_note: Option<String>,
    /// Older spelling of `maintenance_note`.
    #[serde(default)]
    pub maintainer_note: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub projects: Vec<RunnerProject>,
    #[serde(default, deserialize_with = "null_default")]
    pub groups: Vec<RunnerGroup>,
    /// `active` or `idle`; GitLab 18.8 and newer.
    #[serde(default)]
    pub job_execution_status: Option<String>,
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
            job_execution_status: self.job_execution_status.clone(),
        }
    }
}

/// The user who started a job.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobUser {
    pub id: u64,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub username: String,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub avatar_url: Option<String>,
    #[serde(default)]
    pub web_url: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    /// Profile fields GitLab adds to the job's user; kept so exports carry them.
    #[serde(default)]
    pub bio: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub public_email: Option<String>,
    #[serde(default)]
    pub linkedin: Option<String>,
    #[serde(default)]
    pub twitter: Option<String>,
    #[serde(default)]
    pub website_url: Option<String>,
    #[serde(default)]
    pub organization: Option<String>,
}

/// The commit a job ran on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobCommit {
    /// Full SHA.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub short_id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub title: String,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub author_name: Option<String>,
    #[serde(default)]
    pub author_email: Option<String>,
    #[serde(default)]
    pub authored_date: Option<String>,
    #[serde(default)]
    pub committer_name: Option<String>,
    #[serde(default)]
    pub committer_email: Option<String>,
    #[serde(default)]
    pub committed_date: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub parent_ids: Vec<String>,
    #[serde(default)]
    pub web_url: Option<String>,
}

/// The pipeline a job belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobPipeline {
    pub id: u64,
    #[serde(default)]
    pub project_id: Option<u64>,
    #[serde(default, deserialize_with = "null_default")]
    pub sha: String,
    #[serde(rename = "ref", default)]
    pub git_ref: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub status: String,
    #[serde(default)]
    pub web_url: Option<String>,
}

/// The project a job belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobProject {
    pub id: u64,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub name_with_namespace: String,
    #[serde(default, deserialize_with = "null_default")]
    pub path: String,
    #[serde(default, deserialize_with = "null_default")]
    pub path_with_namespace: String,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub web_url: Option<String>,
}

/// A job processed by a runner (`GET /runners/:id/jobs`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunnerJob {
    pub id: u64,
    /// `created waiting_for_resource preparing pending running success failed
    /// canceled skipped manual scheduled`, or anything newer: shown as is.
    #[serde(default, deserialize_with = "null_default")]
    pub status: String,
    #[serde(default)]
    pub stage: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(rename = "ref", default)]
    pub git_ref: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub tag: bool,
    #[serde(default, deserialize_with = "lenient_f64")]
    pub coverage: Option<f64>,
    #[serde(default, deserialize_with = "null_default")]
    pub allow_failure: bool,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub started_at: Option<String>,
    #[serde(default)]
    pub finished_at: Option<String>,
    /// Seconds.
    #[serde(default, deserialize_with = "lenient_f64")]
    pub duration: Option<f64>,
    /// Seconds spent waiting for a runner.
    #[serde(default, deserialize_with = "lenient_f64")]
    pub queued_duration: Option<f64>,
    #[serde(default)]
    pub failure_reason: Option<String>,
    #[serde(default)]
    pub ip_address: Option<String>,
    #[serde(default)]
    pub web_url: Option<String>,
    #[serde(default)]
    pub user: Option<JobUser>,
    #[serde(default)]
    pub commit: Option<JobCommit>,
    #[serde(default)]
    pub pipeline: Option<JobPipeline>,
    #[serde(default)]
    pub project: Option<JobProject>,
}

/// A new token: registration token resets, runner token resets.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenResponse {
    pub token: String,
    #[serde(default)]
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
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredRunner {
    pub id: u64,
    /// The authentication token: GitLab shows it only once.
    pub token: String,
    #[serde(default)]
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunnerManager {
    pub id: u64,
    #[serde(default)]
    pub system_id: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub revision: Option<String>,
    #[serde(default)]
    pub platform: Option<String>,
    #[serde(default)]
    pub architecture: Option<String>,
    #[serde(default)]
    pub ip_address: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub contacted_at: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub status: String,
    #[serde(default)]
    pub job_execution_status: Option<String>,
}

/// The signed-in user (`GET /user`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: u64,
    #[serde(default, deserialize_with = "null_default")]
    pub username: String,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Absent for non-admin tokens on real GitLab.
    #[serde(default)]
    pub is_admin: Option<bool>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub avatar_url: Option<String>,
    #[serde(default)]
    pub web_url: Option<String>,
}

impl User {
    /// Administrator? (`is_admin` absent means no.)
    pub fn admin(&self) -> bool {
        self.is_admin.unwrap_or(false)
    }
}

/// `GET /version`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    #[serde(default, deserialize_with = "null_default")]
    pub version: String,
    #[serde(default, deserialize_with = "null_default")]
    pub revision: String,
    #[serde(default)]
    pub enterprise: Option<bool>,
}

impl Version {
    /// 16.5 for "16.5.1-ee"; lets the UI offer newer features only to servers
    /// that have them.
    pub fn gitlab_version(&self) -> Option<crate::gitlab_version::GitLabVersion> {
        crate::gitlab_version::GitLabVersion::parse(&self.version)
    }
}

/// `GET /groups`, `GET /groups/:id`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub id: u64,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub path: String,
    #[serde(default, deserialize_with = "null_default")]
    pub full_path: String,
    #[serde(default, deserialize_with = "null_default")]
    pub full_name: String,
    #[serde(default)]
    pub web_url: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// A project's namespace (user or group).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Namespace {
    pub id: u64,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub path: String,
    /// `group` or `user`.
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub full_path: String,
}

/// `GET /projects`, `GET /projects/:id`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub id: u64,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub name_with_namespace: String,
    #[serde(default, deserialize_with = "null_default")]
    pub path: String,
    #[serde(default, deserialize_with = "null_default")]
    pub path_with_namespace: String,
    #[serde(default)]
    pub web_url: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub namespace: Option<Namespace>,
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

        let v: Version = decode(
            r#"{"version": "16.5.1-ee", "revision": "4e963fe", "kas": {"enabled": false},
                "enterprise": true}"#,
        )
        .unwrap();
        assert_eq!(v.revision, "4e963fe");
        use crate::gitlab_version::GitLabVersion;
        assert_eq!(v.gitlab_version(), Some(GitLabVersion::new(16, 5)));
        let v: Version = decode(r#"{"version": "8.13.0-pre", "revision": "x"}"#).unwrap();
        assert_eq!(v.gitlab_version(), Some(GitLabVersion::new(8, 13)));
        assert_eq!(Version::default().gitlab_version(), None);

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
        match decode::<Vec<u64>>("\n<!DOCTYPE html><html><title>Welcome to nginx</title>") {
            Err(ApiError::NotGitLab) => {}
            other => panic!("{other:?}"),
        }
        match decode::<Runner>("{\"id\": 1,") {
            Err(ApiError::Decode(m)) => assert!(m.contains("EOF"), "{m}"),
            other => panic!("{other:?}"),
        }
        match decode::<Runner>(r#"{"id": "glrt-secret"}"#) {
            Err(ApiError::Decode(m)) => {
                assert!(!m.contains("glrt-secret"), "{m}");
                assert!(m.contains("expected u64"), "{m}");
            }
            other => panic!("{other:?}"),
        }
        assert!(decode::<Vec<Runner>>(r#"{"message":"x"}"#).is_err());
        let long = "x".repeat(500);
        assert!(short_decode_message(&long).chars().count() <= 161);
    }

    #[test]
    fn runner_kind_serializes_as_string() {
        assert_eq!(
            serde_json::to_string(&RunnerKind::GroupType).unwrap(),
            "\"group_type\""
        );
        assert_eq!(RunnerKind::from("instance_type"), RunnerKind::InstanceType);
        assert_eq!(RunnerKind::ProjectType.label(), "Project");
    }
}
