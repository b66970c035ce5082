//! The warning beside "Sign in with GitLab" on the sign-in and instances pages.

use leptos::prelude::*;

use crate::session::{use_session_store, TokenStorage};

/// Before "Sign in with GitLab": the signed-in instances kept only in this
/// page's memory, which the trip to GitLab and back signs out.
#[component]
pub fn RoundTripNote() -> impl IntoView {
    let store = use_session_store();
    let lost = move || {
        store.known.with(|k| {
            k.iter()
                .filter(|k| k.kept_in == TokenStorage::Memory && k.session().is_some())
                .map(|k| k.instance.label.clone())
                .collect::<Vec<_>>()
        })
    };
    move || {
        let lost = lost();
        (!lost.is_empty()).then(|| view! {
            <p class="note" role="note">
                {format!(
                    "Signing in goes to GitLab and back, which empties this page's memory: {} will need signing in again. Keep those in this tab or this browser to avoid it.",
                    lost.join(", "),
                )}
            </p>
        })
    }
}
