//! Sign in with a GitLab URL and an access token; the token is checked with
//! `GET /user` before it is kept, and a failure keeps what was typed.

use crate::prelude::*;

use crate::components::busy_line::busy_line;
use crate::components::error_notice::error_notice;
use crate::components::fields::{busy_submit, secret_field};
use crate::dom::{el, label_for, El};
use crate::session::{self, SessionStore, SignInError, TokenStorage};
use crate::task::Task;

/// Where the console is served from is the best first guess for the GitLab URL
/// (deployed next to GitLab, or the sandbox serving both), unless config.json
/// says otherwise.
fn default_gitlab_url() -> String {
    window().location().origin().unwrap_or_default()
}

pub fn sign_in_page() -> El {
    let store = expect_context::<SessionStore>();
    let url = RwSignal::new(default_gitlab_url());
    // A deployer's config.json names the GitLab to start with, unless the
    // user has already typed another address. Asked for once the form shows: the
    // form does not wait for it.
    crate::browser::spawn_local(async move {
        crate::perf::after_next_paint().await;
        if let Some(configured) = crate::deploy_config::load().await {
            if url.try_get_untracked() == Some(default_gitlab_url()) {
                let _ = url.try_set(configured);
            }
        }
    });
    let token = RwSignal::new(String::new());
    let kept_in = RwSignal::new(TokenStorage::Tab);
    // The token is read from the input when the action runs, never kept as
    // the action's input (which stays readable after it finishes).
    let attempt = Task::new(move |(url, kind): &(String, TokenStorage)| {
        let (url, kind) = (url.clone(), *kind);
        let typed = token.get_untracked();
        async move {
            let session = session::sign_in(&url, &typed).await?;
            // Out of the form and the DOM before the page changes.
            token.set(String::new());
            store.keep(session, &typed, kind);
            Ok::<(), SignInError>(())
        }
    });
    let pending = attempt.pending();
    let submit = move |ev: web_sys::Event| {
        ev.prevent_default();
        attempt.dispatch((url.get_untracked(), kept_in.get_untracked()));
    };
    let storage_choices = TokenStorage::ALL.into_iter().map(|kind| {
        let id = format!("keep-token-{}", kind.value());
        let risk_id = format!("{id}-risk");
        el("div")
            .class("choice")
            .child(
                el("input")
                    .attr("type", "radio")
                    .attr("name", "keep-token")
                    .id(&id)
                    .attr("value", kind.value())
                    .prop_dyn("checked", move || (kept_in.get() == kind).into())
                    .on("change", move |_| kept_in.set(kind))
                    .attr("aria-describedby", &risk_id),
            )
            .child(label_for(&id, kind.label()))
            .child(el("p").class("help").id(&risk_id).text(kind.risk()))
    });
    let error = move || match attempt.value().get() {
        Some(Err(SignInError::BadUrl(message))) => Some(
            el("p")
                .class("error")
                .attr("role", "alert")
                .id("sign-in-error")
                .text(&message),
        ),
        Some(Err(SignInError::Api(e))) => Some(error_notice(&e, None)),
        _ => None,
    };
    let help = el("p")
        .class("help")
        .id("token-help")
        .text("A personal, group or project access token with the ")
        .child(el("code").text("api"))
        .text(" scope. A ")
        .child(el("code").text("read_api"))
        .text(" token can look but not change anything.");

    el("section")
        .class("sign-in")
        .attr("aria-labelledby", "sign-in-title")
        .child(el("h1").id("sign-in-title").text("Sign in to GitLab"))
        .child(el("p").class("lead").text(
            "Manage the CI runners of a GitLab instance, group or project. The console talks to GitLab's API directly from this browser.",
        ))
        .child(
            el("form")
                .on("submit", submit)
                .child(
                    el("div")
                        .class("field")
                        .child(label_for("gitlab-url", "GitLab URL"))
                        .child(
                            el("input")
                                .id("gitlab-url")
                                .attr("name", "gitlab-url")
                                .attr("type", "url")
                                .attr("inputmode", "url")
                                .attr("autocomplete", "url")
                                .attr("required", "")
                                .bind_value(url),
                        ),
                )
                .child(secret_field(
                    "access-token",
                    "Access token",
                    token,
                    true,
                    Some("token-help"),
                    None,
                    vec![help],
                ))
                .child(
                    el("fieldset")
                        .class("keep-token")
                        .child(el("legend").text("Keep the token"))
                        .children(storage_choices),
                )
                .child(busy_submit("Sign in", pending))
                .show(
                    move || pending.get(),
                    || busy_line("Checking the token with GitLab…"),
                )
                .dyn_child(error),
        )
}
