//! The shell: header, the sign-in gate, and the route table.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes, A};
use leptos_router::hooks::use_params_map;
use leptos_router::{path, NavigateOptions};

use crate::components::clock::provide_clock;
use crate::components::shortcuts::Shortcuts;
use crate::components::toasts::{provide_toasts, ToastRegion};
use crate::components::{reauth_dialog::ReauthDialog, retry_notice::RetryNotice};
use crate::links;
use crate::navigation::{provide_leave_guards, provide_navigation};
use crate::pages::{
    cleanup::CleanupPage, dashboard::DashboardPage, new_runner::NewRunnerPage, not_found::NotFound,
    outdated::OutdatedPage, project_runners::ProjectRunnersPage, register::RegisterPage,
    runner_detail::RunnerDetailPage, runner_edit::RunnerEditPage, runner_jobs::RunnerJobsPage,
    runners::RunnersPage, sign_in::SignIn, tokens::TokensPage,
};
use crate::session::SessionStore;
use crate::theme::{self, Theme};
use codee::string::FromToStringCodec;
use leptos_use_storage::use_local_storage;

#[component]
pub fn App() -> impl IntoView {
    let store = SessionStore::provide();
    provide_toasts();
    provide_clock();
    let signed_in = move || store.current.with(Option::is_some);
    // The pages are built again on signing in or out, not on every session change.
    let signed_in_now = Memo::new(move |_| signed_in());
    // Before the router: Back/Forward meets the unsaved-changes guards first.
    provide_leave_guards();
    view! {
        <Router base=links::base()>
            <Navigation />
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header />
            <RetryNotice />
            <Show when=signed_in><ReauthDialog /></Show>
            <Shortcuts />
            <ToastRegion />
            <main id="main" tabindex="-1">
                {move || {
                    if signed_in_now.get() {
                        view! { <Pages /> }.into_any()
                    } else if store.restoring.get() {
                        view! { <p class="loading" role="status">"Signing you in again…"</p> }.into_any()
                    } else {
                        view! { <SignIn /> }.into_any()
                    }
                }}
            </main>
        </Router>
    }
}

/// Puts `Navigation` (navigate from code, the unsaved-changes guard) in context for
/// everything inside the router.
#[component]
fn Navigation() -> impl IntoView {
    provide_navigation();
}

/// The route table: one page component per route.
#[component]
fn Pages() -> impl IntoView {
    view! {
        <Routes fallback=NotFound>
            // `/` has no page of its own: it is the runner list, and the address bar says so.
            <Route
                path=path!("/")
                view=|| view! { <Redirect path=links::RUNNERS options=NavigateOptions { replace: true, ..Default::default() } /> }
            />
            <Route path=path!("/runners") view=RunnersPage />
            <Route path=path!("/runners/new") view=NewRunnerPage />
            <Route path=path!("/runners/outdated") view=OutdatedPage />
            <Route path=path!("/runners/:id") view=|| { let id = route_id(); move || view! { <RunnerDetailPage id=id.get() /> } } />
            <Route path=path!("/runners/:id/edit") view=|| { let id = route_id(); move || view! { <RunnerEditPage id=id.get() /> } } />
            <Route path=path!("/runners/:id/jobs") view=|| { let id = route_id(); move || view! { <RunnerJobsPage id=id.get() /> } } />
            <Route path=path!("/dashboard") view=DashboardPage />
            <Route path=path!("/cleanup") view=CleanupPage />
            <Route path=path!("/project-runners") view=ProjectRunnersPage />
            <Route path=path!("/register") view=RegisterPage />
            <Route path=path!("/tokens") view=TokensPage />
        </Routes>
    }
}

/// The `:id` of a runner route: the page is built again for another runner (the router
/// keeps a route's view when only its parameters change), and only then. `None` when
/// it is not a number.
fn route_id() -> Memo<Option<u64>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse().ok())))
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
            <Show when=signed_in><nav class="main-nav" aria-label="Main">
                    <NavLink to=links::RUNNERS label="Runners" />
                    <NavLink to=links::NEW_RUNNER label="New runner" />
                    <NavLink to=links::OUTDATED label="Outdated runners" />
                    <NavLink to=links::DASHBOARD label="Dashboard" />
                    <NavLink to=links::CLEANUP label="Clean up" />
                    <NavLink to=links::PROJECT_RUNNERS label="Project runners" />
                    <NavLink to=links::REGISTER label="Register a runner" />
                    <NavLink to=links::TOKENS label="Token tools" />
                </nav></Show>
            <div class="header-end">
                {who}
                <ThemePicker />
            </div>
        </header>
    }
}

/// A main-menu link; `<A>` marks it `aria-current="page"` on its page and below it.
#[component]
fn NavLink(to: &'static str, label: &'static str) -> impl IntoView {
    view! { <A href=links::href(to)>{label}</A> }
}

/// System / Light / Dark; remembered in this browser, applied to `<html>`.
#[component]
fn ThemePicker() -> impl IntoView {
    let (chosen, set_chosen, _) = use_local_storage::<Theme, FromToStringCodec>(theme::STORAGE_KEY);
    Effect::new(move || theme::apply(chosen.get()));
    view! {
        <div class="theme-picker">
            <label for="theme">"Theme"</label>
            <select
                id="theme"
                prop:value=move || chosen.get().as_str()
                on:change=move |ev| {
                    set_chosen.set(Theme::parse(&event_target_value(&ev)));
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
