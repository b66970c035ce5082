//! Moving between pages from code, on top of leptos_router: `navigate` for a new
//! history entry, `replace` for state written into the address while the user types,
//! and a guard that asks before unsaved changes are left behind.
//!
//! leptos_router has no way to hold a navigation back, so the guard stands in front
//! of it: a capture-phase click listener takes in-app link clicks before the router's
//! own listener sees them, and a capture-phase `popstate` listener (capture listeners
//! on the window run before the router's bubbling one) stops Back/Forward from
//! reaching the router and puts the page's address back.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use leptos_use_event_listener::{use_event_listener_with_options, UseEventListenerOptions};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

type NavigateFn = Arc<dyn Fn(&str, NavigateOptions)>;

/// Navigation for the console's code. `Copy`, so closures take it freely.
#[derive(Clone, Copy)]
pub struct Navigation {
    navigate: StoredValue<NavigateFn, LocalStorage>,
    /// While its signal is true, leaving the page asks this question first.
    guard: StoredValue<Option<(Signal<bool>, &'static str)>>,
}

/// Provides `Navigation` for the pages; must sit inside the `<Router>`.
pub fn provide_navigation() -> Navigation {
    let navigate = use_navigate();
    let nav = Navigation {
        navigate: StoredValue::new_local(Arc::new(navigate)),
        guard: StoredValue::new(None),
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
        if self.may_leave() {
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
            navigate(to, options);
        }
    }

    /// True when nothing unsaved is at stake or the user chose to leave anyway.
    fn may_leave(self) -> bool {
        match self.guard.try_get_value().flatten() {
            Some((unsaved, question)) if unsaved.try_get_untracked() == Some(true) => {
                window().confirm_with_message(question).unwrap_or(true)
            }
            _ => true,
        }
    }

    /// While `unsaved` is true, leaving the current page (links, Back/Forward,
    /// navigation from code) asks `question` first. Lasts as long as the caller's owner.
    pub fn guard_leaving(self, unsaved: Signal<bool>, question: &'static str) {
        self.guard.set_value(Some((unsaved, question)));
        let location = use_location();
        // The address the guarded page has, to put back when the user stays.
        let here = move || {
            let path = location.pathname.get_untracked();
            let search = location.search.get_untracked();
            if search.is_empty() {
                path
            } else {
                format!("{path}?{search}")
            }
        };
        let capture = || UseEventListenerOptions::default().capture(true);
        // Gone with the page (the listeners are removed with the caller's owner).
        let _ = use_event_listener_with_options(
            window(),
            ev::click,
            move |ev| {
                if leaves_in_app(&ev) && !self.may_leave() {
                    // The router's own click listener skips an event already handled.
                    ev.prevent_default();
                }
            },
            capture(),
        );
        let _ = use_event_listener_with_options(
            window(),
            ev::popstate,
            move |ev| {
                if !self.may_leave() {
                    ev.stop_immediate_propagation();
                    // Back/Forward already changed the address: put the page's back.
                    if let Ok(history) = window().history() {
                        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&here()));
                    }
                }
            },
            capture(),
        );
        let guard = self.guard;
        on_cleanup(move || {
            let _ = guard.try_set_value(None);
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
