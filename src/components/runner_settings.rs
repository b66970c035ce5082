//! The settings every new runner takes, registered (`POST /runners`) or created
//! (`POST /user/runners`): description, tags, the three flags, protected refs,
//! the job timeout and the maintenance note.

use leptos::prelude::*;

use crate::api::AccessLevel;
use crate::components::fields::TextField;
use crate::register_form::{Field, SettingsForm, NOTE_MAX_CHARS};

/// The inputs, as typed; each page reads them when it submits.
#[derive(Clone, Copy)]
pub struct SettingsInputs {
    pub description: RwSignal<String>,
    pub tags: RwSignal<String>,
    pub paused: RwSignal<bool>,
    pub locked: RwSignal<bool>,
    pub run_untagged: RwSignal<bool>,
    pub access_level: RwSignal<String>,
    pub maximum_timeout: RwSignal<String>,
    pub maintenance_note: RwSignal<String>,
}

impl Default for SettingsInputs {
    /// GitLab's defaults for a new runner.
    fn default() -> Self {
        SettingsInputs {
            description: RwSignal::new(String::new()),
            tags: RwSignal::new(String::new()),
            paused: RwSignal::new(false),
            locked: RwSignal::new(false),
            run_untagged: RwSignal::new(true),
            access_level: RwSignal::new(AccessLevel::NotProtected.as_str().to_string()),
            maximum_timeout: RwSignal::new(String::new()),
            maintenance_note: RwSignal::new(String::new()),
        }
    }
}

impl SettingsInputs {
    /// What the inputs hold now (untracked: read when the form is sent).
    pub fn read(&self) -> SettingsForm {
        SettingsForm {
            description: self.description.get_untracked(),
            tags: self.tags.get_untracked(),
            paused: self.paused.get_untracked(),
            locked: self.locked.get_untracked(),
            run_untagged: self.run_untagged.get_untracked(),
            access_level: AccessLevel::parse(&self.access_level.get_untracked())
                .unwrap_or(AccessLevel::NotProtected),
            maximum_timeout: self.maximum_timeout.get_untracked(),
            maintenance_note: self.maintenance_note.get_untracked(),
        }
    }
}

/// The fields, with ids `{prefix}-description` and so on; `message` gives the
/// words for a field that needs a change (the page's check, or GitLab's).
#[component]
pub fn RunnerSettingsFields(
    prefix: &'static str,
    inputs: SettingsInputs,
    message: Callback<Field, Option<String>>,
) -> impl IntoView {
    let id = move |name: &str| format!("{prefix}-{name}");
    let field_error = move |field: Field, name: &'static str| {
        let error_id = id(name);
        move || {
            message
                .run(field)
                .map(|m| view! { <p class="field-error" id=error_id.clone() role="alert">{m}</p> })
        }
    };
    let invalid = move |field: Field| move || message.run(field).is_some().to_string();
    let described = move |name: &str| format!("{0}-{name}-help {0}-{name}-error", prefix);
    let SettingsInputs {
        description,
        tags,
        paused,
        locked,
        run_untagged,
        access_level,
        maximum_timeout,
        maintenance_note,
    } = inputs;
    view! {
        <TextField id=id("description") label="Description" value=description />
        <div class="field">
            <label for=id("tags")>"Tags"</label>
            <input
                id=id("tags")
                type="text"
                spellcheck="false"
                aria-describedby=described("tags")
                aria-invalid=invalid(Field::Tags)
                bind:value=tags
            />
            <p class="help" id=id("tags-help")>"Comma-separated, e.g. docker, linux."</p>
            {field_error(Field::Tags, "tags-error")}
        </div>
        <fieldset class="checks">
            <legend>"Behaviour"</legend>
            <div class="check">
                <input id=id("run-untagged") type="checkbox" bind:checked=run_untagged />
                <label for=id("run-untagged")>"Run untagged jobs"</label>
            </div>
            <div class="check">
                <input id=id("paused") type="checkbox" bind:checked=paused />
                <label for=id("paused")>"Paused"</label>
                <span class="help">" (takes no new jobs until resumed)"</span>
            </div>
            <div class="check">
                <input id=id("locked") type="checkbox" bind:checked=locked />
                <label for=id("locked")>"Locked to its current projects"</label>
            </div>
        </fieldset>
        <div class="field">
            <label for=id("access")>"Protected refs"</label>
            <select id=id("access") prop:value=move || access_level.get() on:change=move |ev| access_level.set(event_target_value(&ev))>
                <option value="not_protected">"Jobs of any branch or tag"</option>
                <option value="ref_protected">"Only jobs of protected branches and tags"</option>
            </select>
        </div>
        <div class="field">
            <label for=id("timeout")>"Maximum job timeout (seconds)"</label>
            <input
                id=id("timeout")
                type="text"
                inputmode="numeric"
                aria-describedby=described("timeout")
                aria-invalid=invalid(Field::MaximumTimeout)
                bind:value=maximum_timeout
            />
            <p class="help" id=id("timeout-help")>"At least 600 (10 minutes); empty for no limit."</p>
            {field_error(Field::MaximumTimeout, "timeout-error")}
        </div>
        <div class="field">
            <label for=id("note")>"Maintenance note"</label>
            <textarea
                id=id("note")
                rows="3"
                aria-describedby=described("note")
                aria-invalid=invalid(Field::MaintenanceNote)
                prop:value=move || maintenance_note.get()
                on:input=move |ev| maintenance_note.set(event_target_value(&ev))
            ></textarea>
            <p class="help" id=id("note-help")>
                {move || format!("{} of {NOTE_MAX_CHARS} characters.", maintenance_note.read().chars().count())}
            </p>
            {field_error(Field::MaintenanceNote, "note-error")}
        </div>
    }
}
