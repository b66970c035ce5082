//! `/register` (being written).
use leptos::prelude::*;

#[component]
pub fn RegisterPage() -> impl IntoView {
    view! { <h1>"Register a runner"</h1> }
}
