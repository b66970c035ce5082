//! Sign in with a GitLab URL and an access token; the token is checked with
//! `GET /user` before it is kept, and a failure keeps what was typed.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::components::error_notice::ErrorNotice;
use crate::components::fields::SecretField;
use crate::components::loading::Loading;
use crate::session::{self, SessionStore, SignInError, TokenStorage};

/// Where the console is served from is the best first guess for the GitLab URL
/// (deployed next to GitLab, or the sandbox serving both), unless config.json
/// says otherwise.
fn default_gitlab_url() -> String {
    window().location().origin().unwrap_or_default()
}

#[component]
pub fn SignIn() -> impl IntoView {
    let store = expect_context::<SessionStore>();
    let url = RwSignal::new(default_gitlab_url());
    // A deployer's config.json names the GitLab to start with, unless the
    // user has already typed another address. Asked for once the form shows: the
    // form does not wait for it.
    leptos::task::spawn_local(async move {
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
    let attempt = Action::new_local(move |(url, kind): &(String, TokenStorage)| {
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
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        attempt.dispatch((url.get_untracked(), kept_in.get_untracked()));
    };
    let storage_choices = TokenStorage::ALL
        .into_iter()
        .map(|kind| {
            let id = format!("keep-token-{}", kind.value());
            let risk_id = format!("{id}-risk");
            view! {
                <div class="choice">
                    <input
                        type="radio"
                        name="keep-token"
                        id=id.clone()
                        value=kind.value()
                        prop:checked=move || kept_in.get() == kind
                        on:change=move |_| kept_in.set(kind)
                        aria-describedby=risk_id.clone()
                    />
                    <label for=id>{kind.label()}</label>
                    <p class="help" id=risk_id>{kind.risk()}</p>
                </div>
            }
        })
        .collect_view();
    let error = move || match attempt.value().get() {
        Some(Err(SignInError::BadUrl(message))) => Some(
            view! {
                <p class="error" role="alert" id="sign-in-error">
                    {message}
                </p>
            }
            .into_any(),
        ),
        Some(Err(SignInError::Api(e))) => Some(view! { <ErrorNotice error=e /> }.into_any()),
        _ => None,
    };

    view! {
        <section class="sign-in" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">"Sign in to GitLab"</h1>
            <p class="lead">
                "Manage the CI runners of a GitLab instance, group or project. The console talks to GitLab's API directly from this browser."
            </p>
            <form on:submit=submit>
                <div class="field">
                    <label for="gitlab-url">"GitLab URL"</label>
                    <input id="gitlab-url" name="gitlab-url" type="url" inputmode="url" autocomplete="url" required bind:value=url />
                </div>
                <SecretField id="access-token" label="Access token" value=token required=true described_by="token-help">
                    <p class="help" id="token-help">
                        "A personal, group or project access token with the "
                        <code>"api"</code>
                        " scope. A "
                        <code>"read_api"</code>
                        " token can look but not change anything."
                    </p>
                </SecretField>
                <fieldset class="keep-token">
                    <legend>"Keep the token"</legend>
                    {storage_choices}
                </fieldset>
                <button type="submit" aria-busy=move || pending.get().to_string() disabled=move || pending.get()>
                    "Sign in"
                </button>
                <Show when=move || { pending.get() }><Loading text="Checking the token with GitLab…" /></Show>
                {error}
            </form>
        </section>
    }
}
