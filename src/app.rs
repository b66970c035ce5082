//! The shell: header, the sign-in gate, and the route table.

use leptos::context::Provider;
use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Router, Routes, A};
use leptos_router::hooks::{use_location, use_params_map};
use leptos_router::{path, NavigateOptions};

use crate::components::clock::provide_clock;
use crate::components::shortcuts::Shortcuts;
use crate::components::toasts::{provide_toasts, ToastRegion};
use crate::components::{reauth_dialog::ReauthDialog, retry_notice::RetryNotice};
use crate::instances;
use crate::links;
use crate::navigation::{provide_leave_guards, provide_navigation};
use crate::pages::all_dashboard::AllDashboardPage;
use crate::pages::all_runners::AllRunnersPage;
use crate::pages::instances::{InstancesPage, UnknownInstance};
use crate::pages::oauth_callback::OAuthCallbackPage;
use crate::pages::{
    cleanup::CleanupPage, dashboard::DashboardPage, new_runner::NewRunnerPage, not_found::NotFound,
    outdated::OutdatedPage, project_runners::ProjectRunnersPage, register::RegisterPage,
    runner_detail::RunnerDetailPage, runner_edit::RunnerEditPage, runner_jobs::RunnerJobsPage,
    runners::RunnersPage, sign_in::SignIn, tokens::TokensPage,
};
use crate::session::{Connection, PagesSession, SessionStore};
use crate::theme::{self, Theme};
use codee::string::FromToStringCodec;
use leptos_use_storage::use_local_storage;

#[component]
pub fn App() -> impl IntoView {
    SessionStore::provide();
    provide_toasts();
    provide_clock();
    // Before the router: Back/Forward meets the unsaved-changes guards first.
    provide_leave_guards();
    view! {
        <Router base=links::base()>
            <Navigation />
            <Shell />
        </Router>
    }
}

/// Puts `Navigation` (navigate from code, the unsaved-changes guard) in context for
/// everything inside the router.
#[component]
fn Navigation() -> impl IntoView {
    provide_navigation();
}

/// What the main area shows for the address.
#[derive(Clone, Debug, PartialEq)]
enum Gate {
    /// `/instances`, `/oauth/callback`: signed in or not.
    Free,
    /// The pages, for the instance `label`; `prefixed`: routes name it.
    Pages { label: String, prefixed: bool },
    /// A kept token is being checked after a reload.
    Restoring,
    /// Sign in, to this known instance or a first one.
    SignIn(Option<String>),
    /// The address names an instance this browser does not know.
    Unknown(String),
    /// `/i/all/…`: every signed-in instance at once.
    All,
}

/// The address below the base: (path, `?query` or "").
fn here(location: &leptos_router::location::Location) -> (String, String) {
    let path = location.pathname.get();
    let path = path
        .strip_prefix(links::base())
        .filter(|p| p.is_empty() || p.starts_with('/'))
        .map(str::to_string)
        .unwrap_or(path);
    let search = location.search.get();
    let search = if search.is_empty() {
        search
    } else {
        format!("?{search}")
    };
    (if path.is_empty() { "/".into() } else { path }, search)
}

#[component]
fn Shell() -> impl IntoView {
    let store = expect_context::<SessionStore>();
    let location = use_location();
    let gate = Memo::new({
        let location = location.clone();
        move |_| {
            let (path, _) = here(&location);
            if [links::INSTANCES, links::OAUTH_CALLBACK].contains(&path.as_str()) {
                return Gate::Free;
            }
            let named = instances::split_route(&path).0.map(str::to_string);
            if named.as_deref() == Some(instances::ALL) {
                let any = store
                    .known
                    .with(|k| k.iter().any(|k| k.session().is_some()));
                return if any { Gate::All } else { Gate::SignIn(None) };
            }
            let label = match named.clone().or_else(|| store.default_label()) {
                Some(label) => label,
                None => return Gate::SignIn(None),
            };
            let several = store.known.with(|k| k.len() > 1);
            store
                .known
                .with(|k| match k.iter().find(|k| k.label() == label) {
                    None => Gate::Unknown(label.clone()),
                    Some(k) => match &k.connection {
                        Connection::SignedIn(_) => Gate::Pages {
                            prefixed: several || named.is_some(),
                            label: label.clone(),
                        },
                        Connection::Restoring => Gate::Restoring,
                        Connection::SignedOut(_) => Gate::SignIn(Some(label.clone())),
                    },
                })
        }
    });
    // The header and dialogs follow the instance the address is for.
    Effect::new(move || match gate.get() {
        Gate::Pages { label, .. } | Gate::SignIn(Some(label)) => store.choose(&label),
        Gate::All => store.current_label.set(Some(instances::ALL.to_string())),
        _ => {}
    });
    let signed_in = move || matches!(gate.get(), Gate::Pages { .. } | Gate::All);
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <Header signed_in=Signal::derive(signed_in) />
        <RetryNotice />
        // Only while GitLab refuses a token: its form is the only one of its kind then.
        <Show when=move || store.reauth_for.get().is_some()><ReauthDialog /></Show>
        <Shortcuts />
        <ToastRegion />
        <main id="main" tabindex="-1">
            {move || match gate.get() {
                Gate::Free => view! { <FreePages /> }.into_any(),
                Gate::Pages { label, prefixed } => {
                    links::set_instance(prefixed.then(|| label.clone()));
                    let session = store.find(&label).and_then(|k| k.session().cloned());
                    match session {
                        Some(session) => {
                            view! { <Provider value=PagesSession(session)><Pages /></Provider> }.into_any()
                        }
                        None => ().into_any(),
                    }
                }
                Gate::Restoring => {
                    view! { <p class="loading" role="status">"Signing you in again…"</p> }.into_any()
                }
                Gate::SignIn(label) => {
                    links::set_instance(None);
                    let known = label.and_then(|l| store.find(&l)).map(|k| k.instance);
                    view! { <SignIn known=known /> }.into_any()
                }
                Gate::All => {
                    links::set_instance(Some(instances::ALL.to_string()));
                    view! { <AllPages /> }.into_any()
                }
                Gate::Unknown(label) => {
                    let (path, search) = here(&location);
                    let then = format!("{}{search}", instances::split_route(&path).1);
                    view! { <UnknownInstance label=label then=then /> }.into_any()
                }
            }}
        </main>
    }
}

/// `/i/all/…`: the pages that work on every instance at once.
#[component]
fn AllPages() -> impl IntoView {
    view! {
        <Routes fallback=OneInstanceOnly>
            <Route path=path!("/i/all") view=ToRunners />
            <Route path=path!("/i/all/runners") view=AllRunnersPage />
            <Route path=path!("/i/all/dashboard") view=AllDashboardPage />
            <Route path=path!("/i/all/cleanup") view=AllCleanupPage />
            <Route path=path!("/i/all/runners/outdated") view=AllOutdatedPage />
        </Routes>
    }
}

/// The cleanup over every signed-in instance.
#[component]
fn AllCleanupPage() -> impl IntoView {
    let store = expect_context::<SessionStore>();
    view! { <CleanupPage across=store.signed_in() /> }
}

/// Each signed-in instance's runners by version, against its own GitLab.
#[component]
fn AllOutdatedPage() -> impl IntoView {
    let store = expect_context::<SessionStore>();
    view! { <OutdatedPage across=store.signed_in() /> }
}

/// A page of one instance asked for all of them: which instance?
#[component]
fn OneInstanceOnly() -> impl IntoView {
    let store = expect_context::<SessionStore>();
    let location = use_location();
    let (path, search) = here(&location);
    let rest = format!("{}{search}", instances::split_route(&path).1);
    let choices = store
        .known
        .get_untracked()
        .into_iter()
        .filter(|k| k.session().is_some())
        .map(|k| {
            let label = k.label().to_string();
            let href = links::href(&links::on(&label, &rest));
            view! { <li><a href=href>{format!("On {label}")}</a></li> }
        })
        .collect_view();
    view! {
        <section class="empty" aria-labelledby="one-title">
            <h1 id="one-title">"This page works on one instance"</h1>
            <p>"Choose the GitLab instance to open it on, or go back to the runners of all instances."</p>
            <ul>{choices}</ul>
            <p><a href=links::href(&links::on(instances::ALL, links::RUNNERS))>"Runners of all instances"</a></p>
        </section>
    }
}

/// Routes shown whether or not anyone is signed in.
#[component]
fn FreePages() -> impl IntoView {
    view! {
        <Routes fallback=NotFound>
            <Route path=path!("/instances") view=InstancesPage />
            <Route path=path!("/oauth/callback") view=OAuthCallbackPage />
        </Routes>
    }
}

/// The route table: one page component per route, at the top and under
/// `/i/<label>` (the instance the address names).
#[component]
fn Pages() -> impl IntoView {
    view! {
        <Routes fallback=NotFound>
            <Route path=path!("/") view=ToRunners />
            <ParentRoute path=path!("/i/:label") view=Outlet>
                <Route path=path!("") view=ToRunners />
                <InstanceRoutes />
            </ParentRoute>
            <InstanceRoutes />
        </Routes>
    }
}

/// `/` has no page of its own: it is the runner list, and the address bar says so.
#[component]
fn ToRunners() -> impl IntoView {
    view! {
        <Redirect
            path=links::on_instance(links::RUNNERS)
            options=NavigateOptions { replace: true, ..Default::default() }
        />
    }
}

/// The pages of one instance.
#[component(transparent)]
fn InstanceRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    // One parent (no path of its own): the erased build wants a single route here.
    view! {
        <ParentRoute path=path!("") view=Outlet>
        <Route path=path!("/runners") view=RunnersPage />
        <Route path=path!("/runners/new") view=NewRunnerPage />
        <Route path=path!("/runners/outdated") view=|| view! { <OutdatedPage /> } />
        <Route path=path!("/runners/:id") view=|| { let id = route_id(); move || view! { <RunnerDetailPage id=id.get() /> } } />
        <Route path=path!("/runners/:id/edit") view=|| { let id = route_id(); move || view! { <RunnerEditPage id=id.get() /> } } />
        <Route path=path!("/runners/:id/jobs") view=|| { let id = route_id(); move || view! { <RunnerJobsPage id=id.get() /> } } />
        <Route path=path!("/dashboard") view=DashboardPage />
        <Route path=path!("/cleanup") view=|| view! { <CleanupPage /> } />
        <Route path=path!("/project-runners") view=ProjectRunnersPage />
        <Route path=path!("/register") view=RegisterPage />
        <Route path=path!("/tokens") view=TokensPage />
        <Route path=path!("/instances") view=InstancesPage />
        </ParentRoute>
    }
    .into_inner()
}

/// The `:id` of a runner route: the page is built again for another runner (the router
/// keeps a route's view when only its parameters change), and only then. `None` when
/// it is not a number.
fn route_id() -> Memo<Option<u64>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse().ok())))
}

#[component]
fn Header(signed_in: Signal<bool>) -> impl IntoView {
    let store = expect_context::<SessionStore>();
    let who = move || {
        if store.current_label.get().as_deref() == Some(instances::ALL) {
            let n = store.signed_in_count();
            return Some(
                view! {
                    <div class="who"><span>{format!("All instances ({n} signed in)")}</span></div>
                }
                .into_any(),
            );
        }
        store.current().map(|s| {
            let role = if s.is_admin() { "administrator" } else { "user" };
            let label = s.label.clone();
            view! {
                <div class="who">
                    <span>
                        "Signed in as " <strong>{s.user.username.clone()}</strong> " (" {role} ") on "
                        <span class="gitlab-url">{s.gitlab_url.clone()}</span>
                    </span>
                    <button type="button" class="secondary" on:click=move |_| store.sign_out(&label)>
                        "Sign out"
                    </button>
                </div>
            }
            .into_any()
        })
    };
    // Built again when the instance changes: the links carry it.
    let nav = move || {
        let _ = store.current_label.get();
        signed_in.get().then(|| {
            view! {
                <nav class="main-nav" aria-label="Main">
                    <NavLink to=links::RUNNERS label="Runners" />
                    <NavLink to=links::NEW_RUNNER label="New runner" />
                    <NavLink to=links::OUTDATED label="Outdated runners" />
                    <NavLink to=links::DASHBOARD label="Dashboard" />
                    <NavLink to=links::CLEANUP label="Clean up" />
                    <NavLink to=links::PROJECT_RUNNERS label="Project runners" />
                    <NavLink to=links::REGISTER label="Register a runner" />
                    <NavLink to=links::TOKENS label="Token tools" />
                    <NavLink to=links::INSTANCES label="Instances" />
                </nav>
            }
        })
    };
    view! {
        <header class="app-header">
            <a class="brand" href=move || { let _ = store.current_label.get(); links::href(links::RUNNERS) }>
                "Runner Console"
            </a>
            {nav}
            <div class="header-end">
                <InstanceSwitcher />
                {who}
                <ThemePicker />
            </div>
        </header>
    }
}

/// The instance the pages are for, as a real `<select>`: choosing another opens
/// the same page there (a runner's own pages become that instance's list).
#[component]
fn InstanceSwitcher() -> impl IntoView {
    let store = expect_context::<SessionStore>();
    let location = use_location();
    let nav = crate::navigation::use_navigation();
    let switch = move |ev: leptos::ev::Event| {
        let label = event_target_value(&ev);
        let (path, search) = here(&location);
        let rest = instances::split_route(&path).1.to_string();
        let same_page = links::switched(&format!("{rest}{search}"), label == instances::ALL);
        store.choose(&label);
        nav.navigate(&links::on(&label, &same_page));
    };
    move || {
        let switch = switch.clone();
        (store.known.with(Vec::len) > 1).then(move || {
            let current = store.current_label.get().unwrap_or_default();
            view! {
                <div class="instance-switch">
                    <label for="instance-switch">"GitLab instance"</label>
                    <select id="instance-switch" on:change=switch prop:value=current.clone()>
                        {store.known.get().into_iter().map(|k| {
                            let label = k.label().to_string();
                            let text = match k.connection {
                                Connection::SignedIn(_) => label.clone(),
                                _ => format!("{label} (signed out)"),
                            };
                            view! { <option value=label.clone() selected=label == current>{text}</option> }
                        }).collect_view()}
                        {(store.signed_in_count() > 1).then(|| view! {
                            <option value=instances::ALL selected=current == instances::ALL>"All instances"</option>
                        })}
                    </select>
                </div>
            }
        })
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
