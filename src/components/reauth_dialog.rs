//! GitLab stopped accepting the token (401) while signed in: a modal asks for a
//! new one and keeps the page underneath, so the route and whatever was typed
//! stay; once signed in again, the waiting requests go on by themselves.

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;

use crate::components::error_notice::ErrorNotice;
use crate::components::fields::SecretField;
use crate::instances::SignInWith;
use crate::oauth_flow;
use crate::session::{self, SessionStore, SignInError};

#[component]
pub fn ReauthDialog() -> impl IntoView {
    let store = expect_context::<SessionStore>();
    let dialog = NodeRef::<html::Dialog>::new();
    let token = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<SignInError>);
    let checking = RwSignal::new(false);
    // The instance GitLab refused, with its session.
    let refused = move || {
        let label = store.reauth_for.get()?;
        let known = store
            .known
            .with(|k| k.iter().find(|k| k.label() == label).cloned())?;
        let session = known.session()?.clone();
        Some((known, session))
    };

    Effect::new(move || {
        let Some(el) = dialog.get() else { return };
        if store.reauth_for.get().is_some() {
            if !el.open() {
                let _ = el.show_modal();
            }
        } else if el.open() {
            el.close();
        }
    });

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if checking.get_untracked() {
            return;
        }
        let Some((known, current)) = untrack(refused) else {
            return;
        };
        let typed = token.get_untracked();
        checking.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            match session::sign_in(known.label(), &current.gitlab_url, &typed).await {
                Ok(fresh) if fresh.user.id == current.user.id => {
                    token.set(String::new());
                    store.renewed(known.label(), &typed, None);
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
    // "Sign in with GitLab" again: leaves for GitLab and comes back to this
    // page (an edit form's draft is kept in the tab).
    let with_gitlab = move |_| {
        let Some((known, _)) = untrack(refused) else {
            return;
        };
        let read_only = known.grant.as_ref().is_some_and(|g| g.scope == "read_api");
        let then = oauth_flow::return_route();
        checking.set(true);
        leptos::task::spawn_local(async move {
            if let Err(m) =
                oauth_flow::start(known.instance.clone(), known.kept_in, read_only, then).await
            {
                problem.set(Some(SignInError::BadUrl(m)));
                checking.set(false);
            }
        });
    };
    let sign_out = move |_| {
        if let Some(label) = store.reauth_for.get_untracked() {
            store.sign_out(&label);
        }
    };
    let is_oauth = move || {
        refused().is_some_and(|(k, _)| matches!(k.instance.sign_in, SignInWith::OAuth { .. }))
    };
    let title = move || match store.reauth_for.get() {
        Some(label) if store.known.with(|k| k.len() > 1) => format!("Sign in again to {label}"),
        _ => "Sign in again".to_string(),
    };
    // Escape would close the modal and leave requests waiting: keep it open.
    let on_cancel = move |ev: leptos::ev::Event| ev.prevent_default();

    view! {
        <dialog node_ref=dialog class="confirm reauth" aria-labelledby="reauth-title" on:cancel=on_cancel>
            <h2 id="reauth-title">{title}</h2>
            <form on:submit=submit>
                <p>
                    {move || if is_oauth() {
                        "GitLab no longer accepts the console's sign-in, and could not renew it. "
                    } else {
                        "GitLab no longer accepts your access token: it may have expired or been revoked. "
                    }}
                    "Sign in again to carry on. This page and everything you typed stay as they are."
                </p>
                <Show
                    when=is_oauth
                    fallback=move || view! { <SecretField id="reauth-token" label="Access token" value=token required=true /> }
                >
                    <button type="button" on:click=with_gitlab disabled=move || checking.get()>
                        "Sign in with GitLab again"
                    </button>
                </Show>
                {move || match problem.get() {
                    Some(SignInError::BadUrl(m)) => {
                        view! { <p class="error" role="alert">{m}</p> }.into_any()
                    }
                    Some(SignInError::Api(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                    None => ().into_any(),
                }}
                <div class="confirm-actions">
                    <button type="button" class="secondary" on:click=sign_out>
                        "Sign out"
                    </button>
                    <Show when=move || !is_oauth()>
                        <button type="submit" disabled=move || checking.get()>
                            {move || if checking.get() { "Checking…" } else { "Sign in again" }}
                        </button>
                    </Show>
                </div>
            </form>
        </dialog>
    }
}
