//! A failed API call in plain words, with GitLab's own message when it sent one.

use crate::prelude::*;

use crate::api::ApiError;

/// A failed API call; "Try again" when `retry` is given.
pub fn error_notice(error: &ApiError, retry: Option<Callback<()>>) -> crate::dom::El {
    use crate::components::refusal::gitlab_said;
    use crate::dom::{button, el};
    el("div")
        .class("error")
        .attr("role", "alert")
        .child(el("p").class("error-title").text(&error.user_message()))
        .maybe(gitlab_said(error).map(|text| el("p").class("error-detail").text(&text)))
        .maybe(retry.map(|retry| {
            button()
                .class("secondary")
                .text("Try again")
                .on("click", move |_| retry.run(()))
        }))
}
