//! The sandbox's world: users, groups, projects and runners, held in memory.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use crate::version::GitLabVersion;

/// GitLab's member access levels.
pub const REPORTER: u32 = 20;
pub const MAINTAINER: u32 = 40;
pub const OWNER: u32 = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenScope {
    /// Full read/write API access.
    Api,
    /// Read-only: GET works, writes answer `insufficient_scope`.
    ReadApi,
    /// `create_runner` (GitLab 16.1): only `POST /user/runners`; unknown (401) before 16.1.
    CreateRunner,
    /// `manage_runner` (GitLab 17.1): `/runners/:id` and the routes below it; unknown
    /// (401) before 17.1.
    ManageRunner,
}

impl TokenScope {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Api => "api",
            TokenScope::ReadApi => "read_api",
            TokenScope::CreateRunner => "create_runner",
            TokenScope::ManageRunner => "manage_runner",
        }
    }
}

/// A further personal access token of a user, with its own scope (the user's
/// first token is `User::token`).
#[derive(Clone, Debug)]
pub struct AccessToken {
    pub token: String,
    pub user_id: u64,
    pub scope: TokenScope,
}

#[derive(Clone, Debug)]
pub struct User {
    pub id: u64,
    pub username: String,
    pub name: String,
    pub is_admin: bool,
    pub token: String,
    pub scope: TokenScope,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug)]
pub struct Group {
    pub id: u64,
    pub name: String,
    pub path: String,
    pub description: String,
    pub registration_token: String,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug)]
pub struct Project {
    pub id: u64,
    pub group_id: u64,
    pub name: String,
    pub path: String,
    pub description: Option<String>,
    pub registration_token: String,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunnerType {
    Instance,
    Group,
    Project,
}

impl RunnerType {
    pub fn as_str(self) -> &'static str {
        match self {
            RunnerType::Instance => "instance_type",
            RunnerType::Group => "group_type",
            RunnerType::Project => "project_type",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Runner {
    pub id: u64,
    pub description: Option<String>,
    pub ip_address: Option<String>,
    /// GitLab stores `active`; `paused` is its inverse in the API.
    pub active: bool,
    pub runner_type: RunnerType,
    pub name: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub contacted_at: Option<OffsetDateTime>,
    pub tag_list: Vec<String>,
    pub run_untagged: bool,
    pub locked: bool,
    pub maximum_timeout: Option<i64>,
    pub ref_protected: bool,
    pub version: Option<String>,
    pub revision: Option<String>,
    pub platform: Option<String>,
    pub architecture: Option<String>,
    pub maintenance_note: Option<String>,
    /// Owning group of a group runner.
    pub group_id: Option<u64>,
    /// Projects of a project runner, the owner first.
    pub projects: Vec<u64>,
    pub token: String,
    pub token_expires_at: Option<OffsetDateTime>,
    /// How many generated jobs this runner has (jobs are derived, not stored).
    pub job_count: u32,
    /// How many generated machines (runner managers) this runner has; they are
    /// derived on demand (`World::runner_managers`), the first being the one that
    /// made the runner's last contact and carries the runner's own version fields.
    pub machines: u8,
    /// Machines that announced themselves later (`POST /runners/verify` with a
    /// `system_id`), after the generated ones.
    pub managers: Vec<RunnerManager>,
    /// The user who created it with `POST /user/runners`.
    pub creator_id: Option<u64>,
}

/// `Ci::RunnerManager`: one machine (`system_id`) behind a runner.
#[derive(Clone, Debug, PartialEq)]
pub struct RunnerManager {
    pub id: u64,
    pub system_id: String,
    pub version: Option<String>,
    pub revision: Option<String>,
    pub platform: Option<String>,
    pub architecture: Option<String>,
    pub ip_address: Option<String>,
    pub created_at: OffsetDateTime,
    pub contacted_at: Option<OffsetDateTime>,
}

/// `Ci::RunnerManager::STALE_TIMEOUT` (7 days in every version that has managers).
pub const MANAGER_STALE_WINDOW: time::Duration = time::Duration::days(7);

impl RunnerManager {
    pub fn is_online(&self, now: OffsetDateTime) -> bool {
        self.contacted_at.is_some_and(|c| c > now - ONLINE_WINDOW)
    }

    pub fn status(&self, now: OffsetDateTime) -> Status {
        let deadline = now - MANAGER_STALE_WINDOW;
        let last = self.contacted_at.unwrap_or(self.created_at);
        if self.created_at <= deadline && last <= deadline {
            Status::Stale
        } else if self.contacted_at.is_none() {
            Status::NeverContacted
        } else if self.is_online(now) {
            Status::Online
        } else {
            Status::Offline
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Online,
    Offline,
    Stale,
    NeverContacted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Online => "online",
            Status::Offline => "offline",
            Status::Stale => "stale",
            Status::NeverContacted => "never_contacted",
        }
    }
}

pub const ONLINE_WINDOW: time::Duration = time::Duration::hours(2);
/// GitLab's `STALE_TIMEOUT` before 17.1 is 3 months; 90 days is close enough and
/// exact for tests. From 17.1 it is 7 days: see `GitLabVersion::stale_after`.
pub const STALE_WINDOW: time::Duration = time::Duration::days(90);

impl Runner {
    pub fn paused(&self) -> bool {
        !self.active
    }

    pub fn is_online(&self, now: OffsetDateTime) -> bool {
        self.contacted_at.is_some_and(|c| c > now - ONLINE_WINDOW)
    }

    /// The scope filters, as GitLab's `Ci::Runner` scopes define them (they overlap:
    /// a stale runner may also match `offline` or `never_contacted`). Stale as the
    /// newest GitLab counts it (7 days); `matches_scope_for` takes the version.
    pub fn matches_scope(&self, scope: &str, now: OffsetDateTime) -> bool {
        self.matches_scope_for(scope, now, GitLabVersion::NEWEST)
    }

    pub fn matches_scope_for(&self, scope: &str, now: OffsetDateTime, v: GitLabVersion) -> bool {
        match scope {
            "active" => self.active,
            "paused" => !self.active,
            "online" => self.is_online(now),
            "offline" => self.contacted_at.is_some_and(|c| c <= now - ONLINE_WINDOW),
            "never_contacted" => self.contacted_at.is_none(),
            "stale" => self.is_stale(now, v),
            "instance_type" | "shared" => self.runner_type == RunnerType::Instance,
            "group_type" => self.runner_type == RunnerType::Group,
            "project_type" => self.runner_type == RunnerType::Project,
            "specific" => self.runner_type != RunnerType::Instance,
            _ => false,
        }
    }

    fn is_stale(&self, now: OffsetDateTime, v: GitLabVersion) -> bool {
        let deadline = now - v.stale_after();
        self.created_at <= deadline && self.contacted_at.is_none_or(|c| c <= deadline)
    }

    /// `status` as the newest GitLab computes it; `status_for` takes the version.
    pub fn status(&self, now: OffsetDateTime) -> Status {
        self.status_for(now, GitLabVersion::NEWEST)
    }

    /// `status` as GitLab 16 and later compute it for responses.
    pub fn status_for(&self, now: OffsetDateTime, v: GitLabVersion) -> Status {
        if self.is_stale(now, v) {
            Status::Stale
        } else if self.contacted_at.is_none() {
            Status::NeverContacted
        } else if self.is_online(now) {
            Status::Online
        } else {
            Status::Offline
        }
    }

    pub fn has_all_tags(&self, tags: &[String]) -> bool {
        tags.iter()
            .all(|t| self.tag_list.iter().any(|own| own == t))
    }
}

/// Everything the sandbox knows. Runners are keyed by id so lists come in id order,
/// as GitLab's pagination helper orders them.
#[derive(Debug)]
pub struct World {
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub projects: Vec<Project>,
    /// (user id, group id, access level)
    pub group_members: Vec<(u64, u64, u32)>,
    /// (user id, project id, access level)
    pub project_members: Vec<(u64, u64, u32)>,
    pub runners: BTreeMap<u64, Runner>,
    pub next_runner_id: u64,
    pub instance_registration_token: String,
    pub seed: u64,
    pub jobs_per_runner: u32,
    /// Job names to use instead of the generated ones (tests seed odd text here).
    pub job_names: Vec<String>,
    /// Counter mixed into newly issued tokens so each is fresh.
    pub token_counter: u64,
    /// The GitLab version the sandbox answers like.
    pub gitlab_version: GitLabVersion,
    /// The instance setting `allow_runner_registration_token` (only GitLab 16.0 and
    /// later have it; see `registration_tokens_allowed`).
    pub allow_registration_token: bool,
    /// Personal access tokens besides each user's first one (`User::token`).
    pub access_tokens: Vec<AccessToken>,
    /// OAuth applications and the codes and tokens issued to them.
    pub oauth: crate::oauth::OAuth,
}

impl World {
    /// The owner of a personal access token.
    pub fn user_by_token(&self, token: &str) -> Option<&User> {
        self.token_owner(token).map(|(u, _)| u)
    }

    /// The owner of a personal access token and the token's scope.
    pub fn token_owner(&self, token: &str) -> Option<(&User, TokenScope)> {
        if token.is_empty() {
            return None;
        }
        if let Some(u) = self.users.iter().find(|u| u.token == token) {
            return Some((u, u.scope));
        }
        let t = self.access_tokens.iter().find(|t| t.token == token)?;
        let u = self.users.iter().find(|u| u.id == t.user_id)?;
        Some((u, t.scope))
    }

    /// Whether `POST /runners` takes registration tokens: always before 16.0 (no
    /// such setting), else as `allow_runner_registration_token` says.
    pub fn registration_tokens_allowed(&self) -> bool {
        !self.gitlab_version.has_registration_token_setting() || self.allow_registration_token
    }

    pub fn group(&self, id: u64) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// Projects are stored in id order from 1, so most look-ups are direct.
    pub fn project(&self, id: u64) -> Option<&Project> {
        let at = (id as usize).wrapping_sub(1);
        match self.projects.get(at) {
            Some(p) if p.id == id => Some(p),
            _ => self.projects.iter().find(|p| p.id == id),
        }
    }

    /// Every machine behind a runner: the generated ones (derived from the seed),
    /// then those that announced themselves with `POST /runners/verify`.
    pub fn runner_managers(&self, runner: &Runner) -> Vec<RunnerManager> {
        let mut all = crate::generate::managers(self.seed, self.gitlab_version, runner);
        all.extend(runner.managers.iter().cloned());
        all
    }

    /// The manager whose contact is the newest (`latest_runner_manager`), or the
    /// first one when none made contact.
    pub fn latest_manager(&self, runner: &Runner) -> Option<RunnerManager> {
        let all = self.runner_managers(runner);
        let newest = all
            .iter()
            .enumerate()
            .filter(|(_, m)| m.contacted_at.is_some())
            .max_by_key(|(i, m)| (m.contacted_at, std::cmp::Reverse(*i)))
            .map(|(i, _)| i)
            .unwrap_or(0);
        all.into_iter().nth(newest)
    }

    /// `job_execution_status`: a runner is `active` while it runs a job; in the
    /// sandbox, when it is online and its newest job is the running one.
    pub fn runner_is_executing(&self, runner: &Runner, now: OffsetDateTime) -> bool {
        runner.job_count > 0 && runner.is_online(now)
    }

    pub fn project_full_path(&self, p: &Project) -> String {
        let group = self
            .group(p.group_id)
            .map(|g| g.path.as_str())
            .unwrap_or("");
        format!("{group}/{}", p.path)
    }

    pub fn project_name_with_namespace(&self, p: &Project) -> String {
        let group = self
            .group(p.group_id)
            .map(|g| g.name.as_str())
            .unwrap_or("");
        format!("{group} / {}", p.name)
    }

    /// Resolves `:id` of `/projects/:id`: a number, or a full path (case-insensitive).
    pub fn find_project(&self, id_or_path: &str) -> Option<&Project> {
        match id_or_path.parse::<u64>() {
            Ok(id) => self.project(id),
            Err(_) => self
                .projects
                .iter()
                .find(|p| self.project_full_path(p).eq_ignore_ascii_case(id_or_path)),
        }
    }

    pub fn find_group(&self, id_or_path: &str) -> Option<&Group> {
        match id_or_path.parse::<u64>() {
            Ok(id) => self.group(id),
            Err(_) => self
                .groups
                .iter()
                .find(|g| g.path.eq_ignore_ascii_case(id_or_path)),
        }
    }

    pub fn group_access(&self, user: &User, group_id: u64) -> u32 {
        self.group_members
            .iter()
            .filter(|(u, g, _)| *u == user.id && *g == group_id)
            .map(|(_, _, level)| *level)
            .max()
            .unwrap_or(0)
    }

    /// Project access, inherited from the project's group.
    pub fn project_access(&self, user: &User, project: &Project) -> u32 {
        let direct = self
            .project_members
            .iter()
            .filter(|(u, p, _)| *u == user.id && *p == project.id)
            .map(|(_, _, level)| *level)
            .max()
            .unwrap_or(0);
        direct.max(self.group_access(user, project.group_id))
    }

    pub fn project_access_by_id(&self, user: &User, project_id: u64) -> u32 {
        self.project(project_id)
            .map(|p| self.project_access(user, p))
            .unwrap_or(0)
    }

    /// Projects are private: admins see all, others those they are members of.
    pub fn can_see_project(&self, user: &User, project: &Project) -> bool {
        user.is_admin || self.project_access(user, project) > 0
    }

    pub fn can_see_group(&self, user: &User, group: &Group) -> bool {
        user.is_admin
            || self.group_access(user, group.id) > 0
            || self
                .projects
                .iter()
                .any(|p| p.group_id == group.id && self.project_access(user, p) > 0)
    }

    /// `current_user.ci_owned_runners`: project runners of projects the user maintains,
    /// group runners of groups the user maintains (newer GitLab; older required owner).
    pub fn owns_runner(&self, user: &User, runner: &Runner) -> bool {
        match runner.runner_type {
            RunnerType::Instance => false,
            RunnerType::Group => runner
                .group_id
                .is_some_and(|g| self.group_access(user, g) >= MAINTAINER),
            RunnerType::Project => runner
                .projects
                .iter()
                .any(|p| self.project_access_by_id(user, *p) >= MAINTAINER),
        }
    }

    pub fn can_read_runner(&self, user: &User, runner: &Runner) -> bool {
        user.is_admin
            || runner.runner_type == RunnerType::Instance
            || self.owns_runner(user, runner)
    }

    pub fn can_update_runner(&self, user: &User, runner: &Runner) -> bool {
        user.is_admin || self.owns_runner(user, runner)
    }

    /// A fresh token that nobody holds yet.
    pub fn new_token(&mut self, prefix: &str) -> String {
        self.token_counter += 1;
        let a = crate::generate::mix(self.seed ^ 0x746f6b656e ^ self.token_counter);
        let b = crate::generate::mix(a);
        format!("{prefix}{a:016x}{b:04x}")
            .chars()
            .take(prefix.len() + 20)
            .collect()
    }
}
