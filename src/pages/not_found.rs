use leptos::prelude::*;

use crate::links;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="empty">
            <h1>"Page not found"</h1>
            <p>"This address is not a page of the console."</p>
            <p>
                <a href=links::href(links::RUNNERS)>"Go to the runners"</a>
            </p>
        </section>
    }
}
