//! The shell: header, the sign-in gate, and the route table.

use crate::prelude::*;

use crate::components::busy_line::busy_line;
use crate::components::clock::provide_clock;
use crate::components::reauth_dialog::reauth_dialog;
use crate::components::retry_notice::retry_notice;
use crate::components::shortcuts::shortcuts;
use crate::components::toasts::{provide_toasts, toast_region};
use crate::dom::{button, el, label_for, option, value_of, El};
use crate::links;
use crate::pages::{
    not_found::not_found_page, project_runners::project_runners_page, register::register_page,
    runner_detail::runner_detail_page, runner_edit::runner_edit_page,
    runner_jobs::runner_jobs_page, runners::runners_page, sign_in::sign_in_page,
    tokens::tokens_page,
};
use crate::route::Route;
use crate::router::{provide_router, use_router};
use crate::session::SessionStore;
use crate::theme::{self, Theme};

/// Builds the app into `<body>`; it lives as long as the page.
pub fn mount() {
    // Effects and tasks run on wasm-bindgen's executor (started once).
    let owner = Owner::new();
    let body = crate::dom::document().body().expect("a body");
    owner.with(|| {
        for part in app() {
            let _ = body.append_child(&part.into_element());
        }
    });
    // Never cleaned up: the app lives as long as the page.
    std::mem::forget(owner);
}

fn app() -> Vec<El> {
    let store = SessionStore::provide();
    provide_toasts();
    provide_clock();
    let router = provide_router();
    let route = router.route();
    let signed_in = move || store.current.with(Option::is_some);
    // The page is built again on signing in or out, not on every session change.
    let signed_in_now = Memo::new(move |_| signed_in());
    let main = move || {
        Some(if signed_in_now.get() {
            let route = route.get();
            untrack(|| page(route))
        } else if store.restoring.get() {
            busy_line("Signing you in again…")
        } else {
            untrack(sign_in_page)
        })
    };
    vec![
        el("a")
            .class("skip-link")
            .attr("href", "#main")
            .text("Skip to content"),
        header(),
        retry_notice(),
        el("div").show(signed_in, reauth_dialog),
        shortcuts(),
        toast_region(),
        el("main").id("main").attr("tabindex", "-1").dyn_child(main),
    ]
}

/// The page of a route; one per route.
fn page(route: Route) -> El {
    match route {
        // The router turns `/` into `/runners` in the address bar too.
        Route::Home | Route::Runners => runners_page(),
        Route::Runner(id) => runner_detail_page(id),
        Route::RunnerEdit(id) => runner_edit_page(id),
        Route::RunnerJobs(id) => runner_jobs_page(id),
        Route::ProjectRunners => project_runners_page(),
        Route::Register => register_page(),
        Route::Tokens => tokens_page(),
        Route::NotFound => not_found_page(),
    }
}

fn header() -> El {
    let store = expect_context::<SessionStore>();
    let who = move || {
        store.current.get().map(|s| {
            let role = if s.is_admin() {
                "administrator"
            } else {
                "user"
            };
            el("div")
                .class("who")
                .child(
                    el("span")
                        .text("Signed in as ")
                        .child(el("strong").text(&s.user.username))
                        .text(&format!(" ({role}) on "))
                        .child(el("span").class("gitlab-url").text(&s.gitlab_url)),
                )
                .child(
                    button()
                        .class("secondary")
                        .text("Sign out")
                        .on("click", move |_| store.sign_out()),
                )
        })
    };
    let signed_in = move || store.current.with(Option::is_some);
    el("header")
        .class("app-header")
        .child(
            el("a")
                .class("brand")
                .attr("href", &links::href(links::RUNNERS))
                .text("Runner Console"),
        )
        .show(signed_in, || {
            el("nav")
                .class("main-nav")
                .attr("aria-label", "Main")
                .child(nav_link(links::RUNNERS, "Runners"))
                .child(nav_link(links::PROJECT_RUNNERS, "Project runners"))
                .child(nav_link(links::REGISTER, "Register a runner"))
                .child(nav_link(links::TOKENS, "Token tools"))
        })
        .child(
            el("div")
                .class("header-end")
                .dyn_child(who)
                .child(theme_picker()),
        )
}

/// A main-menu link, marked as the current page on it and below it.
fn nav_link(to: &'static str, label: &str) -> El {
    let current = use_router().is_current(to);
    el("a")
        .attr("href", &links::href(to))
        .attr_dyn("aria-current", move || {
            current.get().then(|| "page".to_string())
        })
        .text(label)
}

/// System / Light / Dark; remembered in this browser, applied to `<html>`.
fn theme_picker() -> El {
    let chosen = RwSignal::new(theme::remembered());
    crate::dom::effect_after(move || theme::apply(chosen.get()));
    let options = Theme::ALL.iter().map(|t| option(t.as_str(), t.label()));
    el("div")
        .class("theme-picker")
        .child(label_for("theme", "Theme"))
        .child(
            el("select")
                .id("theme")
                .children(options)
                .prop_dyn("value", move || chosen.get().as_str().into())
                .on("change", move |ev| {
                    let t = Theme::parse(&value_of(&ev));
                    theme::remember(t);
                    chosen.set(t);
                }),
        )
}
