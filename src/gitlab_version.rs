//! Which GitLab the console talks to, and the version each newer feature needs
//! (docs/gitlab-versions.md has the evidence). What a server lacks is shown as
//! "needs GitLab X.Y or newer" and never requested.

use std::fmt;

use serde::{Deserialize, Serialize};

/// `major.minor` of a GitLab release; the patch level never decides a feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct GitLabVersion {
    pub major: u32,
    pub minor: u32,
}

impl GitLabVersion {
    pub const fn new(major: u32, minor: u32) -> Self {
        GitLabVersion { major, minor }
    }

    /// `/version`'s `version`: "17.4.1", "18.11.0-ee", "16.0.0-pre".
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.trim().split(['.', '-', '+']);
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        Some(GitLabVersion { major, minor })
    }
}

impl fmt::Display for GitLabVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Features newer than the 15.x Runners API document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    /// `POST /user/runners`: create a runner, `glrt-` token.
    CreateRunner,
    /// `version_prefix` on the runner lists.
    VersionPrefix,
    /// `GET /runners/:id/managers`: the machines behind a runner.
    RunnerManagers,
    /// `system_id` on `GET /runners/:id/jobs`.
    JobsByMachine,
    /// Paged `GET /runners/:id/projects`, and `include_projects=false`.
    RunnerProjects,
    /// Cursor pages of `GET /runners/:id/jobs` (`pagination=keyset`).
    KeysetJobs,
    /// `job_execution_status` (running a job or idle) on runners and machines.
    JobExecutionStatus,
}

impl Feature {
    /// The first GitLab version with the feature.
    pub fn since(self) -> GitLabVersion {
        match self {
            Feature::CreateRunner => GitLabVersion::new(15, 11),
            Feature::VersionPrefix => GitLabVersion::new(16, 6),
            Feature::JobsByMachine => GitLabVersion::new(16, 8),
            Feature::RunnerManagers => GitLabVersion::new(17, 1),
            Feature::RunnerProjects => GitLabVersion::new(18, 4),
            Feature::KeysetJobs => GitLabVersion::new(18, 4),
            Feature::JobExecutionStatus => GitLabVersion::new(18, 8),
        }
    }

    /// Whether a server of `version` has it. An unknown version (no `/version`
    /// answer, e.g. behind a proxy) is given the benefit of the doubt: the call
    /// is made, and a 404 from a missing route is read as "needs" (`is_missing`).
    pub fn available(self, version: Option<GitLabVersion>) -> bool {
        version.is_none_or(|v| v >= self.since())
    }

    /// What the console says where the server lacks the feature.
    pub fn needs(self) -> String {
        format!("needs GitLab {} or newer", self.since())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_gitlab_sends() {
        assert_eq!(
            GitLabVersion::parse("18.11.0"),
            Some(GitLabVersion::new(18, 11))
        );
        assert_eq!(
            GitLabVersion::parse("16.0.0-pre"),
            Some(GitLabVersion::new(16, 0))
        );
        assert_eq!(
            GitLabVersion::parse("17.4.1-ee"),
            Some(GitLabVersion::new(17, 4))
        );
        assert_eq!(
            GitLabVersion::parse(" 15.9 "),
            Some(GitLabVersion::new(15, 9))
        );
        assert_eq!(GitLabVersion::parse("sandbox"), None);
        assert_eq!(GitLabVersion::parse("17"), None);
        assert_eq!(GitLabVersion::parse(""), None);
    }

    #[test]
    fn orders_by_minor_as_a_number() {
        assert!(GitLabVersion::new(16, 10) > GitLabVersion::new(16, 9));
        assert!(GitLabVersion::new(17, 0) > GitLabVersion::new(16, 11));
    }

    #[test]
    fn a_feature_arrives_at_its_version() {
        let f = Feature::CreateRunner;
        assert!(!f.available(Some(GitLabVersion::new(15, 10))));
        assert!(f.available(Some(GitLabVersion::new(15, 11))));
        assert!(f.available(Some(GitLabVersion::new(18, 0))));
        assert!(f.available(None), "unknown version: try, and read a 404");
        assert_eq!(f.needs(), "needs GitLab 15.11 or newer");
        assert_eq!(
            Feature::RunnerManagers.needs(),
            "needs GitLab 17.1 or newer"
        );
    }
}
