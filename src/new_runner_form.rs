//! The "New runner" form (`POST /user/runners`, GitLab 15.11+) as plain data:
//! whose runner it is, its settings as typed, the checks GitLab would make, the
//! request it becomes, and the `gitlab-runner register` command for its token.

use crate::api::request::{CreateUserRunner, ProjectRef, RunnerOwner};
use crate::register_form::{Field, SettingsForm};

/// The runner's kind, as chosen on the form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Kind {
    Instance,
    Group,
    #[default]
    Project,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Instance => "instance_type",
            Kind::Group => "group_type",
            Kind::Project => "project_type",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::Instance, Kind::Group, Kind::Project]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Everything the form holds, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewRunnerForm {
    pub kind: Kind,
    /// Group id or full path (group runners).
    pub group: String,
    /// Project id or full path (project runners).
    pub project: String,
    pub settings: SettingsForm,
}

/// Where the runner goes, before it is known by id: GitLab takes only integer
/// `group_id`/`project_id`, so a typed path is looked up first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Instance,
    Group(ProjectRef),
    Project(ProjectRef),
}

impl Target {
    /// The owner when no lookup is needed.
    pub fn known_owner(&self) -> Option<RunnerOwner> {
        match self {
            Target::Instance => Some(RunnerOwner::Instance),
            Target::Group(ProjectRef::Id(id)) => Some(RunnerOwner::Group(*id)),
            Target::Project(ProjectRef::Id(id)) => Some(RunnerOwner::Project(*id)),
            _ => None,
        }
    }
}

impl NewRunnerForm {
    /// The chosen group or project, if one was given.
    pub fn target(&self) -> Option<Target> {
        match self.kind {
            Kind::Instance => Some(Target::Instance),
            Kind::Group => ProjectRef::parse(&self.group).map(Target::Group),
            Kind::Project => ProjectRef::parse(&self.project).map(Target::Project),
        }
    }

    /// Problems GitLab would refuse too, by field; empty when the form may be sent.
    pub fn problems(&self) -> Vec<(Field, String)> {
        let mut out = vec![];
        if self.target().is_none() {
            let what = match self.kind {
                Kind::Group => "Choose a group or enter its ID or full path.",
                _ => "Choose a project or enter its ID or full path.",
            };
            out.push((Field::Owner, what.to_string()));
        }
        out.extend(self.settings.problems());
        out
    }

    /// The `POST /user/runners` request.
    pub fn to_request(&self, owner: RunnerOwner) -> CreateUserRunner {
        CreateUserRunner {
            owner,
            description: self.settings.description(),
            settings: self.settings.to_settings(),
        }
    }
}

/// The command that puts a created runner to work (gitlab-runner 15.10+).
pub fn register_command(gitlab_url: &str, token: &str) -> String {
    format!("gitlab-runner register --url {gitlab_url} --token {token}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(kind: Kind) -> NewRunnerForm {
        NewRunnerForm {
            kind,
            ..NewRunnerForm::default()
        }
    }

    #[test]
    fn a_group_or_project_runner_needs_its_owner() {
        assert_eq!(form(Kind::Instance).problems(), vec![]);
        let problems = form(Kind::Project).problems();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, Field::Owner);
        assert_eq!(form(Kind::Group).problems()[0].0, Field::Owner);
        let typed = NewRunnerForm {
            group: " ops/infra ".into(),
            ..form(Kind::Group)
        };
        assert_eq!(typed.problems(), vec![]);
        assert_eq!(
            typed.target(),
            Some(Target::Group(ProjectRef::Path("ops/infra".into())))
        );
        assert_eq!(typed.target().unwrap().known_owner(), None);
    }

    #[test]
    fn becomes_the_request_gitlab_documents() {
        let f = NewRunnerForm {
            project: "42".into(),
            settings: SettingsForm {
                description: " build box ".into(),
                tags: "docker, linux".into(),
                maximum_timeout: "3600".into(),
                maintenance_note: "rack 4".into(),
                ..SettingsForm::default()
            },
            ..form(Kind::Project)
        };
        let owner = f.target().and_then(|t| t.known_owner()).unwrap();
        let form = f.to_request(owner).to_form();
        let get = |k: &str| {
            form.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("runner_type"), Some("project_type"));
        assert_eq!(get("project_id"), Some("42"));
        assert_eq!(get("group_id"), None);
        assert_eq!(get("description"), Some("build box"));
        assert_eq!(get("tag_list"), Some("docker,linux"));
        assert_eq!(get("maximum_timeout"), Some("3600"));
        assert_eq!(get("maintenance_note"), Some("rack 4"));
        assert_eq!(get("run_untagged"), Some("true"));
        assert_eq!(get("paused"), Some("false"));
        assert_eq!(get("access_level"), Some("not_protected"));
        assert_eq!(get("token"), None, "no token goes in");
    }

    #[test]
    fn the_settings_are_checked_as_on_register() {
        let f = NewRunnerForm {
            settings: SettingsForm {
                run_untagged: false,
                maximum_timeout: "60".into(),
                maintenance_note: "x".repeat(1025),
                ..SettingsForm::default()
            },
            ..form(Kind::Instance)
        };
        let fields: Vec<Field> = f.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            vec![Field::MaximumTimeout, Field::Tags, Field::MaintenanceNote]
        );
    }

    #[test]
    fn the_register_command() {
        assert_eq!(
            register_command("https://gitlab.example.com", "glrt-abc"),
            "gitlab-runner register --url https://gitlab.example.com --token glrt-abc"
        );
    }
}
