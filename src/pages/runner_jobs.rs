//! `/runners/:id/jobs` (being written).
use leptos::prelude::*;

#[component]
pub fn RunnerJobsPage() -> impl IntoView {
    view! { <h1>"Jobs"</h1> }
}
