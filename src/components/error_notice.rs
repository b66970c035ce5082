//! A failed API call in plain words, with GitLab's own message when it sent one.

use leptos::prelude::*;

use crate::api::ApiError;

#[component]
pub fn ErrorNotice(
    error: ApiError,
    /// Offered as a "Try again" button when given.
    #[prop(optional, into)]
    retry: Option<Callback<()>>,
) -> impl IntoView {
    let gitlab_said = match &error {
        ApiError::Http {
            status, message, ..
        } if !message.is_empty() => Some(format!("GitLab said: “{message}” (HTTP {status})")),
        _ => None,
    };
    view! {
        <div class="error" role="alert">
            <p class="error-title">{error.user_message()}</p>
            {gitlab_said.map(|text| view! { <p class="error-detail">{text}</p> })}
            {retry
                .map(|retry| {
                    view! {
                        <button type="button" class="secondary" on:click=move |_| retry.run(())>
                            "Try again"
                        </button>
                    }
                })}
        </div>
    }
}
