//! The shell: header, the sign-in gate, and the route table.

use leptos::prelude::*;

use crate::components::clock::provide_clock;
use crate::components::shortcuts::Shortcuts;
use crate::components::toasts::{provide_toasts, ToastRegion};
use crate::components::when::when;
use crate::components::{reauth_dialog::ReauthDialog, retry_notice::RetryNotice};
use crate::links;
use crate::pages::{
    not_found::NotFound, project_runners::ProjectRunnersPage, register::RegisterPage,
    runner_detail::RunnerDetailPage, runner_edit::RunnerEditPage, runner_jobs::RunnerJobsPage,
    runners::RunnersPage, sign_in::SignIn, tokens::TokensPage,
};
use crate::route::Route;
use crate::router::{provide_router, use_router};
use crate::session::SessionStore;
use crate::theme::{self, Theme};

#[component]
pub fn App() -> impl IntoView {
    let store = SessionStore::provide();
    provide_toasts();
    provide_clock();
    let router = provide_router();
    let route = router.route();
    let signed_in = move || store.current.with(Option::is_some);
    // The page is built again on signing in or out, not on every session change.
    let signed_in_now = Memo::new(move |_| signed_in());
    view! {
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header />
            <RetryNotice />
            {when(signed_in, move || view! {
                <ReauthDialog />
            })}
            <Shortcuts />
            <ToastRegion />
            <main id="main" tabindex="-1">
                {move || {
                    if signed_in_now.get() {
                        page(route.get())
                    } else if store.restoring.get() {
                        view! { <p class="loading" role="status">"Signing you in again…"</p> }.into_any()
                    } else {
                        view! { <SignIn /> }.into_any()
                    }
                }}
            </main>
    }
}

/// The page component of a route; one per route.
fn page(route: Route) -> AnyView {
    match route {
        // The router turns `/` into `/runners` in the address bar too.
        Route::Home | Route::Runners => view! { <RunnersPage /> }.into_any(),
        Route::Runner(id) => view! { <RunnerDetailPage id=id /> }.into_any(),
        Route::RunnerEdit(id) => view! { <RunnerEditPage id=id /> }.into_any(),
        Route::RunnerJobs(id) => view! { <RunnerJobsPage id=id /> }.into_any(),
        Route::ProjectRunners => view! { <ProjectRunnersPage /> }.into_any(),
        Route::Register => view! { <RegisterPage /> }.into_any(),
        Route::Tokens => view! { <TokensPage /> }.into_any(),
        Route::NotFound => view! { <NotFound /> }.into_any(),
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
            <a class="brand" href=links::href(links::RUNNERS)>
                "Runner Console"
            </a>
            {when(signed_in, move || view! {
                <nav class="main-nav" aria-label="Main">
                    <NavLink to=links::RUNNERS label="Runners" />
                    <NavLink to=links::PROJECT_RUNNERS label="Project runners" />
                    <NavLink to=links::REGISTER label="Register a runner" />
                    <NavLink to=links::TOKENS label="Token tools" />
                </nav>
            })}
            <div class="header-end">
                {who}
                <ThemePicker />
            </div>
        </header>
    }
}

/// A main-menu link, marked as the current page on it and below it.
#[component]
fn NavLink(to: &'static str, label: &'static str) -> impl IntoView {
    let current = use_router().is_current(to);
    view! {
        <a href=links::href(to) aria-current=move || current.get().then_some("page")>
            {label}
        </a>
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
