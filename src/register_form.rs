//! The "Register a runner" form as plain data: what the user typed, the checks
//! GitLab's model makes (so mistakes show before the round trip, never stricter
//! than GitLab), the `POST /runners` request it becomes, and the config.toml
//! snippet for the new runner.

use crate::api::request::{AccessLevel, RegisterRunner, RunnerInfo};
use crate::runner_rules::{self, TimeoutProblem};
pub use crate::runner_rules::{parse_tags, MAX_NOTE_CHARS as NOTE_MAX_CHARS, MIN_TIMEOUT_SECS};

/// Everything the form holds, as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterForm {
    pub token: String,
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
    pub info_name: String,
    pub info_version: String,
    pub info_revision: String,
    pub info_platform: String,
    pub info_architecture: String,
}

impl Default for RegisterForm {
    /// GitLab's own defaults for a new runner.
    fn default() -> Self {
        Self {
            token: String::new(),
            description: String::new(),
            tags: String::new(),
            paused: false,
            locked: false,
            run_untagged: true,
            access_level: AccessLevel::NotProtected,
            maximum_timeout: String::new(),
            maintenance_note: String::new(),
            info_name: String::new(),
            info_version: String::new(),
            info_revision: String::new(),
            info_platform: String::new(),
            info_architecture: String::new(),
        }
    }
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
        out.extend(settings_problems(
            &self.tags,
            self.run_untagged,
            &self.maximum_timeout,
            &self.maintenance_note,
        ));
        out
    }
    /// The `POST /runners` request. Flags are always sent, so the runner is
    /// exactly what the form shows; empty texts are left out.
    pub fn to_request(&self) -> RegisterRunner {
        let tags = parse_tags(&self.tags);
        RegisterRunner {
            token: self.token.trim().to_string(),
            description: optional(&self.description),
            info: RunnerInfo {
                name: optional(&self.info_name),
                version: optional(&self.info_version),
                revision: optional(&self.info_revision),
                platform: optional(&self.info_platform),
                architecture: optional(&self.info_architecture),
            },
            paused: Some(self.paused),
            active: None,
            locked: Some(self.locked),
            run_untagged: Some(self.run_untagged),
            tag_list: (!tags.is_empty()).then_some(tags),
            access_level: Some(self.access_level),
            maximum_timeout: runner_rules::parse_timeout(&self.maximum_timeout)
                .ok()
                .flatten(),
            maintenance_note: optional(&self.maintenance_note),
            maintainer_note: None,
        }
    }
}

/// The checks GitLab's runner model makes on settings every new runner has
/// (register and create alike).
pub fn settings_problems(
    tags: &str,
    run_untagged: bool,
    maximum_timeout: &str,
    maintenance_note: &str,
) -> Vec<(Field, String)> {
    let mut out = vec![];
    match runner_rules::parse_timeout(maximum_timeout) {
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
    if runner_rules::tags_missing(run_untagged, tags) {
        out.push((
            Field::Tags,
            "A runner that does not run untagged jobs needs at least one tag.".to_string(),
        ));
    }
    if let Some(note_len) = runner_rules::note_too_long(maintenance_note) {
        out.push((
            Field::MaintenanceNote,
            format!("At most {NOTE_MAX_CHARS} characters ({note_len} now)."),
        ));
    }
    out
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
            description: "build box".into(),
            tags: "docker, linux,,docker".into(),
            paused: true,
            locked: true,
            run_untagged: false,
            access_level: AccessLevel::RefProtected,
            maximum_timeout: "3600".into(),
            maintenance_note: "ask ops".into(),
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
                fields(RegisterForm {
                    maximum_timeout: bad.into(),
                    ..form()
                }),
                [Field::MaximumTimeout],
                "{bad}"
            );
        }
        for fine in ["", " ", "600", "86400"] {
            assert!(
                fields(RegisterForm {
                    maximum_timeout: fine.into(),
                    ..form()
                })
                .is_empty(),
                "{fine}"
            );
        }
        assert_eq!(
            fields(RegisterForm {
                run_untagged: false,
                tags: " , ".into(),
                ..form()
            }),
            [Field::Tags]
        );
        assert!(fields(RegisterForm {
            run_untagged: false,
            tags: "gpu".into(),
            ..form()
        })
        .is_empty());
        // 1024 characters (not bytes) are fine; one more is not.
        assert!(fields(RegisterForm {
            maintenance_note: "é".repeat(1024),
            ..form()
        })
        .is_empty());
        assert_eq!(
            fields(RegisterForm {
                maintenance_note: "x".repeat(1025),
                ..form()
            }),
            [Field::MaintenanceNote]
        );
        assert_eq!(Field::Tags.gitlab_key(), "tags_list");
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
