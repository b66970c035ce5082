//! A refusal from GitLab in the console's own plain words, with GitLab's message
//! under it, and room for a suggestion (a link to where the user can act).

use leptos::prelude::*;

use crate::api::ApiError;
use crate::links;

#[component]
pub fn Refusal(
    /// What happened and what to do, in plain words.
    #[prop(into)]
    words: String,
    error: ApiError,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let gitlab_said = match &error {
        ApiError::Http {
            status, message, ..
        } if !message.is_empty() => Some(format!("GitLab said: “{message}” (HTTP {status})")),
        _ => None,
    };
    // Only the registration-token calls answer 410 (tokens turned off): the way on
    // is to create the runner instead.
    let create_instead = error.is_gone().then(|| {
        view! { <p><a href=links::href(links::NEW_RUNNER)>"Create a runner on the New runner page"</a></p> }
    });
    view! {
        <div class="error" role="alert">
            <p class="error-title">{words}</p>
            {gitlab_said.map(|text| view! { <p class="error-detail">{text}</p> })}
            {create_instead}
            {children.map(|c| c())}
        </div>
    }
}
