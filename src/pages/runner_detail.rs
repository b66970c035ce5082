//! `/runners/:id` (being written).
use leptos::prelude::*;

#[component]
pub fn RunnerDetailPage() -> impl IntoView {
    view! { <h1>"Runner"</h1> }
}
