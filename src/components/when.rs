//! Shows a part of a page only while a condition holds.

use leptos::prelude::*;

/// `body` while `cond` is true, nothing otherwise; built again only when `cond`
/// changes, like Leptos' `<Show>`, at a fraction of its wasm.
pub fn when<V: IntoView + 'static>(
    cond: impl Fn() -> bool + Send + Sync + 'static,
    body: impl Fn() -> V + Send + Sync + 'static,
) -> impl IntoView {
    let on = Memo::new(move |_| cond());
    move || on.get().then(&body)
}

/// A status line ("Saving…") while `cond` is true.
pub fn busy_line(
    cond: impl Fn() -> bool + Send + Sync + 'static,
    text: &'static str,
) -> impl IntoView {
    when(
        cond,
        move || view! { <p class="loading" role="status">{text}</p> },
    )
}
