//! The shell: header, the sign-in gate, and the route table.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::links;
use crate::pages::{not_found::NotFound, runners::RunnersPage, sign_in::SignIn};
use crate::session::SessionStore;

#[component]
pub fn App() -> impl IntoView {
    let store = SessionStore::provide();
    let signed_in = move || store.current.with(Option::is_some);
    view! {
        <Router base=links::base()>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header />
            <main id="main" tabindex="-1">
                <Show
                    when=signed_in
                    fallback=move || {
                        view! {
                            <Show when=move || store.restoring.get() fallback=SignIn>
                                <p class="loading" role="status">"Signing you in again…"</p>
                            </Show>
                        }
                    }
                >
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=|| view! { <Redirect path="/runners" /> } />
                        <Route path=path!("/runners") view=RunnersPage />
                    </Routes>
                </Show>
            </main>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let store = expect_context::<SessionStore>();
    let who = move || {
        store.current.get().map(|s| {
            let role = if s.is_admin() { "administrator" } else { "user" };
            view! {
                <div class="who">
                    <span>
                        "Signed in as " <strong>{s.user.username.clone()}</strong> " (" {role} ") on "
                        <span class="gitlab-url">{s.gitlab_url.clone()}</span>
                    </span>
                    <button type="button" class="secondary" on:click=move |_| store.sign_out()>
                        "Sign out"
                    </button>
                </div>
            }
        })
    };
    view! {
        <header class="app-header">
            <a class="brand" href=links::href("/runners")>
                "Runner Console"
            </a>
            {who}
        </header>
    }
}
