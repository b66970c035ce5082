//! Moving between pages from code, on top of leptos_router: `navigate` for a new
//! history entry, `replace` for state written into the address while the user types,
//! and guards that ask before unsaved changes are left behind.
//!
//! leptos_router has no way to hold a navigation back, so the guards stand in front
//! of it. A capture-phase click listener takes in-app link clicks before the router's
//! own listener sees them. Back/Forward (`popstate`, dispatched at the window itself,
//! whose listeners run in the order they were added) is met by a listener added
//! before the `<Router>` adds its own, so it runs first and can keep the router from
//! seeing the event, then puts the page's address back.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use leptos_use_event_listener::{use_event_listener_with_options, UseEventListenerOptions};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A page's guard: while `unsaved` is true, leaving asks `question` first; `here` is
/// the page's address, put back when the user stays on Back/Forward.
struct Guard {
    key: u64,
    unsaved: Signal<bool>,
    question: &'static str,
    here: Signal<String>,
}

/// The guards of the pages on screen. Each has a key of its own, so a page going away
/// removes only its guard, also when the page taking its place has put up its own.
#[derive(Clone, Copy)]
pub struct LeaveGuards {
    guards: StoredValue<Vec<Guard>>,
    next_key: StoredValue<u64>,
}

/// Provides the guards and meets Back/Forward for them. Call it before the
/// `<Router>` is built: its `popstate` listener must come before the router's.
pub fn provide_leave_guards() {
    let guards = LeaveGuards {
        guards: StoredValue::new(Vec::new()),
        next_key: StoredValue::new(0),
    };
    provide_context(guards);
    // Registered now, not in an effect: listeners on the window itself run in the
    // order they were added, and the router adds its own when it is built.
    let handle = window_event_listener(ev::popstate, move |ev| {
        let Some((question, here)) = guards.at_stake() else {
            return;
        };
        if !window().confirm_with_message(question).unwrap_or(true) {
            // The router never hears of it, and the address goes back to the page's.
            ev.stop_immediate_propagation();
            if let Ok(history) = window().history() {
                let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&here));
            }
        }
    });
    on_cleanup(move || handle.remove());
}

impl LeaveGuards {
    /// The question and address of a guard whose changes are unsaved.
    fn at_stake(self) -> Option<(&'static str, String)> {
        self.guards
            .try_with_value(|guards| {
                guards
                    .iter()
                    .find(|g| g.unsaved.try_get_untracked() == Some(true))
                    .map(|g| (g.question, g.here.get_untracked()))
            })
            .flatten()
    }

    /// True when nothing unsaved is at stake or the user chose to leave anyway.
    fn may_leave(self) -> bool {
        match self.at_stake() {
            Some((question, _)) => window().confirm_with_message(question).unwrap_or(true),
            None => true,
        }
    }
}

type NavigateFn = Arc<dyn Fn(&str, NavigateOptions)>;

/// Navigation for the console's code. `Copy`, so closures take it freely.
#[derive(Clone, Copy)]
pub struct Navigation {
    navigate: StoredValue<NavigateFn, LocalStorage>,
    guards: LeaveGuards,
}

/// Provides `Navigation` for the pages; must sit inside the `<Router>`, below
/// `provide_leave_guards`.
pub fn provide_navigation() -> Navigation {
    let navigate = use_navigate();
    let nav = Navigation {
        navigate: StoredValue::new_local(Arc::new(navigate)),
        guards: expect_context::<LeaveGuards>(),
    };
    provide_context(nav);
    nav
}

pub fn use_navigation() -> Navigation {
    expect_context::<Navigation>()
}

impl Navigation {
    /// Goes to `to` (a path below the base, may carry a query) as a new history entry,
    /// unless a page guards unsaved changes and the user stays.
    pub fn navigate(self, to: &str) {
        if self.guards.may_leave() {
            self.go(to, NavigateOptions::default());
        }
    }

    /// Changes the address in place (no new history entry, no scrolling).
    pub fn replace(self, to: &str) {
        self.go(
            to,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    }

    fn go(self, to: &str, options: NavigateOptions) {
        // The page may be gone (a timer it set fires late): then there is nowhere to go.
        if let Some(navigate) = self.navigate.try_get_value() {
            navigate(&crate::links::on_instance(to), options);
        }
    }

    /// While `unsaved` is true, leaving the current page (links, Back/Forward,
    /// navigation from code) asks `question` first. Lasts as long as the caller's owner.
    pub fn guard_leaving(self, unsaved: Signal<bool>, question: &'static str) {
        let location = use_location();
        let here = Signal::derive(move || {
            let (path, search) = (location.pathname.get(), location.search.get());
            if search.is_empty() {
                path
            } else {
                format!("{path}?{search}")
            }
        });
        let guards = self.guards;
        let key = guards.next_key.get_value();
        guards.next_key.set_value(key + 1);
        guards.guards.update_value(|all| {
            all.push(Guard {
                key,
                unsaved,
                question,
                here,
            })
        });
        // Gone with the page (the listener is removed with the caller's owner).
        let _ = use_event_listener_with_options(
            window(),
            ev::click,
            move |ev| {
                if leaves_in_app(&ev) && !guards.may_leave() {
                    // The router's own click listener skips an event already handled.
                    ev.prevent_default();
                }
            },
            UseEventListenerOptions::default().capture(true),
        );
        on_cleanup(move || {
            guards
                .guards
                .try_update_value(|all| all.retain(|g| g.key != key));
        });
    }
}

/// Whether a click is a plain left click on a same-origin link in this tab, the kind
/// the router turns into in-app navigation.
fn leaves_in_app(ev: &web_sys::MouseEvent) -> bool {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.ctrl_key()
        || ev.meta_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return false;
    }
    let Some(link) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("a[href]").ok().flatten())
        .and_then(|el| el.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return false;
    };
    let href = link.get_attribute("href").unwrap_or_default();
    let same_origin = window()
        .location()
        .origin()
        .is_ok_and(|o| o == link.origin());
    link.target().is_empty()
        && !link.has_attribute("download")
        && !href.starts_with('#')
        && same_origin
}
