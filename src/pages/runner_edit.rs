//! `/runners/:id/edit`: every field GitLab lets one update, checked the way
//! GitLab's model checks it before anything is sent; only changed fields are
//! sent; GitLab's own field errors land next to their fields; leaving with
//! unsaved changes asks first.

use crate::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::api::model::display_name;
use crate::api::{request, AccessLevel, ApiError, RunnerDetails};
use crate::components::busy_line::busy_line;
use crate::components::error_notice::error_notice;
use crate::dom::{button, checked_of, el, label_for, option, value_of, El};
use crate::edit_draft::{changed_meanwhile, draft_key, field_list, Draft};
use crate::links;
use crate::router::use_router;
use crate::runner_form::{
    all_fields_placed, errors_for, legacy_pause_retry, parse_tags, paused_ignored,
    server_field_errors, Changes, Field, RunnerForm, MAX_NOTE_CHARS,
};
use crate::session::use_session;
use crate::task::Task;

const LEAVE_QUESTION: &str = "This runner has unsaved changes. Leave this page and lose them?";

pub fn runner_edit_page(id: Option<u64>) -> El {
    match id {
        Some(id) => runner_edit(id),
        // One element for the host: the heading and its way back.
        None => el("div").child(el("h1").text("No such runner")).child(
            el("p").text("This address does not name a runner. ").child(
                el("a")
                    .attr("href", &links::href(links::RUNNERS))
                    .text("Back to the runners list"),
            ),
        ),
    }
}

/// Asks before leaving while `dirty`: the browser's own prompt on reload, close or
/// a link to another site; the router's confirm on in-app links, Back/Forward and
/// shortcuts. Both go with the page.
fn guard_unsaved_changes(dirty: Signal<bool>) {
    use_router().guard_leaving(dirty, LEAVE_QUESTION);
    let unload = window_event_listener("beforeunload", move |ev: web_sys::BeforeUnloadEvent| {
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

fn read_draft(id: u64) -> Option<Draft> {
    let raw = draft_storage()?.get_item(&draft_key(id)).ok().flatten()?;
    Draft::decode(&raw)
}

fn write_draft(id: u64, draft: &Draft) {
    if let Some(s) = draft_storage() {
        let _ = s.set_item(&draft_key(id), &draft.encode());
    }
}

fn remove_draft(id: u64) {
    if let Some(s) = draft_storage() {
        let _ = s.remove_item(&draft_key(id));
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

fn runner_edit(id: u64) -> El {
    let client = use_session().client;
    let loaded = RwSignal::new(None::<Result<(), ApiError>>);
    let original = RwSignal::new(RunnerForm::default());
    let form = RwSignal::new(RunnerForm::default());
    let name = RwSignal::new(format!("#{id}"));
    let restored = RwSignal::new(false);

    let abort = StoredValue::new(None::<web_sys::AbortController>);
    let load = {
        let client = client.clone();
        move || {
            loaded.set(None);
            let ctrl = web_sys::AbortController::new().ok();
            let signal = ctrl.as_ref().map(|c| c.signal());
            abort.set_value(ctrl);
            let client = client.clone();
            crate::browser::spawn_local(async move {
                let result = client
                    .json::<RunnerDetails>(&request::get_runner(id), signal.as_ref())
                    .await;
                if matches!(result, Err(ApiError::Aborted)) {
                    return;
                }
                let result = result.map(|d| {
                    let values = RunnerForm::from_details(&d);
                    name.set(display_name(id, d.description.as_deref()));
                    // A draft from before a reload wins over the fresh values;
                    // its base stays the base, so a change made meanwhile by
                    // someone else is caught before saving.
                    match read_draft(id).filter(|d| d.edited.is_dirty(&d.base)) {
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
        }
    };
    load();
    let load_stored = StoredValue::new(load.clone());
    let load_again = move || load_stored.with_value(|f| f());
    on_cleanup(move || {
        if let Some(c) = abort.try_get_value().flatten() {
            c.abort();
        }
    });

    let dirty = Signal::derive(move || {
        matches!(loaded.get(), Some(Ok(()))) && form.with(|f| original.with(|o| f.is_dirty(o)))
    });
    guard_unsaved_changes(dirty);
    // Every keystroke keeps the draft for a reload; no changes, no draft.
    crate::dom::effect_after(move || {
        if !matches!(loaded.get(), Some(Ok(()))) {
            return;
        }
        if dirty.get() {
            write_draft(
                id,
                &Draft {
                    base: original.get(),
                    edited: form.get(),
                },
            );
        } else {
            remove_draft(id);
        }
    });

    // Client checks show once a save was tried, then follow the typing.
    let attempted = RwSignal::new(false);
    let server_error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(String::new());

    let conflict = RwSignal::new(None::<Conflict>);
    let router = use_router();
    let toasts = crate::components::toasts::use_toasts();
    // Re-reads the runner first: if someone changed it since the form was
    // loaded, nothing is sent until the person chooses (unless `overwrite`).
    let save = Task::new({
        let client = client.clone();
        move |(changes, overwrite): &(Changes, bool)| {
            let (client, changes, overwrite) = (client.clone(), changes.clone(), *overwrite);
            async move {
                if !overwrite {
                    let fresh = client
                        .json::<RunnerDetails>(&request::get_runner(id), None)
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
                remove_draft(id);
                original.set(RunnerForm::from_details(&saved));
                form.set(RunnerForm::from_details(&saved));
                notice.set("Saved.".into());
                toasts.success(format!("Runner #{id} saved"));
                router.navigate(&links::runner(id));
                Ok::<(), SaveBlocked>(())
            }
        }
    });
    crate::dom::effect_after(move || match save.value().get() {
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
            remove_draft(id);
            notice.set("Reloaded: the form now shows the runner as it is on GitLab.".into());
        }
    };
    let discard = move |_| {
        // Back to the runner as GitLab has it, not to a restored draft's base.
        restored.set(false);
        server_error.set(None);
        conflict.set(None);
        remove_draft(id);
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
    let invalid = move |field: Field| (!errors(field).is_empty()).then(|| "true".to_string());
    // aria-describedby: the help text (if any) and the error when shown.
    let described = move |field: Field, help: Option<&'static str>| {
        let mut ids: Vec<String> = help.map(str::to_string).into_iter().collect();
        if !errors(field).is_empty() {
            ids.push(format!("{}-error", field.id()));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    // Shown while the field has messages; their text follows the typing in place.
    let field_error = move |field: Field| {
        move || {
            el("p")
                .class("field-error")
                .id(&format!("{}-error", field.id()))
                .text_dyn(move || errors(field).join(" "))
        }
    };
    let has_errors = move |field: Field| move || !errors(field).is_empty();

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

    let retry = Callback::new({
        let load = load.clone();
        move |_| load()
    });

    // An input (or textarea) showing one text field of `form` and writing it back.
    let text_input = move |tag: &str,
                           field: Field,
                           help: Option<&'static str>,
                           get: fn(&RunnerForm) -> &str,
                           set: fn(&mut RunnerForm, String)| {
        el(tag)
            .id(field.id())
            .prop_dyn("value", move || form.with(|f| JsValue::from_str(get(f))))
            .on("input", move |ev| form.update(|f| set(f, value_of(&ev))))
            .attr_dyn("aria-invalid", move || invalid(field))
            .attr_dyn("aria-describedby", move || described(field, help))
    };
    let checkbox =
        move |field: Field, get: fn(&RunnerForm) -> bool, set: fn(&mut RunnerForm, bool)| {
            el("input")
                .id(field.id())
                .attr("type", "checkbox")
                .prop_dyn("checked", move || JsValue::from_bool(form.with(get)))
                .on("change", move |ev| form.update(|f| set(f, checked_of(&ev))))
        };
    let label = |field: Field, text: &str| label_for(field.id(), text);
    let help = |id: &str, text: &str| el("p").class("help").id(id).text(text);
    // A field's messages go last in its box.
    let with_error =
        move |field_el: El, field: Field| field_el.show(has_errors(field), field_error(field));
    // A checkbox, its label and its help text (`help_id`), in a box with its messages.
    let check_field = move |field: Field, input: El, text: &str, help_id: &str, help_text: &str| {
        with_error(
            el("div")
                .class("form-field check")
                .child(input)
                .child(label(field, text))
                .child(help(help_id, help_text)),
            field,
        )
    };

    let form_view = move || {
        el("form")
            .class("runner-form")
            .attr("novalidate", "")
            .on("submit", move |ev| {
                ev.prevent_default();
                submit();
            })
            .show(
                move || restored.get(),
                || {
                    el("p")
                        .class("notice restored")
                        .attr("role", "status")
                        .text("Restored your unsaved changes from before the page was reloaded. ")
                        .text("Save them, or discard them to start from the runner as it is on GitLab.")
                },
            )
            .child(with_error(
                el("div")
                    .class("form-field")
                    .child(label(Field::Description, "Description"))
                    .child(
                        text_input(
                            "input",
                            Field::Description,
                            None,
                            |f| &f.description,
                            |f, v| f.description = v,
                        )
                        .attr("type", "text"),
                    ),
                Field::Description,
            ))
            .child(check_field(
                Field::Paused,
                checkbox(Field::Paused, |f| f.paused, |f, v| f.paused = v)
                    .attr("aria-describedby", "runner-paused-help"),
                "Paused",
                "runner-paused-help",
                "A paused runner takes no new jobs.",
            ))
            .child(with_error(
                el("div")
                    .class("form-field")
                    .child(label(Field::Tags, "Tags"))
                    .child(
                        text_input(
                            "input",
                            Field::Tags,
                            Some("runner-tags-help"),
                            |f| &f.tags,
                            |f, v| f.tags = v,
                        )
                        .attr("type", "text"),
                    )
                    .child(
                        el("p")
                            .class("help")
                            .id("runner-tags-help")
                            .text("Separate tags with commas. ")
                            .text_dyn(tags_preview),
                    ),
                Field::Tags,
            ))
            .child(check_field(
                Field::RunUntagged,
                checkbox(Field::RunUntagged, |f| f.run_untagged, |f, v| f.run_untagged = v)
                    .attr_dyn("aria-invalid", move || invalid(Field::RunUntagged))
                    .attr_dyn("aria-describedby", move || {
                        described(Field::RunUntagged, Some("runner-untagged-help"))
                    }),
                "Run untagged jobs",
                "runner-untagged-help",
                "When off, the runner needs at least one tag.",
            ))
            .child(check_field(
                Field::Locked,
                checkbox(Field::Locked, |f| f.locked, |f, v| f.locked = v)
                    .attr("aria-describedby", "runner-locked-help"),
                "Locked to current projects",
                "runner-locked-help",
                "A locked project runner cannot be enabled for other projects.",
            ))
            .child(with_error(
                el("div")
                    .class("form-field")
                    .child(label(Field::AccessLevel, "Protected"))
                    .child(
                        el("select")
                            .id(Field::AccessLevel.id())
                            .child(
                                option("not_protected", "Any branch"),
                            )
                            .child(
                                option("ref_protected", "Protected branches only"),
                            )
                            .prop_dyn("value", move || {
                                JsValue::from_str(form.with(|f| f.access_level.as_str()))
                            })
                            .on("change", move |ev| {
                                if let Some(level) = AccessLevel::parse(&value_of(&ev)) {
                                    form.update(|f| f.access_level = level);
                                }
                            })
                            .attr_dyn("aria-invalid", move || invalid(Field::AccessLevel))
                            .attr_dyn("aria-describedby", move || {
                                described(Field::AccessLevel, None)
                            }),
                    ),
                Field::AccessLevel,
            ))
            .child(with_error(
                el("div")
                    .class("form-field")
                    .child(label(Field::MaximumTimeout, "Maximum job timeout"))
                    // Text, not type=number: a number input reports "" for text it
                    // cannot read, which would silently clear the timeout.
                    .child(
                        text_input(
                            "input",
                            Field::MaximumTimeout,
                            Some("runner-timeout-help"),
                            |f| &f.maximum_timeout,
                            |f, v| f.maximum_timeout = v,
                        )
                        .attr("type", "text")
                        .attr("inputmode", "numeric"),
                    )
                    .child(help(
                        "runner-timeout-help",
                        "In seconds, at least 600 seconds (10 minutes). Leave empty for no limit.",
                    )),
                Field::MaximumTimeout,
            ))
            .child(with_error(
                el("div")
                    .class("form-field")
                    .child(label(Field::MaintenanceNote, "Maintenance note"))
                    // No maxlength: it counts UTF-16 units, GitLab counts characters.
                    .child(
                        text_input(
                            "textarea",
                            Field::MaintenanceNote,
                            Some("runner-note-count"),
                            |f| &f.maintenance_note,
                            |f, v| f.maintenance_note = v,
                        )
                        .attr("rows", "4"),
                    )
                    .child(
                        el("p")
                            .attr_dyn("class", move || {
                                Some(if note_over() { "help over" } else { "help" }.to_string())
                            })
                            .id("runner-note-count")
                            .text_dyn(note_count),
                    ),
                Field::MaintenanceNote,
            ))
            .dyn_child(move || {
                server_error.get().map(|e| {
                    if all_fields_placed(&e) {
                        el("p").class("error").attr("role", "alert").text(
                            "GitLab did not save the changes: see the messages next to the fields.",
                        )
                    } else {
                        let said = el("p")
                            .class("error")
                            .attr("role", "alert")
                            .text("Not saved. Your changes are still in the form.");
                        let said = if e.outcome_unknown() {
                            said.text(" The answer never arrived, so GitLab may have made part of the change: check the runner, or try again to send the same changes.")
                        } else {
                            said
                        };
                        el("div")
                            .class("save-failed")
                            .child(said)
                            .child(error_notice(&e, Some(retry_save)))
                    }
                })
            })
            .dyn_child(move || {
                conflict.get().map(|c| {
                    el("div")
                        .class("conflict warning")
                        .attr("role", "alert")
                        .child(
                            el("p")
                                .child(el("strong").text("Someone changed this runner since you opened it."))
                                .text(" Changed on GitLab meanwhile: ")
                                .text(&field_list(&c.fields))
                                .text("."),
                        )
                        .child(el("p").text("Saving now sends only the fields you changed and overwrites theirs where both changed. Reloading shows the runner as it is now and drops your changes."))
                        .child(
                            el("div")
                                .class("form-actions")
                                .child(
                                    button()
                                        .on("click", overwrite)
                                        .text("Save mine anyway"),
                                )
                                .child(
                                    button()
                                        .class("secondary")
                                        .on("click", take_theirs)
                                        .text("Reload the runner"),
                                ),
                        )
                })
            })
            .show(
                move || attempted.get() && form.with(|f| !f.validate().is_empty()),
                || {
                    el("p")
                        .class("error")
                        .attr("role", "alert")
                        .text("Not saved: correct the fields marked above.")
                },
            )
            .child(
                el("p")
                    .attr("role", "status")
                    .class("form-notice")
                    .text_dyn(move || notice.get()),
            )
            .child(
                el("div")
                    .class("form-actions")
                    .child(
                        el("button")
                            .attr("type", "submit")
                            .disabled_while(move || saving.get())
                            .text_dyn(move || {
                                if saving.get() { "Saving…" } else { "Save changes" }.to_string()
                            }),
                    )
                    .child(
                        button()
                            .class("secondary")
                            .on("click", discard)
                            .disabled_while(move || !dirty.get())
                            .text("Discard changes"),
                    )
                    .child(
                        el("a")
                            .class("button secondary")
                            .attr("href", &links::href(&links::runner(id)))
                            .text("Cancel"),
                    ),
            )
    };

    el("section")
        .class("runner-edit")
        .attr("aria-labelledby", "edit-title")
        .child(
            el("h1")
                .id("edit-title")
                .text("Edit runner ")
                .text_dyn(move || name.get()),
        )
        .dyn_nodes(move || match loaded.get() {
            None => vec![busy_line("Loading the runner…")],
            Some(Err(error)) => {
                let words = if error.is_not_found() {
                    "This runner is gone: GitLab has no runner with this id, or you cannot see it."
                } else if error.is_forbidden() {
                    "You do not have access to this runner."
                } else {
                    "The runner could not be loaded."
                };
                vec![
                    el("p").text(words).text(" ").child(
                        el("a")
                            .attr("href", &links::href(links::RUNNERS))
                            .text("Back to the runners list"),
                    ),
                    error_notice(&error, Some(retry)),
                ]
            }
            Some(Ok(())) => vec![form_view()],
        })
}
