//! `/runners/:id/edit`: every field GitLab lets one update, checked the way
//! GitLab's model checks it before anything is sent; only changed fields are
//! sent; GitLab's own field errors land next to their fields; leaving with
//! unsaved changes asks first.

use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::client::abort_on_cleanup;
use crate::api::model::display_name;
use crate::api::{request, AccessLevel, ApiError, RunnerDetails};
use crate::components::error_notice::ErrorNotice;
use crate::edit_draft::{changed_meanwhile, draft_key, field_list, Draft};
use crate::links;
use crate::navigation::use_navigation;
use crate::runner_form::{
    all_fields_placed, errors_for, legacy_pause_retry, parse_tags, paused_ignored,
    server_field_errors, Changes, Field, RunnerForm, MAX_NOTE_CHARS,
};
use crate::session::use_session;

const LEAVE_QUESTION: &str = "This runner has unsaved changes. Leave this page and lose them?";

#[component]
pub fn RunnerEditPage(id: Option<u64>) -> impl IntoView {
    match id {
        Some(id) => Either::Left(view! { <RunnerEdit id=id /> }),
        None => Either::Right(view! {
            <h1>"No such runner"</h1>
            <p>
                "This address does not name a runner. "
                <a href=links::href(links::RUNNERS)>"Back to the runners list"</a>
            </p>
        }),
    }
}

/// Asks before leaving while `dirty`: the browser's own prompt on reload, close or
/// a link to another site; the router's confirm on in-app links, Back/Forward and
/// shortcuts. Both go with the page.
fn guard_unsaved_changes(dirty: Signal<bool>) {
    use_navigation().guard_leaving(dirty, LEAVE_QUESTION);
    let unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if dirty.get_untracked() {
            ev.prevent_default();
            ev.set_return_value("");
        }
    });
    on_cleanup(move || {
        unload.remove();
    });
}

fn draft_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// `edit_draft::draft_key` of the runner being edited.
type DraftKey = StoredValue<String>;

fn read_draft(key: DraftKey) -> Option<Draft> {
    let raw = draft_storage()?.get_item(&key.get_value()).ok().flatten()?;
    Draft::decode(&raw)
}

fn write_draft(key: DraftKey, draft: &Draft) {
    if let Some(s) = draft_storage() {
        let _ = s.set_item(&key.get_value(), &draft.encode());
    }
}

fn remove_draft(key: DraftKey) {
    if let Some(s) = draft_storage() {
        let _ = s.remove_item(&key.get_value());
    }
}

/// Someone changed the runner since the form was loaded.
#[derive(Clone, Debug, PartialEq)]
struct Conflict {
    fields: Vec<Field>,
    fresh: RunnerForm,
    /// What the person wanted to save, ready to send anyway.
    changes: Changes,
}

/// What a save ended with, besides success.
#[derive(Clone, Debug, PartialEq)]
enum SaveBlocked {
    Conflict(Conflict),
    Failed(ApiError),
}

/// Sends the changes, and falls back to `active` where an old GitLab ignored `paused`.
async fn save_changes(
    client: &crate::api::Client,
    id: u64,
    changes: &Changes,
) -> Result<RunnerDetails, ApiError> {
    let sent = &changes.update;
    let saved = match client
        .json::<RunnerDetails>(&changes.request(id), None)
        .await
    {
        Err(error) => match legacy_pause_retry(sent, &error) {
            Some(retry) => {
                let retry = Changes {
                    update: retry,
                    ..changes.clone()
                };
                return client.json(&retry.request(id), None).await;
            }
            None => return Err(error),
        },
        Ok(saved) => saved,
    };
    match paused_ignored(sent, &saved) {
        Some(fix) => client.json(&request::update_runner(id, &fix), None).await,
        None => Ok(saved),
    }
}

#[component]
fn RunnerEdit(id: u64) -> impl IntoView {
    let session = use_session();
    let client = session.client;
    let key = StoredValue::new(draft_key(&session.label, id));
    let loaded = RwSignal::new(None::<Result<(), ApiError>>);
    let original = RwSignal::new(RunnerForm::default());
    let form = RwSignal::new(RunnerForm::default());
    let name = RwSignal::new(format!("#{id}"));
    let restored = RwSignal::new(false);

    // The runner as GitLab has it; `refetch` loads it again (discard, retry).
    let details = LocalResource::new({
        let client = client.clone();
        move || {
            let (client, abort) = (client.clone(), abort_on_cleanup());
            async move {
                client
                    .json::<RunnerDetails>(
                        &request::get_runner_without_projects(id),
                        abort.as_ref(),
                    )
                    .await
            }
        }
    });
    // Each answer fills the form. A draft from before a reload wins over the
    // fresh values; its base stays the base, so a change made meanwhile by
    // someone else is caught before saving.
    Effect::new(move || {
        let Some(result) = details.get() else { return };
        if matches!(result, Err(ApiError::Aborted)) {
            return;
        }
        let result = result.map(|d| {
            let values = RunnerForm::from_details(&d);
            name.set(display_name(id, d.description.as_deref()));
            match read_draft(key).filter(|d| d.edited.is_dirty(&d.base)) {
                Some(draft) => {
                    original.set(draft.base);
                    form.set(draft.edited);
                    restored.set(true);
                }
                None => {
                    original.set(values.clone());
                    form.set(values);
                }
            }
        });
        loaded.set(Some(result));
    });
    let load_again = move || {
        loaded.set(None);
        details.refetch();
    };

    let dirty = Signal::derive(move || {
        matches!(loaded.get(), Some(Ok(()))) && form.with(|f| original.with(|o| f.is_dirty(o)))
    });
    guard_unsaved_changes(dirty);
    // Every keystroke keeps the draft for a reload; no changes, no draft.
    Effect::new(move || {
        if !matches!(loaded.get(), Some(Ok(()))) {
            return;
        }
        if dirty.get() {
            write_draft(
                key,
                &Draft {
                    base: original.get(),
                    edited: form.get(),
                },
            );
        } else {
            remove_draft(key);
        }
    });

    // Client checks show once a save was tried, then follow the typing.
    let attempted = RwSignal::new(false);
    let server_error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(String::new());

    let conflict = RwSignal::new(None::<Conflict>);
    let router = use_navigation();
    let toasts = crate::components::toasts::use_toasts();
    // Re-reads the runner first: if someone changed it since the form was
    // loaded, nothing is sent until the person chooses (unless `overwrite`).
    let save = Action::new_local({
        let client = client.clone();
        move |(changes, overwrite): &(Changes, bool)| {
            let (client, changes, overwrite) = (client.clone(), changes.clone(), *overwrite);
            async move {
                if !overwrite {
                    let fresh = client
                        .json::<RunnerDetails>(&request::get_runner_without_projects(id), None)
                        .await
                        .map_err(SaveBlocked::Failed)?;
                    let fresh = RunnerForm::from_details(&fresh);
                    let fields = original.with_untracked(|base| changed_meanwhile(base, &fresh));
                    if !fields.is_empty() {
                        return Err(SaveBlocked::Conflict(Conflict {
                            fields,
                            fresh,
                            changes,
                        }));
                    }
                }
                let saved = save_changes(&client, id, &changes)
                    .await
                    .map_err(SaveBlocked::Failed)?;
                // Saved: nothing is unsaved any more, so leaving does not ask.
                remove_draft(key);
                original.set(RunnerForm::from_details(&saved));
                form.set(RunnerForm::from_details(&saved));
                notice.set("Saved.".into());
                toasts.success(format!("Runner #{id} saved"));
                router.navigate(&links::runner(id));
                Ok::<(), SaveBlocked>(())
            }
        }
    });
    Effect::new(move || match save.value().get() {
        Some(Err(SaveBlocked::Failed(e))) => server_error.set(Some(e)),
        Some(Err(SaveBlocked::Conflict(c))) => conflict.set(Some(c)),
        _ => {}
    });
    let saving = save.pending();

    let submit = move || {
        if saving.get_untracked() {
            return;
        }
        attempted.set(true);
        notice.set(String::new());
        conflict.set(None);
        let values = form.get_untracked();
        match original.with_untracked(|o| values.changes(o)) {
            Err(errors) => {
                if let Some((field, _)) = errors.first() {
                    if let Some(el) = document().get_element_by_id(field.id()) {
                        let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
                    }
                }
            }
            Ok(changes) if changes.is_empty() => {
                notice.set("Nothing changed, so there is nothing to save.".into());
            }
            Ok(changes) => {
                server_error.set(None);
                save.dispatch((changes, false));
            }
        }
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        submit();
    };
    // A failed save is never repeated on its own: this is the person's retry.
    let retry_save = Callback::new(move |_| submit());
    let overwrite = move |_| {
        if let Some(c) = conflict.get_untracked() {
            conflict.set(None);
            server_error.set(None);
            save.dispatch((c.changes, true));
        }
    };
    let take_theirs = move |_| {
        if let Some(c) = conflict.get_untracked() {
            conflict.set(None);
            server_error.set(None);
            original.set(c.fresh.clone());
            form.set(c.fresh);
            restored.set(false);
            remove_draft(key);
            notice.set("Reloaded: the form now shows the runner as it is on GitLab.".into());
        }
    };
    let discard = move |_| {
        // Back to the runner as GitLab has it, not to a restored draft's base.
        restored.set(false);
        server_error.set(None);
        conflict.set(None);
        remove_draft(key);
        notice.set("Your changes were discarded.".into());
        load_again();
    };

    // Messages next to a field: the form's own checks, then GitLab's answer.
    let errors = move |field: Field| -> Vec<String> {
        let mut out = if attempted.get() {
            form.with(|f| errors_for(&f.validate(), field))
        } else {
            Vec::new()
        };
        if let Some(e) = server_error.get() {
            for m in errors_for(&server_field_errors(&e), field) {
                if !out.contains(&m) {
                    out.push(m);
                }
            }
        }
        out
    };
    let invalid = move |field: Field| (!errors(field).is_empty()).then_some("true");
    // aria-describedby: the help text (if any) and the error when shown.
    let described = move |field: Field, help: Option<&'static str>| {
        let mut ids: Vec<String> = help.map(str::to_string).into_iter().collect();
        if !errors(field).is_empty() {
            ids.push(format!("{}-error", field.id()));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let field_error = move |field: Field| {
        move || {
            let msgs = errors(field);
            (!msgs.is_empty()).then(|| {
                view! {
                    <p class="field-error" id=format!("{}-error", field.id())>
                        {msgs.join(" ")}
                    </p>
                }
            })
        }
    };

    let tags_preview = move || {
        let tags = form.with(|f| parse_tags(&f.tags));
        if tags.is_empty() {
            "Saved as: no tags".to_string()
        } else {
            format!("Saved as: {}", tags.join(", "))
        }
    };
    let note_count = move || {
        let n = form.with(|f| f.maintenance_note.chars().count());
        format!("{n} of {MAX_NOTE_CHARS} characters")
    };
    let note_over = move || form.with(|f| f.maintenance_note.chars().count() > MAX_NOTE_CHARS);

    let retry = Callback::new(move |_| load_again());

    let form_view = move || {
        view! {
            <form class="runner-form" on:submit=on_submit novalidate>
                <Show when=move || { restored.get() }><p class="notice restored" role="status">
                        "Restored your unsaved changes from before the page was reloaded. "
                        "Save them, or discard them to start from the runner as it is on GitLab."
                    </p></Show>
                <div class="form-field">
                    <label for=Field::Description.id()>"Description"</label>
                    <input
                        id=Field::Description.id()
                        type="text"
                        prop:value=move || form.with(|f| f.description.clone())
                        on:input=move |ev| form.update(|f| f.description = event_target_value(&ev))
                        aria-invalid=move || invalid(Field::Description)
                        aria-describedby=move || described(Field::Description, None)
                    />
                    {field_error(Field::Description)}
                </div>
                <div class="form-field check">
                    <input
                        id=Field::Paused.id()
                        type="checkbox"
                        prop:checked=move || form.with(|f| f.paused)
                        on:change=move |ev| form.update(|f| f.paused = event_target_checked(&ev))
                        aria-describedby="runner-paused-help"
                    />
                    <label for=Field::Paused.id()>"Paused"</label>
                    <p class="help" id="runner-paused-help">"A paused runner takes no new jobs."</p>
                    {field_error(Field::Paused)}
                </div>
                <div class="form-field">
                    <label for=Field::Tags.id()>"Tags"</label>
                    <input
                        id=Field::Tags.id()
                        type="text"
                        prop:value=move || form.with(|f| f.tags.clone())
                        on:input=move |ev| form.update(|f| f.tags = event_target_value(&ev))
                        aria-invalid=move || invalid(Field::Tags)
                        aria-describedby=move || described(Field::Tags, Some("runner-tags-help"))
                    />
                    <p class="help" id="runner-tags-help">
                        "Separate tags with commas. " {tags_preview}
                    </p>
                    {field_error(Field::Tags)}
                </div>
                <div class="form-field check">
                    <input
                        id=Field::RunUntagged.id()
                        type="checkbox"
                        prop:checked=move || form.with(|f| f.run_untagged)
                        on:change=move |ev| form.update(|f| f.run_untagged = event_target_checked(&ev))
                        aria-invalid=move || invalid(Field::RunUntagged)
                        aria-describedby=move || described(Field::RunUntagged, Some("runner-untagged-help"))
                    />
                    <label for=Field::RunUntagged.id()>"Run untagged jobs"</label>
                    <p class="help" id="runner-untagged-help">
                        "When off, the runner needs at least one tag."
                    </p>
                    {field_error(Field::RunUntagged)}
                </div>
                <div class="form-field check">
                    <input
                        id=Field::Locked.id()
                        type="checkbox"
                        prop:checked=move || form.with(|f| f.locked)
                        on:change=move |ev| form.update(|f| f.locked = event_target_checked(&ev))
                        aria-describedby="runner-locked-help"
                    />
                    <label for=Field::Locked.id()>"Locked to current projects"</label>
                    <p class="help" id="runner-locked-help">
                        "A locked project runner cannot be enabled for other projects."
                    </p>
                    {field_error(Field::Locked)}
                </div>
                <div class="form-field">
                    <label for=Field::AccessLevel.id()>"Protected"</label>
                    <select
                        id=Field::AccessLevel.id()
                        prop:value=move || form.with(|f| f.access_level.as_str())
                        on:change=move |ev| {
                            if let Some(level) = AccessLevel::parse(&event_target_value(&ev)) {
                                form.update(|f| f.access_level = level);
                            }
                        }
                        aria-invalid=move || invalid(Field::AccessLevel)
                        aria-describedby=move || described(Field::AccessLevel, None)
                    >
                        <option value="not_protected">"Any branch"</option>
                        <option value="ref_protected">"Protected branches only"</option>
                    </select>
                    {field_error(Field::AccessLevel)}
                </div>
                <div class="form-field">
                    <label for=Field::MaximumTimeout.id()>"Maximum job timeout"</label>
                    // Text, not type=number: a number input reports "" for text it
                    // cannot read, which would silently clear the timeout.
                    <input
                        id=Field::MaximumTimeout.id()
                        type="text"
                        inputmode="numeric"
                        prop:value=move || form.with(|f| f.maximum_timeout.clone())
                        on:input=move |ev| form.update(|f| f.maximum_timeout = event_target_value(&ev))
                        aria-invalid=move || invalid(Field::MaximumTimeout)
                        aria-describedby=move || described(Field::MaximumTimeout, Some("runner-timeout-help"))
                    />
                    <p class="help" id="runner-timeout-help">
                        "In seconds, at least 600 seconds (10 minutes). Leave empty for no limit."
                    </p>
                    {field_error(Field::MaximumTimeout)}
                </div>
                <div class="form-field">
                    <label for=Field::MaintenanceNote.id()>"Maintenance note"</label>
                    // No maxlength: it counts UTF-16 units, GitLab counts characters.
                    <textarea
                        id=Field::MaintenanceNote.id()
                        rows="4"
                        prop:value=move || form.with(|f| f.maintenance_note.clone())
                        on:input=move |ev| form.update(|f| f.maintenance_note = event_target_value(&ev))
                        aria-invalid=move || invalid(Field::MaintenanceNote)
                        aria-describedby=move || described(Field::MaintenanceNote, Some("runner-note-count"))
                    ></textarea>
                    <p class="help" class:over=note_over id="runner-note-count">{note_count}</p>
                    {field_error(Field::MaintenanceNote)}
                </div>
                {move || server_error.get().map(|e| {
                    if all_fields_placed(&e) {
                        Either::Left(view! {
                            <p class="error" role="alert">
                                "GitLab did not save the changes: see the messages next to the fields."
                            </p>
                        })
                    } else {
                        let unknown = e.outcome_unknown();
                        Either::Right(view! {
                            <div class="save-failed">
                                <p class="error" role="alert">
                                    "Not saved. Your changes are still in the form."
                                    {unknown.then_some(" The answer never arrived, so GitLab may have made part of the change: check the runner, or try again to send the same changes.")}
                                </p>
                                <ErrorNotice error=e retry=retry_save />
                            </div>
                        })
                    }
                })}
                {move || conflict.get().map(|c| {
                    let fields = field_list(&c.fields);
                    view! {
                        <div class="conflict warning" role="alert">
                            <p>
                                <strong>"Someone changed this runner since you opened it."</strong>
                                " Changed on GitLab meanwhile: " {fields} "."
                            </p>
                            <p>
                                "Saving now sends only the fields you changed and overwrites theirs where both changed. Reloading shows the runner as it is now and drops your changes."
                            </p>
                            <div class="form-actions">
                                <button type="button" on:click=overwrite>"Save mine anyway"</button>
                                <button type="button" class="secondary" on:click=take_theirs>
                                    "Reload the runner"
                                </button>
                            </div>
                        </div>
                    }
                })}
                {move || {
                    (attempted.get() && form.with(|f| !f.validate().is_empty())).then(|| view! {
                        <p class="error" role="alert">
                            "Not saved: correct the fields marked above."
                        </p>
                    })
                }}
                <p role="status" class="form-notice">{move || notice.get()}</p>
                <div class="form-actions">
                    <button type="submit" disabled=move || saving.get()>
                        {move || if saving.get() { "Saving…" } else { "Save changes" }}
                    </button>
                    <button type="button" class="secondary" on:click=discard disabled=move || !dirty.get()>
                        "Discard changes"
                    </button>
                    <a class="button secondary" href=links::href(&links::runner(id))>"Cancel"</a>
                </div>
            </form>
        }
    };

    view! {
        <section class="runner-edit" aria-labelledby="edit-title">
            <h1 id="edit-title">"Edit runner " {move || name.get()}</h1>
            {move || match loaded.get() {
                None => view! { <p class="loading" role="status">"Loading the runner…"</p> }.into_any(),
                Some(Err(error)) => {
                    let words = if error.is_not_found() {
                        "This runner is gone: GitLab has no runner with this id, or you cannot see it."
                    } else if error.is_forbidden() {
                        "You do not have access to this runner."
                    } else {
                        "The runner could not be loaded."
                    };
                    view! {
                        <p>
                            {words} " "
                            <a href=links::href(links::RUNNERS)>"Back to the runners list"</a>
                        </p>
                        <ErrorNotice error=error retry=retry />
                    }
                    .into_any()
                }
                Some(Ok(())) => form_view().into_any(),
            }}
        </section>
    }
}
