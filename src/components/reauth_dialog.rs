//! GitLab stopped accepting the token (401) while signed in: a modal asks for a
//! new one and keeps the page underneath, so the route and whatever was typed
//! stay; once signed in again, the waiting requests go on by themselves.

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;

use crate::components::error_notice::ErrorNotice;
use crate::components::fields::SecretField;
use crate::session::{self, SessionStore, SignInError};

#[component]
pub fn ReauthDialog() -> impl IntoView {
    let store = expect_context::<SessionStore>();
    let dialog = NodeRef::<html::Dialog>::new();
    let token = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<SignInError>);
    let checking = RwSignal::new(false);

    Effect::new(move || {
        let Some(el) = dialog.get() else { return };
        if store.reauth_open.get() {
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
        let Some(current) = store.current.get_untracked() else {
            return;
        };
        let typed = token.get_untracked();
        checking.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
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
    // Escape would close the modal and leave requests waiting: keep it open.
    let on_cancel = move |ev: leptos::ev::Event| ev.prevent_default();

    view! {
        <dialog node_ref=dialog class="confirm reauth" aria-labelledby="reauth-title" on:cancel=on_cancel>
            <h2 id="reauth-title">"Sign in again"</h2>
            <form on:submit=submit>
                <p>
                    "GitLab no longer accepts your access token: it may have expired or been revoked. "
                    "Sign in again to carry on. This page and everything you typed stay as they are."
                </p>
                <SecretField id="reauth-token" label="Access token" value=token required=true />
                {move || match problem.get() {
                    Some(SignInError::BadUrl(m)) => {
                        view! { <p class="error" role="alert">{m}</p> }.into_any()
                    }
                    Some(SignInError::Api(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                    None => ().into_any(),
                }}
                <div class="confirm-actions">
                    <button type="button" class="secondary" on:click=move |_| store.sign_out()>
                        "Sign out"
                    </button>
                    <button type="submit" disabled=move || checking.get()>
                        {move || if checking.get() { "Checking…" } else { "Sign in again" }}
                    </button>
                </div>
            </form>
        </dialog>
    }
}
