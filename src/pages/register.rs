//! `/register`: register a runner with a registration token (`POST /runners`).
//! The new authentication token is shown once, with the config.toml entry to paste;
//! a refusal keeps the form as typed.

use crate::prelude::*;

use crate::api::{request, AccessLevel, ApiError, RegisteredRunner};
use crate::components::busy_line::busy_line;
use crate::components::fields::{busy_submit, secret_field, text_field};
use crate::components::refusal::refusal;
use crate::components::relative_time::relative_time;
use crate::components::token_reveal::{copy_status, copy_to_clipboard, token_reveal};
use crate::dom::{button, el, label_for, option, El};
use crate::links;
use crate::refusals::register_refusal;
use crate::register_form::{config_toml, Field, RegisterForm};
use crate::session::use_session;
use crate::task::Task;

pub fn register_page() -> El {
    let session = use_session();
    let client = session.client.clone();
    let gitlab_url = session.gitlab_url.clone();

    let defaults = RegisterForm::default();
    let token = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let tags = RwSignal::new(String::new());
    let paused = RwSignal::new(defaults.paused);
    let locked = RwSignal::new(defaults.locked);
    let run_untagged = RwSignal::new(defaults.run_untagged);
    let access_level = RwSignal::new(defaults.access_level.as_str().to_string());
    let maximum_timeout = RwSignal::new(String::new());
    let maintenance_note = RwSignal::new(String::new());
    let info_name = RwSignal::new(String::new());
    let info_version = RwSignal::new(String::new());
    let info_revision = RwSignal::new(String::new());
    let info_platform = RwSignal::new(String::new());
    let info_architecture = RwSignal::new(String::new());

    let form = move || RegisterForm {
        token: token.get_untracked(),
        description: description.get_untracked(),
        tags: tags.get_untracked(),
        paused: paused.get_untracked(),
        locked: locked.get_untracked(),
        run_untagged: run_untagged.get_untracked(),
        access_level: AccessLevel::parse(&access_level.get_untracked())
            .unwrap_or(AccessLevel::NotProtected),
        maximum_timeout: maximum_timeout.get_untracked(),
        maintenance_note: maintenance_note.get_untracked(),
        info_name: info_name.get_untracked(),
        info_version: info_version.get_untracked(),
        info_revision: info_revision.get_untracked(),
        info_platform: info_platform.get_untracked(),
        info_architecture: info_architecture.get_untracked(),
    };

    // Client-side problems (shown next to their fields) and GitLab's answer.
    let problems = RwSignal::new(Vec::<(Field, String)>::new());
    let failure = RwSignal::new(None::<ApiError>);
    // The new runner: its token lives only in `new_token` until dismissed.
    let new_token = RwSignal::new(None::<String>);
    let registered = RwSignal::new(None::<(u64, Option<String>, String)>);

    let register = Task::new(move |form: &RegisterForm| {
        let client = client.clone();
        let req = request::register_runner(&form.to_request());
        async move { client.json::<RegisteredRunner>(&req, None).await }
    });
    let pending = register.pending();
    let toasts = crate::components::toasts::use_toasts();
    crate::dom::effect_after(move || match register.value().get() {
        Some(Ok(runner)) => {
            failure.set(None);
            toasts.success(format!("Runner #{} registered", runner.id));
            registered.set(Some((
                runner.id,
                runner.token_expires_at.clone(),
                description.get_untracked(),
            )));
            new_token.set(Some(runner.token));
            // The action's copy of the answer would keep the token after the
            // reveal is dismissed: drop it, so `new_token` is the only copy.
            register.value().set(None);
        }
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    });

    let submit = move |ev: web_sys::Event| {
        ev.prevent_default();
        let f = form();
        let found = f.problems();
        problems.set(found.clone());
        if found.is_empty() {
            failure.set(None);
            register.dispatch(f);
        }
    };

    // The message for one field: ours first, else GitLab's validation message.
    let field_message = move |field: Field| {
        move || {
            problems
                .with(|p| p.iter().find(|(f, _)| *f == field).map(|(_, m)| m.clone()))
                .or_else(|| {
                    failure.with(|e| {
                        let msgs = e.as_ref()?.field_errors(field.gitlab_key());
                        (!msgs.is_empty()).then(|| format!("GitLab: {}", msgs.join(", ")))
                    })
                })
        }
    };
    // The field's error message, last in its box.
    let with_error = move |field_box: El, field: Field, id: &'static str| {
        let message = field_message(field);
        field_box.dyn_child(move || {
            message().map(|m| {
                el("p")
                    .class("field-error")
                    .id(id)
                    .attr("role", "alert")
                    .text(&m)
            })
        })
    };
    let invalid = move |field: Field| {
        let message = field_message(field);
        move || Some(message().is_some().to_string())
    };
    // A labelled input with help text and its error, all tied to it for screen readers.
    let described = move |input: El,
                          label: &'static str,
                          id: &'static str,
                          help: El,
                          field: Field,
                          error_id: &'static str| {
        let field_box = el("div")
            .class("field")
            .child(label_for(id, label))
            .child(input.id(id).attr_dyn("aria-invalid", invalid(field)))
            .child(help);
        with_error(field_box, field, error_id)
    };
    let check = |id: &'static str, label: &'static str, value: RwSignal<bool>| {
        el("div")
            .class("check")
            .child(
                el("input")
                    .id(id)
                    .attr("type", "checkbox")
                    .bind_checked(value),
            )
            .child(label_for(id, label))
    };

    let result = move || {
        registered.get().map(|(id, expires, desc)| {
            let gitlab_url = gitlab_url.clone();
            let expiry = match expires.clone() {
                Some(at) => el("span")
                    .text(" · its token expires ")
                    .child(relative_time(Some(at), "")),
                None => el("span").text(" · its token does not expire"),
            };
            el("section")
                .class("register-result")
                .attr("aria-labelledby", "register-result-title")
                .child(
                    el("h2")
                        .id("register-result-title")
                        .text(&format!("Runner #{id} is registered")),
                )
                .child(
                    el("p")
                        .child(
                            el("a")
                                .attr("href", &links::href(&links::runner(id)))
                                .text(&format!("Open runner #{id}")),
                        )
                        .child(expiry),
                )
                .child(token_reveal(
                    new_token,
                    expires,
                    format!("Authentication token of runner #{id}"),
                ))
                .dyn_child(move || {
                    new_token
                        .get()
                        .map(|t| config_snippet(config_toml(&desc, &gitlab_url, &t)))
                })
        })
    };

    let token_field = secret_field(
        "reg-token",
        "Registration token",
        token,
        true,
        Some("reg-token-help reg-token-error"),
        Some(Signal::derive({
            let message = field_message(Field::Token);
            move || message().is_some()
        })),
        vec![
            el("p")
                .class("help")
                .id("reg-token-help")
                .text("GitLab's API cannot list registration tokens. Find one in GitLab under Admin Area → CI/CD → Runners (instance), or Settings → CI/CD → Runners of a group or project; or reset one on the ")
                .child(el("a").attr("href", &links::href(links::TOKENS)).text("Token tools"))
                .text(" page, which shows the new token."),
        ],
    );
    let token_field = with_error(token_field, Field::Token, "reg-token-error");

    let form = el("form")
        .class("register-form")
        .attr("novalidate", "")
        .on("submit", submit)
        .child(token_field)
        .child(text_field(
            "reg-description",
            "Description",
            description,
            None,
        ))
        .child(described(
            el("input")
                .attr("type", "text")
                .attr("spellcheck", "false")
                .attr("aria-describedby", "reg-tags-help reg-tags-error")
                .bind_value(tags),
            "Tags",
            "reg-tags",
            el("p")
                .class("help")
                .id("reg-tags-help")
                .text("Comma-separated, e.g. docker, linux."),
            Field::Tags,
            "reg-tags-error",
        ))
        .child(
            el("fieldset")
                .class("checks")
                .child(el("legend").text("Behaviour"))
                .child(check("reg-run-untagged", "Run untagged jobs", run_untagged))
                .child(
                    check("reg-paused", "Paused", paused).child(
                        el("span")
                            .class("help")
                            .text(" (takes no new jobs until resumed)"),
                    ),
                )
                .child(check(
                    "reg-locked",
                    "Locked to its current projects",
                    locked,
                )),
        )
        .child(
            el("div")
                .class("field")
                .child(label_for("reg-access", "Protected refs"))
                .child(
                    el("select")
                        .id("reg-access")
                        .child(option("not_protected", "Jobs of any branch or tag"))
                        .child(option(
                            "ref_protected",
                            "Only jobs of protected branches and tags",
                        ))
                        .bind_value(access_level),
                ),
        )
        .child(described(
            el("input")
                .attr("type", "text")
                .attr("inputmode", "numeric")
                .attr("aria-describedby", "reg-timeout-help reg-timeout-error")
                .bind_value(maximum_timeout),
            "Maximum job timeout (seconds)",
            "reg-timeout",
            el("p")
                .class("help")
                .id("reg-timeout-help")
                .text("At least 600 (10 minutes); empty for no limit."),
            Field::MaximumTimeout,
            "reg-timeout-error",
        ))
        .child(described(
            el("textarea")
                .attr("rows", "3")
                .attr("aria-describedby", "reg-note-help reg-note-error")
                .bind_value(maintenance_note),
            "Maintenance note",
            "reg-note",
            el("p").class("help").id("reg-note-help").text_dyn(move || {
                format!(
                    "{} of 1024 characters.",
                    maintenance_note.with(|n| n.chars().count())
                )
            }),
            Field::MaintenanceNote,
            "reg-note-error",
        ))
        .child(
            el("fieldset")
                .child(
                    el("legend")
                        .text("Runner information (optional, normally sent by gitlab-runner)"),
                )
                .child(text_field(
                    "reg-info-name",
                    "Name",
                    info_name,
                    Some("gitlab-runner"),
                ))
                .child(text_field(
                    "reg-info-version",
                    "Version",
                    info_version,
                    Some("16.11.1"),
                ))
                .child(text_field(
                    "reg-info-revision",
                    "Revision",
                    info_revision,
                    None,
                ))
                .child(text_field(
                    "reg-info-platform",
                    "Platform",
                    info_platform,
                    Some("linux"),
                ))
                .child(text_field(
                    "reg-info-architecture",
                    "Architecture",
                    info_architecture,
                    Some("amd64"),
                )),
        )
        .child(busy_submit("Register runner", pending))
        .show(
            move || pending.get(),
            || busy_line("Registering with GitLab…"),
        )
        .show(
            move || !problems.with(Vec::is_empty),
            || {
                el("p")
                    .class("error")
                    .attr("role", "alert")
                    .text("Some fields need a change before GitLab would accept them (see above).")
            },
        )
        .dyn_child(move || {
            failure
                .get()
                .map(|e| refusal(&register_refusal(&e), &e, None))
        });

    el("section")
        .class("register-page")
        .attr("aria-labelledby", "register-title")
        .child(el("h1").id("register-title").text("Register a runner"))
        .child(el("p").class("lead").text("Creates a runner with a registration token. The token decides the runner's kind: the instance's token makes an instance runner, a group's a group runner, a project's a runner of that project."))
        .dyn_child(result)
        .child(form)
}

/// The config.toml entry, with its own copy button.
fn config_snippet(snippet: String) -> El {
    let copied = RwSignal::new(None::<bool>);
    let text = snippet.clone();
    el("div")
        .class("config-snippet")
        .child(
            el("h3")
                .id("config-snippet-title")
                .text("For gitlab-runner's config.toml"),
        )
        .child(
            el("p")
                .text("Add this entry to the runner's config.toml (choose the executor you use):"),
        )
        .child(
            el("pre")
                .attr("aria-labelledby", "config-snippet-title")
                .attr("tabindex", "0")
                .child(el("code").text(&snippet)),
        )
        .child(
            button()
                .text("Copy config.toml entry")
                .on("click", move |_| copy_to_clipboard(text.clone(), copied)),
        )
        .child(copy_status(copied, "the text"))
}
