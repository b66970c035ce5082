//! `/oauth/callback`: GitLab sends the person back here from its consent page
//! with a code (or a refusal). The code is exchanged with this tab's PKCE
//! verifier, the token checked with `GET /user`, and the page they started from
//! opened on that instance. The address loses the code at once.

use leptos::prelude::*;

use crate::api::Client;
use crate::components::loading::Loading;
use crate::instances::SignInWith;
use crate::links;
use crate::navigation::use_navigation;
use crate::oauth::{self, TokenAnswer};
use crate::oauth_flow::{self, Pending};
use crate::session::{self, use_session_store, Grant, SessionStore, SignInError};

#[component]
pub fn OAuthCallbackPage() -> impl IntoView {
    let store = use_session_store();
    let nav = use_navigation();
    let refused = RwSignal::new(None::<String>);
    // Taken out whatever happens: a verifier and state serve one sign-in.
    let pending = oauth_flow::take_pending();
    let search = window().location().search().unwrap_or_default();
    leptos::task::spawn_local(async move {
        match finish(store, pending, &search).await {
            Ok(route) => nav.replace(&route),
            Err(message) => {
                // The code (used or not) leaves the address bar.
                nav.replace(links::OAUTH_CALLBACK);
                refused.set(Some(message));
            }
        }
    });
    view! {
        <section class="oauth-callback" aria-labelledby="oauth-title">
            <h1 id="oauth-title">"Sign in with GitLab"</h1>
            {move || match refused.get() {
                None => view! { <Loading text="Finishing the sign-in with GitLab…" /> }.into_any(),
                Some(message) => view! {
                    <p class="error" role="alert">{message}</p>
                    <p>
                        <a href=links::href(links::RUNNERS)>"Back to the sign-in page"</a>
                        " · "
                        <a href=links::href(links::INSTANCES)>"GitLab instances"</a>
                    </p>
                }
                .into_any(),
            }}
        </section>
    }
}

/// The route to open once signed in, or why not, in words.
async fn finish(
    store: SessionStore,
    pending: Option<Pending>,
    search: &str,
) -> Result<String, String> {
    let code = oauth::callback_code(search, pending.as_ref().map(|p| p.state.as_str()))
        .map_err(|refusal| refusal.message())?;
    let p = pending.ok_or_else(|| oauth::CallbackRefusal::Incomplete.message())?;
    let SignInWith::OAuth { client_id } = &p.instance.sign_in else {
        return Err(oauth::CallbackRefusal::Incomplete.message());
    };
    let gitlab = Client::new(p.instance.gitlab_url.clone(), "");
    let form = oauth::code_exchange(client_id, &code, &p.redirect_uri, &p.verifier);
    let answer: TokenAnswer = gitlab.oauth_post("token", &form).await.map_err(|e| {
        format!(
            "GitLab did not give the console a token: {}",
            e.gitlab_words().unwrap_or_else(|| e.user_message())
        )
    })?;
    let client = Client::oauth(p.instance.gitlab_url.clone(), answer.access_token.clone());
    let label = p.instance.label.clone();
    let session = session::check(&label, client).await.map_err(|e| match e {
        SignInError::BadUrl(m) => m,
        SignInError::Api(e) => format!(
            "GitLab gave a token, but refused it for your account: {}",
            e.user_message()
        ),
    })?;
    // Signing in again replaces the instance's old session (same label).
    let grant = Grant::from_answer(&answer);
    store.keep(
        p.instance,
        session,
        &answer.access_token,
        Some(grant),
        p.kept_in,
    );
    let then = match p.then.as_str() {
        "" | "/" | links::OAUTH_CALLBACK => links::RUNNERS,
        other => other,
    };
    Ok(links::on(&label, then))
}
