//! Which GitLab the sandbox answers like, and the one place that says in which
//! version each behaviour arrived (`docs/gitlab-versions.md` has the evidence and
//! says where a boundary is our pick rather than a proven release).

use std::fmt;

use time::Duration;

/// `major.minor` of a GitLab release; the patch level never decides a behaviour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GitLabVersion {
    pub major: u32,
    pub minor: u32,
}

/// The newest GitLab the sandbox was checked against (the default).
pub const NEWEST: GitLabVersion = GitLabVersion::new(18, 11);
/// The oldest version `--gitlab-version` accepts.
pub const OLDEST: GitLabVersion = GitLabVersion::new(15, 0);

impl Default for GitLabVersion {
    fn default() -> Self {
        NEWEST
    }
}

impl fmt::Display for GitLabVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl std::str::FromStr for GitLabVersion {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Self::parse(s)
    }
}

impl GitLabVersion {
    pub const NEWEST: GitLabVersion = NEWEST;
    pub const OLDEST: GitLabVersion = OLDEST;

    pub const fn new(major: u32, minor: u32) -> Self {
        GitLabVersion { major, minor }
    }

    /// `16.11` or `16.11.3` (the patch is read and dropped).
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad =
            || format!("`{text}` is not a GitLab version: expected MAJOR.MINOR such as 16.11");
        let parts: Vec<&str> = text.trim().split('.').collect();
        if !(2..=3).contains(&parts.len()) {
            return Err(bad());
        }
        let number = |s: &str| -> Result<u32, String> {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            s.parse().map_err(|_| bad())
        };
        let major = number(parts[0])?;
        let minor = number(parts[1])?;
        if let Some(patch) = parts.get(2) {
            number(patch)?;
        }
        Ok(Self::new(major, minor))
    }

    /// `parse`, limited to the versions the sandbox knows (15.0 to the newest).
    pub fn parse_supported(text: &str) -> Result<Self, String> {
        let v = Self::parse(text)?;
        if v < OLDEST || v > NEWEST {
            return Err(format!(
                "GitLab {v} is not supported: the sandbox answers like GitLab {OLDEST} to {NEWEST}"
            ));
        }
        Ok(v)
    }

    pub fn at_least(self, major: u32, minor: u32) -> bool {
        self >= Self::new(major, minor)
    }

    /// The minor releases before this one (`18.1` -> `18.0`, `17.11`, ...): 14.x
    /// ended at 14.10, every later major at .11.
    pub fn previous(self) -> Self {
        match (self.major, self.minor) {
            (major, 0) if major <= 15 => Self::new(major - 1, 10),
            (major, 0) => Self::new(major - 1, 11),
            (major, minor) => Self::new(major, minor - 1),
        }
    }

    // ---- The switches. Each names the first version that has the behaviour. ----

    /// `PUT /runners/:id` declares `paused` (14.8); before, Grape drops it.
    pub fn has_paused_param(self) -> bool {
        self.at_least(14, 8)
    }

    /// `POST /user/runners` (15.11; the 16.0 release notes announce it).
    pub fn has_user_runners(self) -> bool {
        self.at_least(15, 11)
    }

    /// The `allow_runner_registration_token` setting exists and is enforced with
    /// `410 Gone` (16.0); before, registration tokens always work.
    pub fn has_registration_token_setting(self) -> bool {
        self.at_least(16, 0)
    }

    /// An unknown registration token answers `403 Forbidden - invalid token
    /// supplied` (16.0, with `RegisterRunnerService`'s messages); before, a bare
    /// `403 Forbidden`.
    pub fn says_invalid_token_supplied(self) -> bool {
        self.at_least(16, 0)
    }

    /// The default of `allow_runner_registration_token` when nothing sets it:
    /// on before 17.0, off from 17.0.
    pub fn registration_tokens_allowed_by_default(self) -> bool {
        !self.at_least(17, 0)
    }

    /// The `create_runner` token scope (16.1), accepted by `POST /user/runners`.
    pub fn has_create_runner_scope(self) -> bool {
        self.at_least(16, 1)
    }

    /// `version_prefix` on the runner lists, with its `regexp` check (16.6).
    pub fn has_version_prefix(self) -> bool {
        self.at_least(16, 6)
    }

    /// `system_id` on `GET /runners/:id/jobs` (16.8).
    pub fn has_jobs_system_id(self) -> bool {
        self.at_least(16, 8)
    }

    /// Runner entities answer `ip_address: ""`, and `version`, `revision`,
    /// `platform`, `architecture` come from the most recently contacted manager (17.0).
    pub fn runner_fields_from_managers(self) -> bool {
        self.at_least(17, 0)
    }

    /// `STALE_TIMEOUT`: 3 months before 17.1, 7 days from 17.1.
    pub fn stale_after(self) -> Duration {
        if self.at_least(17, 1) {
            Duration::days(7)
        } else {
            // GitLab's `3.months`; 90 days, so tests can sit exactly at the edge.
            Duration::days(90)
        }
    }

    /// `GET /runners/:id/managers` (17.1).
    pub fn has_runner_managers(self) -> bool {
        self.at_least(17, 1)
    }

    /// The `manage_runner` token scope (17.1), accepted on `/runners/:id` and below.
    pub fn has_manage_runner_scope(self) -> bool {
        self.at_least(17, 1)
    }

    /// Keyset pagination of `GET /runners/:id/jobs` (`pagination=keyset`, `cursor`) (18.4).
    pub fn has_jobs_keyset(self) -> bool {
        self.at_least(18, 4)
    }

    /// `include_projects` on `GET /runners/:id` and the paged
    /// `GET /runners/:id/projects` (18.4).
    pub fn has_runner_projects(self) -> bool {
        self.at_least(18, 4)
    }

    /// `job_execution_status` on runner and manager entities (18.8).
    pub fn has_job_execution_status(self) -> bool {
        self.at_least(18, 8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        assert_eq!(
            GitLabVersion::parse("16.11"),
            Ok(GitLabVersion::new(16, 11))
        );
        assert_eq!(
            GitLabVersion::parse("16.11.3"),
            Ok(GitLabVersion::new(16, 11))
        );
        assert_eq!(GitLabVersion::new(18, 11).to_string(), "18.11");
        for bad in [
            "",
            "16",
            "16.",
            "16.x",
            "v16.11",
            "16.11.3.1",
            "-1.2",
            "16.11-ee",
        ] {
            assert!(GitLabVersion::parse(bad).is_err(), "{bad}");
        }
        assert!(GitLabVersion::parse_supported("14.10").is_err());
        assert!(GitLabVersion::parse_supported("19.0").is_err());
        assert!(GitLabVersion::parse_supported("15.0").is_ok());
        assert_eq!(GitLabVersion::parse_supported("18.11"), Ok(NEWEST));
    }

    #[test]
    fn orders_and_steps_back() {
        assert!(GitLabVersion::new(16, 11) < GitLabVersion::new(17, 0));
        assert!(GitLabVersion::new(16, 2) < GitLabVersion::new(16, 11));
        assert!(NEWEST.at_least(18, 11) && !NEWEST.at_least(18, 12));
        assert_eq!(
            GitLabVersion::new(18, 1).previous(),
            GitLabVersion::new(18, 0)
        );
        assert_eq!(
            GitLabVersion::new(18, 0).previous(),
            GitLabVersion::new(17, 11)
        );
        assert_eq!(
            GitLabVersion::new(15, 0).previous(),
            GitLabVersion::new(14, 10)
        );
    }
}
