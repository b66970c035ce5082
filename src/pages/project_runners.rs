//! `/project-runners?project=` (being written).
use leptos::prelude::*;

#[component]
pub fn ProjectRunnersPage() -> impl IntoView {
    view! { <h1>"Project runners"</h1> }
}
