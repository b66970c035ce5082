//! The runner edit form as plain data: its values, GitLab's model validations
//! run before sending, the changed fields to send, where GitLab's own field
//! errors belong, and the fallback for servers that do not know `paused`.
//! Pure, so native tests cover it.

use crate::api::request::{self, ApiRequest};
use crate::api::{AccessLevel, ApiError, RunnerDetails, RunnerUpdate};
use crate::runner_rules::{self, TimeoutProblem};
pub use crate::runner_rules::{parse_tags, MAX_NOTE_CHARS, MIN_TIMEOUT_SECS};

pub const TIMEOUT_TOO_SHORT: &str = "needs to be at least 10 minutes";
pub const TAGS_REQUIRED: &str = "can not be empty when runner is not allowed to pick untagged jobs";
pub const NOTE_TOO_LONG: &str = "is too long (maximum is 1024 characters)";
/// GitLab declares the timeout `Integer`; anything else is "invalid" there too.
pub const TIMEOUT_NOT_A_NUMBER: &str = "must be a whole number of seconds";

/// One control of the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Description,
    Paused,
    Tags,
    RunUntagged,
    Locked,
    AccessLevel,
    MaximumTimeout,
    MaintenanceNote,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::Description,
        Field::Paused,
        Field::Tags,
        Field::RunUntagged,
        Field::Locked,
        Field::AccessLevel,
        Field::MaximumTimeout,
        Field::MaintenanceNote,
    ];

    /// The keys GitLab may use for this field in a 400 field map. The model's
    /// tag error is on `tags_list`, not the parameter name `tag_list`.
    pub fn gitlab_keys(self) -> &'static [&'static str] {
        match self {
            Field::Description => &["description"],
            Field::Paused => &["paused", "active"],
            Field::Tags => &["tags_list", "tag_list", "tags"],
            Field::RunUntagged => &["run_untagged"],
            Field::Locked => &["locked"],
            Field::AccessLevel => &["access_level"],
            Field::MaximumTimeout => &["maximum_timeout"],
            Field::MaintenanceNote => &["maintenance_note", "maintainer_note"],
        }
    }

    /// The control's visible label.
    pub fn label(self) -> &'static str {
        match self {
            Field::Description => "Description",
            Field::Paused => "Paused",
            Field::Tags => "Tags",
            Field::RunUntagged => "Run untagged jobs",
            Field::Locked => "Locked to current projects",
            Field::AccessLevel => "Protected",
            Field::MaximumTimeout => "Maximum job timeout",
            Field::MaintenanceNote => "Maintenance note",
        }
    }

    /// The control's DOM id (its error's id is this plus `-error`).
    pub fn id(self) -> &'static str {
        match self {
            Field::Description => "runner-description",
            Field::Paused => "runner-paused",
            Field::Tags => "runner-tags",
            Field::RunUntagged => "runner-run-untagged",
            Field::Locked => "runner-locked",
            Field::AccessLevel => "runner-access-level",
            Field::MaximumTimeout => "runner-maximum-timeout",
            Field::MaintenanceNote => "runner-maintenance-note",
        }
    }
}

/// Messages by field.
pub type FieldErrors = Vec<(Field, String)>;

/// Messages for one field.
pub fn errors_for(errors: &FieldErrors, field: Field) -> Vec<String> {
    errors
        .iter()
        .filter(|(f, _)| *f == field)
        .map(|(_, m)| m.clone())
        .collect()
}

/// What the user typed, as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunnerForm {
    pub description: String,
    pub paused: bool,
    /// Comma-separated, as typed.
    pub tags: String,
    pub run_untagged: bool,
    pub locked: bool,
    pub access_level: AccessLevel,
    /// Seconds as typed; empty means no limit.
    pub maximum_timeout: String,
    pub maintenance_note: String,
}

impl Default for RunnerForm {
    fn default() -> Self {
        RunnerForm {
            description: String::new(),
            paused: false,
            tags: String::new(),
            run_untagged: true,
            locked: false,
            access_level: AccessLevel::NotProtected,
            maximum_timeout: String::new(),
            maintenance_note: String::new(),
        }
    }
}

/// The timeout field: `Ok(None)` when empty, the seconds, or what is wrong.
pub fn parse_timeout(text: &str) -> Result<Option<u32>, &'static str> {
    runner_rules::parse_timeout(text).map_err(|p| match p {
        TimeoutProblem::NotANumber => TIMEOUT_NOT_A_NUMBER,
        TimeoutProblem::TooShort => TIMEOUT_TOO_SHORT,
        TimeoutProblem::TooLarge => "is too large for GitLab to store",
    })
}

impl RunnerForm {
    pub fn from_details(d: &RunnerDetails) -> RunnerForm {
        RunnerForm {
            description: d.description.clone().unwrap_or_default(),
            paused: d.is_paused(),
            tags: d.tag_list.join(", "),
            // GitLab's default for both when an old server omits them.
            run_untagged: d.run_untagged.unwrap_or(true),
            locked: d.locked.unwrap_or(false),
            access_level: d
                .access_level
                .as_deref()
                .and_then(AccessLevel::parse)
                .unwrap_or(AccessLevel::NotProtected),
            maximum_timeout: d.maximum_timeout.map(|t| t.to_string()).unwrap_or_default(),
            maintenance_note: d.note().unwrap_or_default().to_string(),
        }
    }

    pub fn tag_list(&self) -> Vec<String> {
        parse_tags(&self.tags)
    }

    /// GitLab's model validations on the runner these values describe. Only
    /// what GitLab would refuse is reported, so nothing GitLab accepts is blocked.
    pub fn validate(&self) -> FieldErrors {
        let mut errors = Vec::new();
        if let Err(m) = parse_timeout(&self.maximum_timeout) {
            errors.push((Field::MaximumTimeout, m.to_string()));
        }
        if runner_rules::tags_missing(self.run_untagged, &self.tags) {
            errors.push((Field::Tags, TAGS_REQUIRED.to_string()));
        }
        if runner_rules::note_too_long(&self.maintenance_note).is_some() {
            errors.push((Field::MaintenanceNote, NOTE_TOO_LONG.to_string()));
        }
        errors
    }

    /// True when the values differ from `original` in a way that would be saved.
    pub fn is_dirty(&self, original: &RunnerForm) -> bool {
        self.description != original.description
            || self.paused != original.paused
            || self.tag_list() != original.tag_list()
            || self.run_untagged != original.run_untagged
            || self.locked != original.locked
            || self.access_level != original.access_level
            || self.maximum_timeout.trim() != original.maximum_timeout.trim()
            || self.maintenance_note != original.maintenance_note
    }

    /// The changed fields, after validation. `Ok` with an empty [`Changes`]
    /// when nothing changed.
    pub fn changes(&self, original: &RunnerForm) -> Result<Changes, FieldErrors> {
        let errors = self.validate();
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut update = RunnerUpdate::default();
        if self.description != original.description {
            update.description = Some(self.description.clone());
        }
        if self.paused != original.paused {
            update.paused = Some(self.paused);
        }
        if self.tag_list() != original.tag_list() {
            update.tag_list = Some(self.tag_list());
        }
        if self.run_untagged != original.run_untagged {
            update.run_untagged = Some(self.run_untagged);
        }
        if self.locked != original.locked {
            update.locked = Some(self.locked);
        }
        if self.access_level != original.access_level {
            update.access_level = Some(self.access_level);
        }
        let mut clear_maximum_timeout = false;
        // Validated above: a number in range or empty.
        let timeout = parse_timeout(&self.maximum_timeout).ok().flatten();
        if timeout != parse_timeout(&original.maximum_timeout).ok().flatten() {
            match timeout {
                Some(t) => update.maximum_timeout = Some(t),
                None => clear_maximum_timeout = true,
            }
        }
        if self.maintenance_note != original.maintenance_note {
            update.maintenance_note = Some(self.maintenance_note.clone());
        }
        Ok(Changes {
            update,
            clear_maximum_timeout,
        })
    }
}

/// What a save sends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub update: RunnerUpdate,
    /// The timeout was emptied: GitLab reads `maximum_timeout=` as nil.
    pub clear_maximum_timeout: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.update.is_empty() && !self.clear_maximum_timeout
    }

    /// `PUT /runners/:id` with only the changed fields.
    pub fn request(&self, id: u64) -> ApiRequest {
        let mut req = request::update_runner(id, &self.update);
        if self.clear_maximum_timeout {
            req.form
                .get_or_insert_with(Vec::new)
                .push(("maximum_timeout".into(), String::new()));
        }
        req
    }
}

/// GitLab's 400 field errors that belong to the form's fields; the rest of
/// the failure (other keys, other statuses) is for a general notice.
pub fn server_field_errors(error: &ApiError) -> FieldErrors {
    let mut out = Vec::new();
    for field in Field::ALL {
        for key in field.gitlab_keys() {
            for message in error.field_errors(key) {
                out.push((field, message));
            }
        }
    }
    out
}

/// True when every field error of `error` found a place in the form (so no
/// separate notice is needed beyond a summary).
pub fn all_fields_placed(error: &ApiError) -> bool {
    match error {
        ApiError::Http { fields, .. } if !fields.is_empty() => fields.iter().all(|(key, _)| {
            Field::ALL
                .iter()
                .any(|f| f.gitlab_keys().contains(&key.as_str()))
        }),
        _ => false,
    }
}

/// GitLab before 14.8 does not declare `paused`: Grape drops it, and a PUT
/// whose only parameter was `paused` fails `at_least_one_of` with 400. Then
/// the same change is retried once with the deprecated `active = !paused`.
pub fn legacy_pause_retry(sent: &RunnerUpdate, error: &ApiError) -> Option<RunnerUpdate> {
    let paused = sent.paused?;
    if sent.active.is_some() || error.status() != Some(400) {
        return None;
    }
    let ApiError::Http { message, .. } = error else {
        return None;
    };
    if !message.contains("at least one parameter must be provided") {
        return None;
    }
    Some(RunnerUpdate {
        paused: None,
        active: Some(!paused),
        ..sent.clone()
    })
}

/// After a save that also changed other fields, an old GitLab answers 200
/// but has ignored `paused`: the answer shows it. Then `active` is sent alone.
pub fn paused_ignored(sent: &RunnerUpdate, saved: &RunnerDetails) -> Option<RunnerUpdate> {
    let paused = sent.paused?;
    (saved.is_paused() != paused).then(|| RunnerUpdate {
        active: Some(!paused),
        ..RunnerUpdate::default()
    })
}

/// Words for `access_level`.
pub fn access_level_text(level: Option<&str>) -> String {
    match level {
        Some("ref_protected") => "Protected branches only".into(),
        Some("not_protected") => "Any branch".into(),
        Some(other) => other.replace('_', " "),
        None => "Unknown".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details() -> RunnerDetails {
        serde_json::from_str(
            r#"{"id":3,"description":"deploy","active":true,"paused":false,
                "tag_list":["ruby","postgres"],"run_untagged":false,"locked":true,
                "maximum_timeout":3600,"access_level":"ref_protected",
                "maintenance_note":"n"}"#,
        )
        .unwrap()
    }

    fn http(status: u16, body: &str) -> ApiError {
        ApiError::from_response(status, body, None)
    }

    #[test]
    fn form_starts_from_the_runner() {
        let f = RunnerForm::from_details(&details());
        assert_eq!(f.description, "deploy");
        assert_eq!(f.tags, "ruby, postgres");
        assert!(!f.paused && !f.run_untagged && f.locked);
        assert_eq!(f.access_level, AccessLevel::RefProtected);
        assert_eq!(f.maximum_timeout, "3600");
        assert_eq!(f.maintenance_note, "n");
        assert!(f.validate().is_empty());
        assert!(f.changes(&f).unwrap().is_empty());
    }

    #[test]
    fn tags_are_trimmed_deduplicated_and_blanks_dropped() {
        assert_eq!(parse_tags(" a, b ,,a , c,"), ["a", "b", "c"]);
        assert!(parse_tags(" , ").is_empty());
        // Case matters to GitLab's tags here as typed.
        assert_eq!(parse_tags("A,a"), ["A", "a"]);
    }

    #[test]
    fn validations_mirror_gitlabs_model() {
        let base = RunnerForm::from_details(&details());
        let short = RunnerForm {
            maximum_timeout: "300".into(),
            ..base.clone()
        };
        assert_eq!(
            short.validate(),
            [(Field::MaximumTimeout, TIMEOUT_TOO_SHORT.to_string())]
        );
        // 600 exactly, spaces around, and empty are all accepted by GitLab.
        for ok in ["600", " 600 ", "", "86400"] {
            let f = RunnerForm {
                maximum_timeout: ok.into(),
                ..base.clone()
            };
            assert!(f.validate().is_empty(), "{ok:?}");
        }
        for bad in ["10m", "600.5", "abc"] {
            let f = RunnerForm {
                maximum_timeout: bad.into(),
                ..base.clone()
            };
            assert_eq!(f.validate()[0].0, Field::MaximumTimeout, "{bad:?}");
        }
        let untagged_off = RunnerForm {
            tags: " , ".into(),
            ..base.clone()
        };
        assert_eq!(
            untagged_off.validate(),
            [(Field::Tags, TAGS_REQUIRED.to_string())]
        );
        // With untagged jobs allowed, no tags is fine.
        let untagged_on = RunnerForm {
            run_untagged: true,
            ..untagged_off
        };
        assert!(untagged_on.validate().is_empty());
        // The note counts characters, not bytes or UTF-16 units: 1024 emoji pass.
        let note = |n: usize| RunnerForm {
            maintenance_note: "🚀".repeat(n),
            ..base.clone()
        };
        assert!(note(1024).validate().is_empty());
        assert_eq!(
            note(1025).validate(),
            [(Field::MaintenanceNote, NOTE_TOO_LONG.to_string())]
        );
    }

    #[test]
    fn only_changed_fields_are_sent() {
        let original = RunnerForm::from_details(&details());
        let edited = RunnerForm {
            description: "deploy 2".into(),
            tags: "ruby, postgres, ruby , docker".into(),
            maximum_timeout: " 7200".into(),
            ..original.clone()
        };
        assert!(edited.is_dirty(&original));
        let changes = edited.changes(&original).unwrap();
        assert_eq!(
            changes.update,
            RunnerUpdate {
                description: Some("deploy 2".into()),
                tag_list: Some(vec!["ruby".into(), "postgres".into(), "docker".into()]),
                maximum_timeout: Some(7200),
                ..Default::default()
            }
        );
        let req = changes.request(3);
        assert_eq!(
            req.form_body().unwrap(),
            "description=deploy+2&tag_list=ruby%2Cpostgres%2Cdocker&maximum_timeout=7200"
        );
        // Re-spelled tags and padded numbers are no change.
        let same = RunnerForm {
            tags: "ruby,postgres,".into(),
            maximum_timeout: "3600 ".into(),
            ..original.clone()
        };
        assert!(!same.is_dirty(&original));
        assert!(same.changes(&original).unwrap().is_empty());
    }

    #[test]
    fn emptying_the_timeout_sends_an_empty_value() {
        let original = RunnerForm::from_details(&details());
        let cleared = RunnerForm {
            maximum_timeout: "".into(),
            ..original.clone()
        };
        let changes = cleared.changes(&original).unwrap();
        assert!(!changes.is_empty());
        assert_eq!(changes.request(3).form_body().unwrap(), "maximum_timeout=");
    }

    #[test]
    fn invalid_values_are_not_sent() {
        let original = RunnerForm::from_details(&details());
        let bad = RunnerForm {
            maximum_timeout: "300".into(),
            ..original.clone()
        };
        assert!(bad.changes(&original).is_err());
    }

    #[test]
    fn gitlab_field_errors_find_their_fields() {
        let e = http(
            400,
            r#"{"message":{"maximum_timeout":["needs to be at least 10 minutes"],
                "tags_list":["can not be empty when runner is not allowed to pick untagged jobs"]}}"#,
        );
        assert_eq!(
            server_field_errors(&e),
            [
                (Field::Tags, TAGS_REQUIRED.to_string()),
                (Field::MaximumTimeout, TIMEOUT_TOO_SHORT.to_string()),
            ]
        );
        assert!(all_fields_placed(&e));
        let other = http(400, r#"{"message":{"runner_projects":["invalid"]}}"#);
        assert!(server_field_errors(&other).is_empty());
        assert!(!all_fields_placed(&other));
        let forbidden = http(403, r#"{"message":"403 Forbidden - No access granted"}"#);
        assert!(server_field_errors(&forbidden).is_empty());
        assert!(!all_fields_placed(&forbidden));
    }

    #[test]
    fn pause_falls_back_to_active_only_when_gitlab_ignored_paused() {
        let pause = RunnerUpdate {
            paused: Some(true),
            ..Default::default()
        };
        // GitLab 14.7's answer: `paused` is not in its list.
        let old = http(
            400,
            r#"{"error":"description, active, tag_list, run_untagged, locked, access_level, maximum_timeout are missing, at least one parameter must be provided"}"#,
        );
        assert_eq!(
            legacy_pause_retry(&pause, &old),
            Some(RunnerUpdate {
                active: Some(false),
                ..Default::default()
            })
        );
        let resume = RunnerUpdate {
            paused: Some(false),
            ..Default::default()
        };
        assert_eq!(
            legacy_pause_retry(&resume, &old).unwrap().active,
            Some(true)
        );
        // Other failures are reported, not retried.
        let forbidden = http(403, r#"{"message":"403 Forbidden - No access granted"}"#);
        assert_eq!(legacy_pause_retry(&pause, &forbidden), None);
        let exclusive = http(400, r#"{"error":"active, paused are mutually exclusive"}"#);
        assert_eq!(legacy_pause_retry(&pause, &exclusive), None);
        // Nothing to fall back from.
        assert_eq!(legacy_pause_retry(&RunnerUpdate::default(), &old), None);
    }

    #[test]
    fn an_ignored_paused_is_detected_from_the_answer() {
        let sent = RunnerUpdate {
            description: Some("x".into()),
            paused: Some(true),
            ..Default::default()
        };
        let mut saved = details();
        assert_eq!(
            paused_ignored(&sent, &saved),
            Some(RunnerUpdate {
                active: Some(false),
                ..Default::default()
            })
        );
        saved.paused = Some(true);
        saved.active = Some(false);
        assert_eq!(paused_ignored(&sent, &saved), None);
        let no_pause = RunnerUpdate::default();
        assert_eq!(paused_ignored(&no_pause, &details()), None);
    }

    #[test]
    fn access_levels_in_words() {
        assert_eq!(
            access_level_text(Some("ref_protected")),
            "Protected branches only"
        );
        assert_eq!(access_level_text(Some("not_protected")), "Any branch");
        assert_eq!(access_level_text(None), "Unknown");
    }
}
