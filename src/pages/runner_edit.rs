//! `/runners/:id/edit` (being written).
use leptos::prelude::*;

#[component]
pub fn RunnerEditPage() -> impl IntoView {
    view! { <h1>"Edit runner"</h1> }
}
