//! The shell: header, the sign-in gate, and the route table.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes, A};
use leptos_router::path;

use crate::components::clock::provide_clock;
use crate::components::shortcuts::Shortcuts;
use crate::components::toasts::{provide_toasts, ToastRegion};
use crate::components::{reauth_dialog::ReauthDialog, retry_notice::RetryNotice};
use crate::links;
use crate::pages::{
    not_found::NotFound, project_runners::ProjectRunnersPage, register::RegisterPage,
    runner_detail::RunnerDetailPage, runner_edit::RunnerEditPage, runner_jobs::RunnerJobsPage,
    runners::RunnersPage, sign_in::SignIn, tokens::TokensPage,
};
use crate::session::SessionStore;
use crate::theme::{self, Theme};

#[component]
pub fn App() -> impl IntoView {
    let store = SessionStore::provide();
    provide_toasts();
    provide_clock();
    let signed_in = move || store.current.with(Option::is_some);
    view! {
        <Router base=links::base()>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header />
            <RetryNotice />
            <Show when=signed_in>
                <ReauthDialog />
            </Show>
            <Shortcuts />
            <ToastRegion />
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
                        <Route path=path!("/runners/:id") view=RunnerDetailPage />
                        <Route path=path!("/runners/:id/edit") view=RunnerEditPage />
                        <Route path=path!("/runners/:id/jobs") view=RunnerJobsPage />
                        <Route path=path!("/project-runners") view=ProjectRunnersPage />
                        <Route path=path!("/register") view=RegisterPage />
                        <Route path=path!("/tokens") view=TokensPage />
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
    let signed_in = move || store.current.with(Option::is_some);
    view! {
        <header class="app-header">
            <a class="brand" href=links::href("/runners")>
                "Runner Console"
            </a>
            <Show when=signed_in>
                <nav class="main-nav" aria-label="Main">
                    <A href=links::href("/runners")>"Runners"</A>
                    <A href=links::href(links::PROJECT_RUNNERS)>"Project runners"</A>
                    <A href=links::href(links::REGISTER)>"Register a runner"</A>
                    <A href=links::href(links::TOKENS)>"Token tools"</A>
                </nav>
            </Show>
            <div class="header-end">
                {who}
                <ThemePicker />
            </div>
        </header>
    }
}

/// System / Light / Dark; remembered in this browser, applied to `<html>`.
#[component]
fn ThemePicker() -> impl IntoView {
    let chosen = RwSignal::new(theme::remembered());
    Effect::new(move || theme::apply(chosen.get()));
    view! {
        <div class="theme-picker">
            <label for="theme">"Theme"</label>
            <select
                id="theme"
                prop:value=move || chosen.get().as_str()
                on:change=move |ev| {
                    let t = Theme::parse(&event_target_value(&ev));
                    theme::remember(t);
                    chosen.set(t);
                }
            >
                {Theme::ALL
                    .iter()
                    .map(|t| view! { <option value=t.as_str()>{t.label()}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}
