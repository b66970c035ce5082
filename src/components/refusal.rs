//! A refusal from GitLab in the console's own plain words, with GitLab's message
//! under it, and room for a suggestion (a link to where the user can act).

use crate::api::ApiError;

/// `words` say what happened and what to do; `extra` goes under GitLab's message.
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
