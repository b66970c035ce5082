//! Sign in with a GitLab URL and an access token; the token is checked with
//! `GET /user` before it is kept, and a failure keeps what was typed.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::components::error_notice::ErrorNotice;
use crate::components::fields::SecretField;
use crate::components::loading::Loading;
use crate::components::round_trip_note::RoundTripNote;
use crate::instances::{self, Instance, SignInWith};
use crate::session::{self, SessionStore, SignInError, TokenStorage};

/// Where the console is served from is the best first guess for the GitLab URL
/// (deployed next to GitLab, or the sandbox serving both), unless config.json
/// says otherwise.
fn default_gitlab_url() -> String {
    window().location().origin().unwrap_or_default()
}

#[component]
pub fn SignIn(
    /// The instance to sign in to again (signed out); `None`: a first one.
    known: Option<Instance>,
) -> impl IntoView {
    let store = expect_context::<SessionStore>();
    let url = RwSignal::new(
        known
            .as_ref()
            .map(|k| k.gitlab_url.clone())
            .unwrap_or_else(default_gitlab_url),
    );
    // The OAuth application: the instance's own, else config.json's (for its GitLab).
    let oauth_app = RwSignal::new(match known.as_ref().map(|k| &k.sign_in) {
        Some(SignInWith::OAuth { client_id }) => Some(client_id.clone()),
        _ => None,
    });
    let configured_app = known.is_none();
    // A deployer's config.json names the GitLab to start with, unless the
    // user has already typed another address. Asked for once the form shows: the
    // form does not wait for it.
    leptos::task::spawn_local(async move {
        crate::perf::after_next_paint().await;
        let Some(config) = crate::deploy_config::load().await else {
            return;
        };
        if !configured_app {
            return;
        }
        if let Some(configured) = config.gitlab_url {
            if url.try_get_untracked() == Some(default_gitlab_url()) {
                let _ = url.try_set(configured);
            }
        }
        let _ = oauth_app.try_set(config.oauth_client_id);
    });
    let token = RwSignal::new(String::new());
    let kept_in = RwSignal::new(TokenStorage::Tab);
    let label_for = {
        let known = known.clone();
        move |gitlab_url: &str| match &known {
            Some(k) => k.label.clone(),
            None => {
                let taken = store.labels();
                let taken: Vec<&str> = taken.iter().map(String::as_str).collect();
                instances::suggest_label(gitlab_url, &taken)
            }
        }
    };
    // The token is read from the input when the action runs, never kept as
    // the action's input (which stays readable after it finishes).
    let attempt = Action::new_local({
        let label_for = label_for.clone();
        move |(url, kind): &(String, TokenStorage)| {
            let (url, kind) = (url.clone(), *kind);
            let typed = token.get_untracked();
            let label = label_for(&url);
            async move {
                let session = session::sign_in(&label, &url, &typed).await?;
                // Out of the form and the DOM before the page changes.
                token.set(String::new());
                let instance = Instance {
                    label,
                    gitlab_url: session.gitlab_url.clone(),
                    sign_in: SignInWith::Token,
                };
                store.keep(instance, session, &typed, None, kind);
                Ok::<(), SignInError>(())
            }
        }
    });
    let pending = attempt.pending();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        attempt.dispatch((url.get_untracked(), kept_in.get_untracked()));
    };
    let read_only = RwSignal::new(false);
    let oauth_problem = RwSignal::new(None::<String>);
    let leaving = RwSignal::new(false);
    let with_gitlab = move |_| {
        let Some(client_id) = oauth_app.get_untracked() else {
            return;
        };
        let gitlab_url = match crate::gitlab_url::normalize(&url.get_untracked()) {
            Ok(u) => u,
            Err(message) => return oauth_problem.set(Some(message)),
        };
        let instance = Instance {
            label: label_for(&gitlab_url),
            gitlab_url,
            sign_in: SignInWith::OAuth { client_id },
        };
        let then = crate::oauth_flow::return_route();
        leaving.set(true);
        oauth_problem.set(None);
        let kind = kept_in.get_untracked();
        let ro = read_only.get_untracked();
        leptos::task::spawn_local(async move {
            if let Err(e) = crate::oauth_flow::start(instance, kind, ro, then).await {
                oauth_problem.set(Some(e));
                leaving.set(false);
            }
        });
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
    let oauth_offer = move || {
        oauth_app.get().map(|_| {
            view! {
                <div class="oauth-offer">
                    <button type="button" on:click=with_gitlab.clone() disabled=move || leaving.get()>
                        "Sign in with GitLab"
                    </button>
                    <div class="choice">
                        <input type="checkbox" id="oauth-read-only" bind:checked=read_only />
                        <label for="oauth-read-only">"Read-only session (read_api scope)"</label>
                    </div>
                    <Show when=move || leaving.get()><Loading text="Going to GitLab…" /></Show>
                    {move || oauth_problem.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                    <RoundTripNote />
                    <p class="help">"Or paste an access token:"</p>
                </div>
            }
        })
    };
    let heading = match &known {
        Some(k) => format!("Sign in to {}", k.label),
        None => "Sign in to GitLab".to_string(),
    };

    view! {
        <section class="sign-in" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">{heading}</h1>
            <p class="lead">
                "Manage the CI runners of a GitLab instance, group or project. The console talks to GitLab's API directly from this browser."
            </p>
            <form on:submit=submit>
                <div class="field">
                    <label for="gitlab-url">"GitLab URL"</label>
                    <input id="gitlab-url" name="gitlab-url" type="url" inputmode="url" autocomplete="url" required bind:value=url />
                </div>
                {oauth_offer}
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
