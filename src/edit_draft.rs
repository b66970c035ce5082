//! The edit form's safety net, as plain data: the draft kept in sessionStorage
//! so a reload keeps unsaved changes, and the check before saving that someone
//! else changed the runner meanwhile.

use serde::{Deserialize, Serialize};

use crate::api::AccessLevel;
use crate::runner_form::{Field, RunnerForm};

/// Where a runner's draft is kept: `session::DRAFT_PREFIX` + instance label +
/// `.` + id (runner 3 of one instance is not runner 3 of another).
pub fn draft_key(label: &str, id: u64) -> String {
    format!("runner-console.draft.{label}.{id}")
}

/// What the form was based on (the runner as loaded) and what was typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    pub base: RunnerForm,
    pub edited: RunnerForm,
}

#[derive(Serialize, Deserialize)]
struct StoredForm {
    description: String,
    paused: bool,
    tags: String,
    run_untagged: bool,
    locked: bool,
    access_level: String,
    maximum_timeout: String,
    maintenance_note: String,
}

#[derive(Serialize, Deserialize)]
struct StoredDraft {
    base: StoredForm,
    edited: StoredForm,
}

impl From<&RunnerForm> for StoredForm {
    fn from(f: &RunnerForm) -> Self {
        StoredForm {
            description: f.description.clone(),
            paused: f.paused,
            tags: f.tags.clone(),
            run_untagged: f.run_untagged,
            locked: f.locked,
            access_level: f.access_level.as_str().to_string(),
            maximum_timeout: f.maximum_timeout.clone(),
            maintenance_note: f.maintenance_note.clone(),
        }
    }
}

impl StoredForm {
    fn into_form(self) -> Option<RunnerForm> {
        Some(RunnerForm {
            description: self.description,
            paused: self.paused,
            tags: self.tags,
            run_untagged: self.run_untagged,
            locked: self.locked,
            access_level: AccessLevel::parse(&self.access_level)?,
            maximum_timeout: self.maximum_timeout,
            maintenance_note: self.maintenance_note,
        })
    }
}

impl Draft {
    pub fn encode(&self) -> String {
        let stored = StoredDraft {
            base: (&self.base).into(),
            edited: (&self.edited).into(),
        };
        serde_json::to_string(&stored).unwrap_or_default()
    }

    /// `None` for anything unreadable (an old format, a hand-edited value).
    pub fn decode(text: &str) -> Option<Draft> {
        let stored: StoredDraft = serde_json::from_str(text).ok()?;
        Some(Draft {
            base: stored.base.into_form()?,
            edited: stored.edited.into_form()?,
        })
    }
}

/// The fields whose saved value differs between `base` (what the form
/// started from) and `fresh` (the runner as GitLab has it now).
pub fn changed_meanwhile(base: &RunnerForm, fresh: &RunnerForm) -> Vec<Field> {
    Field::ALL
        .into_iter()
        .filter(|f| {
            let (a, b) = (base, fresh);
            match f {
                Field::Description => a.description != b.description,
                Field::Paused => a.paused != b.paused,
                Field::Tags => a.tag_list() != b.tag_list(),
                Field::RunUntagged => a.run_untagged != b.run_untagged,
                Field::Locked => a.locked != b.locked,
                Field::AccessLevel => a.access_level != b.access_level,
                Field::MaximumTimeout => a.maximum_timeout.trim() != b.maximum_timeout.trim(),
                Field::MaintenanceNote => a.maintenance_note != b.maintenance_note,
            }
        })
        .collect()
}

/// "Description and Tags" style list of field labels.
pub fn field_list(fields: &[Field]) -> String {
    let labels: Vec<&str> = fields.iter().map(|f| f.label()).collect();
    match labels.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> RunnerForm {
        RunnerForm {
            description: "deploy « ü »".into(),
            paused: true,
            tags: "a, b".into(),
            run_untagged: false,
            locked: true,
            access_level: AccessLevel::RefProtected,
            maximum_timeout: "3600".into(),
            maintenance_note: "note\nline 2".into(),
        }
    }

    #[test]
    fn a_draft_survives_the_round_trip() {
        let d = Draft {
            base: RunnerForm::default(),
            edited: form(),
        };
        assert_eq!(Draft::decode(&d.encode()), Some(d));
        assert_eq!(Draft::decode("not json"), None);
        assert_eq!(
            Draft::decode(
                &Draft {
                    base: form(),
                    edited: form()
                }
                .encode()
                .replace("ref_protected", "x")
            ),
            None
        );
        assert_eq!(draft_key("prod", 12), "runner-console.draft.prod.12");
        assert!(draft_key("eu", 1).starts_with("runner-console.draft."));
    }

    #[test]
    fn changes_by_someone_else_are_named() {
        let base = form();
        assert!(changed_meanwhile(&base, &base).is_empty());
        // Re-spelled tags or padded numbers are the same saved value.
        let same = RunnerForm {
            tags: "a,b,".into(),
            maximum_timeout: " 3600".into(),
            ..form()
        };
        assert!(changed_meanwhile(&base, &same).is_empty());
        let fresh = RunnerForm {
            description: "other".into(),
            tags: "a".into(),
            maintenance_note: String::new(),
            ..form()
        };
        let changed = changed_meanwhile(&base, &fresh);
        assert_eq!(
            changed,
            [Field::Description, Field::Tags, Field::MaintenanceNote]
        );
        assert_eq!(
            field_list(&changed),
            "Description, Tags and Maintenance note"
        );
        assert_eq!(field_list(&[Field::Paused]), "Paused");
        assert_eq!(field_list(&[]), "");
    }
}
