//! A refusal from GitLab in the console's own plain words, with GitLab's message
//! under it, and room for a suggestion (a link to where the user can act).

use leptos::prelude::*;

use crate::api::ApiError;

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
    view! {
        <div class="error" role="alert">
            <p class="error-title">{words}</p>
            {gitlab_said.map(|text| view! { <p class="error-detail">{text}</p> })}
            {children.map(|c| c())}
        </div>
    }
}

/// `Refusal` as a hand-built view; `extra` goes under GitLab's message.
pub fn refusal(words: &str, error: &ApiError, extra: Option<crate::dom::El>) -> crate::dom::El {
    use crate::dom::el;
    el("div")
        .class("error")
        .attr("role", "alert")
        .child(el("p").class("error-title").text(words))
        .maybe(gitlab_said(error).map(|text| el("p").class("error-detail").text(&text)))
        .maybe(extra)
}

/// GitLab's own message, when it sent one.
pub fn gitlab_said(error: &ApiError) -> Option<String> {
    match error {
        ApiError::Http {
            status, message, ..
        } if !message.is_empty() => Some(format!("GitLab said: “{message}” (HTTP {status})")),
        _ => None,
    }
}
