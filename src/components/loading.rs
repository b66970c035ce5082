//! What a page shows while GitLab answers.

use leptos::prelude::*;

/// A status line ("Loading runners…") until the first answer.
#[component]
pub fn Loading(text: &'static str) -> impl IntoView {
    view! { <p class="loading" role="status">{text}</p> }
}

/// "Loading…" beside an answer on screen while a newer one is on its way (a
/// `<Transition>`'s `set_pending` signal).
#[component]
pub fn Refreshing(pending: RwSignal<bool>) -> impl IntoView {
    view! {
        <Show when=move || pending.get()>
            <p class="loading inline" role="status">"Loading…"</p>
        </Show>
    }
}
