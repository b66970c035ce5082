//! GitLab stopped accepting the token (401) while signed in: a modal asks for a
//! new one and keeps the page underneath, so the route and whatever was typed
//! stay; once signed in again, the waiting requests go on by themselves.

use crate::prelude::*;

use crate::components::confirm_dialog::modal;
use crate::components::error_notice::error_notice;
use crate::components::fields::secret_field;
use crate::dom::{button, el, El};
use crate::session::{self, SessionStore, SignInError};

pub fn reauth_dialog() -> El {
    let store = expect_context::<SessionStore>();
    let token = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<SignInError>);
    let checking = RwSignal::new(false);

    let submit = move |ev: web_sys::Event| {
        ev.prevent_default();
        if checking.get_untracked() {
            return;
        }
        let Some(current) = store.current.get_untracked() else {
            return;
        };
        let typed = token.get_untracked();
        checking.set(true);
        problem.set(None);
        crate::browser::spawn_local(async move {
            match session::sign_in(&current.gitlab_url, &typed).await {
                Ok(fresh) if fresh.user.id == current.user.id => {
                    token.set(String::new());
                    store.renewed(&typed);
                }
                Ok(fresh) => problem.set(Some(SignInError::BadUrl(format!(
                    "This token belongs to {}, not {}. Sign out to switch users.",
                    fresh.user.username, current.user.username
                )))),
                Err(e) => problem.set(Some(e)),
            }
            checking.set(false);
        });
    };
    let dialog = el("dialog")
        .class("confirm reauth")
        .attr("aria-labelledby", "reauth-title")
        // Escape would close the modal and leave requests waiting: keep it open.
        .on("cancel", |ev| ev.prevent_default())
        .child(el("h2").id("reauth-title").text("Sign in again"))
        .child(
            el("form")
                .on("submit", submit)
                .child(el("p").text(
                    "GitLab no longer accepts your access token: it may have expired or been revoked. Sign in again to carry on. This page and everything you typed stay as they are.",
                ))
                .child(secret_field(
                    "reauth-token",
                    "Access token",
                    token,
                    true,
                    None,
                    None,
                    vec![],
                ))
                .dyn_child(move || match problem.get() {
                    Some(SignInError::BadUrl(m)) => {
                        Some(el("p").class("error").attr("role", "alert").text(&m))
                    }
                    Some(SignInError::Api(e)) => Some(error_notice(&e, None)),
                    None => None,
                })
                .child(
                    el("div")
                        .class("confirm-actions")
                        .child(
                            button()
                                .class("secondary")
                                .text("Sign out")
                                .on("click", move |_| store.sign_out()),
                        )
                        .child(
                            el("button")
                                .attr("type", "submit")
                                .disabled_while(move || checking.get())
                                .text_dyn(move || {
                                    if checking.get() { "Checking…" } else { "Sign in again" }.into()
                                }),
                        ),
                ),
        );
    // Shown while `reauth_open`; focus goes back where it was once signed in again.
    modal(store.reauth_open, &dialog);
    dialog
}
