//! `/tokens` (being written).
use leptos::prelude::*;

#[component]
pub fn TokensPage() -> impl IntoView {
    view! { <h1>"Token tools"</h1> }
}
