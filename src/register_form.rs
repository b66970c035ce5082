//! The "Register a runner" form as plain data: what the user typed, the checks
//! GitLab's model makes (so mistakes show before the round trip, never stricter
//! than GitLab), the `POST /runners` request it becomes, and the config.toml
//! snippet for the new runner.

use crate::api::request::{AccessLevel, NewRunnerSettings, RegisterRunner, RunnerInfo};
use crate::api::ApiError;
use crate::runner_rules::{self, TimeoutProblem};
pub use crate::runner_rules::{parse_tags, MAX_NOTE_CHARS as NOTE_MAX_CHARS, MIN_TIMEOUT_SECS};

/// The settings of a new runner as typed, on the Register and New runner forms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsForm {
    pub description: String,
    /// Comma-separated.
    pub tags: String,
    pub paused: bool,
    pub locked: bool,
    pub run_untagged: bool,
    pub access_level: AccessLevel,
    /// Seconds; empty means no limit.
    pub maximum_timeout: String,
    pub maintenance_note: String,
}

impl Default for SettingsForm {
    /// GitLab's own defaults for a new runner.
    fn default() -> Self {
        Self {
            description: String::new(),
            tags: String::new(),
            paused: false,
            locked: false,
            run_untagged: true,
            access_level: AccessLevel::NotProtected,
            maximum_timeout: String::new(),
            maintenance_note: String::new(),
        }
    }
}

impl SettingsForm {
    /// The checks GitLab's runner model makes on them.
    pub fn problems(&self) -> Vec<(Field, String)> {
        let mut out = vec![];
        match runner_rules::parse_timeout(&self.maximum_timeout) {
            Ok(_) => {}
            Err(TimeoutProblem::TooShort) => out.push((
                Field::MaximumTimeout,
                format!(
                    "GitLab needs at least {MIN_TIMEOUT_SECS} seconds (10 minutes), or leave it empty for no limit."
                ),
            )),
            Err(TimeoutProblem::TooLarge) => out.push((
                Field::MaximumTimeout,
                "That is more seconds than GitLab can store.".to_string(),
            )),
            Err(TimeoutProblem::NotANumber) => out.push((
                Field::MaximumTimeout,
                "Enter a whole number of seconds, or leave it empty.".to_string(),
            )),
        }
        if runner_rules::tags_missing(self.run_untagged, &self.tags) {
            out.push((
                Field::Tags,
                "A runner that does not run untagged jobs needs at least one tag.".to_string(),
            ));
        }
        if let Some(note_len) = runner_rules::note_too_long(&self.maintenance_note) {
            out.push((
                Field::MaintenanceNote,
                format!("At most {NOTE_MAX_CHARS} characters ({note_len} now)."),
            ));
        }
        out
    }

    /// The description to send; empty is left out.
    pub fn description(&self) -> Option<String> {
        optional(&self.description)
    }

    /// Flags are always sent, so the runner is exactly what the form shows;
    /// empty texts are left out.
    pub fn to_settings(&self) -> NewRunnerSettings {
        let tags = parse_tags(&self.tags);
        NewRunnerSettings {
            paused: Some(self.paused),
            locked: Some(self.locked),
            run_untagged: Some(self.run_untagged),
            tag_list: (!tags.is_empty()).then_some(tags),
            access_level: Some(self.access_level),
            maximum_timeout: runner_rules::parse_timeout(&self.maximum_timeout)
                .ok()
                .flatten(),
            maintenance_note: optional(&self.maintenance_note),
        }
    }
}

/// Everything the form holds, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegisterForm {
    pub token: String,
    pub settings: SettingsForm,
    pub info_name: String,
    pub info_version: String,
    pub info_revision: String,
    pub info_platform: String,
    pub info_architecture: String,
}

/// Which input a problem belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Token,
    /// The group or project of a created runner.
    Owner,
    Tags,
    MaximumTimeout,
    MaintenanceNote,
}

impl Field {
    /// The key GitLab uses for this field in a validation error body.
    pub fn gitlab_key(self) -> &'static str {
        match self {
            Field::Token => "token",
            Field::Owner => "runner_type",
            // GitLab's model names the tag list `tags_list` in its errors.
            Field::Tags => "tags_list",
            Field::MaximumTimeout => "maximum_timeout",
            Field::MaintenanceNote => "maintenance_note",
        }
    }
}

fn optional(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl RegisterForm {
    /// Problems GitLab would refuse too, by field; empty when the form may be sent.
    pub fn problems(&self) -> Vec<(Field, String)> {
        let mut out = vec![];
        if self.token.trim().is_empty() {
            out.push((Field::Token, "Enter the registration token.".to_string()));
        }
        out.extend(self.settings.problems());
        out
    }

    /// The `POST /runners` request.
    pub fn to_request(&self) -> RegisterRunner {
        RegisterRunner {
            token: self.token.trim().to_string(),
            description: self.settings.description(),
            info: RunnerInfo {
                name: optional(&self.info_name),
                version: optional(&self.info_version),
                revision: optional(&self.info_revision),
                platform: optional(&self.info_platform),
                architecture: optional(&self.info_architecture),
            },
            settings: self.settings.to_settings(),
            active: None,
            maintainer_note: None,
        }
    }
}

/// The message beside one field: the form's own check first, else GitLab's
/// validation message for it from a refused request.
pub fn field_message(
    problems: &[(Field, String)],
    refused: Option<&ApiError>,
    field: Field,
) -> Option<String> {
    problems
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, m)| m.clone())
        .or_else(|| {
            let msgs = refused?.field_errors(field.gitlab_key());
            (!msgs.is_empty()).then(|| format!("GitLab: {}", msgs.join(", ")))
        })
}

/// A TOML basic string, quoted and escaped.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The `[[runners]]` entry to paste into gitlab-runner's config.toml.
pub fn config_toml(name: &str, gitlab_url: &str, token: &str) -> String {
    let name = if name.trim().is_empty() {
        "runner"
    } else {
        name.trim()
    };
    format!(
        "[[runners]]\n  name = {}\n  url = {}\n  token = {}\n  executor = \"shell\"\n",
        toml_string(name),
        toml_string(gitlab_url.trim_end_matches('/')),
        toml_string(token),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> RegisterForm {
        RegisterForm {
            token: "GR1348941secret".into(),
            ..Default::default()
        }
    }

    /// The test form with these settings.
    fn with(settings: SettingsForm) -> RegisterForm {
        RegisterForm { settings, ..form() }
    }

    #[test]
    fn defaults_pass_and_send_gitlabs_defaults() {
        let f = form();
        assert!(f.problems().is_empty());
        let body = crate::api::request::register_runner(&f.to_request())
            .form_body()
            .unwrap();
        assert_eq!(
            body,
            "token=GR1348941secret&paused=false&locked=false&run_untagged=true&access_level=not_protected"
        );
    }

    #[test]
    fn every_attribute_reaches_the_request() {
        let f = RegisterForm {
            token: " tok ".into(),
            settings: SettingsForm {
                description: "build box".into(),
                tags: "docker, linux,,docker".into(),
                paused: true,
                locked: true,
                run_untagged: false,
                access_level: AccessLevel::RefProtected,
                maximum_timeout: "3600".into(),
                maintenance_note: "ask ops".into(),
            },
            info_name: "gitlab-runner".into(),
            info_version: "16.11.1".into(),
            info_revision: "535ced5f".into(),
            info_platform: "linux".into(),
            info_architecture: "amd64".into(),
        };
        assert!(f.problems().is_empty());
        let pairs = f.to_request().to_form();
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("token"), Some("tok"));
        assert_eq!(get("description"), Some("build box"));
        assert_eq!(get("tag_list"), Some("docker,linux"));
        assert_eq!(get("paused"), Some("true"));
        assert_eq!(get("locked"), Some("true"));
        assert_eq!(get("run_untagged"), Some("false"));
        assert_eq!(get("access_level"), Some("ref_protected"));
        assert_eq!(get("maximum_timeout"), Some("3600"));
        assert_eq!(get("maintenance_note"), Some("ask ops"));
        assert_eq!(get("info[name]"), Some("gitlab-runner"));
        assert_eq!(get("info[version]"), Some("16.11.1"));
        assert_eq!(get("info[revision]"), Some("535ced5f"));
        assert_eq!(get("info[platform]"), Some("linux"));
        assert_eq!(get("info[architecture]"), Some("amd64"));
        assert_eq!(get("active"), None);
    }

    #[test]
    fn mirrors_gitlabs_validations() {
        let fields = |f: RegisterForm| -> Vec<Field> {
            f.problems().into_iter().map(|(field, _)| field).collect()
        };
        assert_eq!(
            fields(RegisterForm {
                token: "  ".into(),
                ..form()
            }),
            [Field::Token]
        );
        for bad in ["599", "0", "ten", "-5", "1.5"] {
            assert_eq!(
                fields(with(SettingsForm {
                    maximum_timeout: bad.into(),
                    ..Default::default()
                })),
                [Field::MaximumTimeout],
                "{bad}"
            );
        }
        for fine in ["", " ", "600", "86400"] {
            assert!(
                fields(with(SettingsForm {
                    maximum_timeout: fine.into(),
                    ..Default::default()
                }))
                .is_empty(),
                "{fine}"
            );
        }
        assert_eq!(
            fields(with(SettingsForm {
                run_untagged: false,
                tags: " , ".into(),
                ..Default::default()
            })),
            [Field::Tags]
        );
        assert!(fields(with(SettingsForm {
            run_untagged: false,
            tags: "gpu".into(),
            ..Default::default()
        }))
        .is_empty());
        // 1024 characters (not bytes) are fine; one more is not.
        assert!(fields(with(SettingsForm {
            maintenance_note: "é".repeat(1024),
            ..Default::default()
        }))
        .is_empty());
        assert_eq!(
            fields(with(SettingsForm {
                maintenance_note: "x".repeat(1025),
                ..Default::default()
            })),
            [Field::MaintenanceNote]
        );
        assert_eq!(Field::Tags.gitlab_key(), "tags_list");
    }

    #[test]
    fn a_field_shows_our_check_first_then_gitlabs_message() {
        let refused = ApiError::from_response(
            400,
            r#"{"message":{"tags_list":["is too long"],"maximum_timeout":["must be a number"]}}"#,
            None,
        );
        let ours = vec![(Field::Tags, "Add a tag.".to_string())];
        assert_eq!(
            field_message(&ours, Some(&refused), Field::Tags).as_deref(),
            Some("Add a tag.")
        );
        assert_eq!(
            field_message(&ours, Some(&refused), Field::MaximumTimeout).as_deref(),
            Some("GitLab: must be a number")
        );
        assert_eq!(field_message(&ours, None, Field::MaximumTimeout), None);
        assert_eq!(
            field_message(&[], Some(&refused), Field::MaintenanceNote),
            None
        );
    }

    #[test]
    fn config_snippet_is_valid_toml_text() {
        let s = config_toml("my \"box\"\\", "https://gitlab.example.com/", "glrt-abc");
        assert_eq!(
            s,
            "[[runners]]\n  name = \"my \\\"box\\\"\\\\\"\n  url = \"https://gitlab.example.com\"\n  token = \"glrt-abc\"\n  executor = \"shell\"\n"
        );
        assert!(config_toml(" ", "u", "t").contains("name = \"runner\""));
        assert_eq!(toml_string("a\nb\u{1}"), "\"a\\nb\\u0001\"");
    }

    #[test]
    fn tags_are_trimmed_and_deduplicated() {
        assert_eq!(parse_tags(" a, b ,,a,c"), ["a", "b", "c"]);
        assert!(parse_tags("").is_empty());
    }
}
