//! Client-side navigation: the current location as a signal, kept in step with the
//! History API, and same-origin link clicks turned into in-page navigation.
//!
//! The console needs only flat routes and a query string, which leptos_router did at
//! about 45 KB gzip of wasm; this does it in a few hundred bytes.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::links;
use crate::route::{self, QueryMap, Route};

/// The location below the base: path (starting with `/`) and query string (`""` or
/// starting with `?`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Location {
    path: String,
    search: String,
}

/// Reads and changes the current location. `Copy`, so closures take it freely.
#[derive(Clone, Copy)]
pub struct Router {
    location: RwSignal<Location>,
    /// While its signal is true, leaving the page asks this question first.
    guard: StoredValue<Option<(Signal<bool>, &'static str)>>,
}

/// Installs the router for the app: the location signal, Back/Forward, and link clicks.
pub fn provide_router() -> Router {
    let router = Router {
        location: RwSignal::new(current_location()),
        guard: StoredValue::new(None),
    };
    router.leave_home();
    provide_context(router);
    let popstate = window_event_listener(leptos::ev::popstate, move |_| {
        if !router.may_leave() {
            // Back/Forward already changed the address: put the page's back.
            let here = router
                .location
                .with_untracked(|l| format!("{}{}", l.path, l.search));
            if let Ok(history) = window().history() {
                let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&links::href(&here)));
            }
            return;
        }
        router.location.set(current_location());
        router.leave_home();
    });
    let click = window_event_listener(leptos::ev::click, move |ev| router.follow_link(&ev));
    on_cleanup(move || {
        popstate.remove();
        click.remove();
    });
    router
}

pub fn use_router() -> Router {
    expect_context::<Router>()
}

impl Router {
    /// The page the location names; changes only when the page does, not its query.
    pub fn route(self) -> Memo<Route> {
        Memo::new(move |_| self.location.with(|l| Route::parse(&l.path)))
    }

    /// The decoded query string.
    pub fn query(self) -> Memo<QueryMap> {
        Memo::new(move |_| self.location.with(|l| QueryMap::parse(&l.search)))
    }

    /// Whether a main-menu entry (a path below the base) is the current page.
    pub fn is_current(self, entry: &'static str) -> Memo<bool> {
        Memo::new(move |_| self.location.with(|l| route::is_current(entry, &l.path)))
    }

    /// While `unsaved` is true, leaving the current page (links, Back/Forward,
    /// navigation from code) asks `question` first. Lasts as long as the caller's owner.
    pub fn guard_leaving(self, unsaved: Signal<bool>, question: &'static str) {
        self.guard.set_value(Some((unsaved, question)));
        on_cleanup(move || {
            let _ = self.guard.try_set_value(None);
        });
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

    /// Goes to `to` (a path below the base, may carry a query), as a new history
    /// entry; unless a page guards unsaved changes and the user stays.
    pub fn navigate(self, to: &str) {
        if !self.may_leave() {
            return;
        }
        self.go(to, false);
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }

    /// Changes the location in place (no new history entry, no scrolling): for state
    /// written into the URL while the user types.
    pub fn replace(self, to: &str) {
        self.go(to, true);
    }

    /// `/` has no page of its own: it is the runner list, and the address bar says so.
    fn leave_home(self) {
        if self
            .location
            .with_untracked(|l| Route::parse(&l.path) == Route::Home)
        {
            self.replace(links::RUNNERS);
        }
    }

    fn go(self, to: &str, replace: bool) {
        let url = links::href(to);
        if let Ok(history) = window().history() {
            let _ = if replace {
                history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
            } else {
                history.push_state_with_url(&JsValue::NULL, "", Some(&url))
            };
        }
        let (path, search) = match to.split_once('?') {
            Some((p, q)) => (p.to_string(), format!("?{q}")),
            None => (to.to_string(), String::new()),
        };
        self.location.set(Location { path, search });
        self.leave_home();
    }

    /// A plain left click on a link into the console navigates in the page; anything
    /// else (new tab, download, another site, an in-page `#` link, a click a handler
    /// already took) is left to the browser.
    fn follow_link(self, ev: &web_sys::MouseEvent) {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(link) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
            .and_then(|el| el.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        else {
            return;
        };
        let href = link.get_attribute("href").unwrap_or_default();
        let own_tab = link.target().is_empty() || link.target() == "_self";
        let same_origin = window()
            .location()
            .origin()
            .is_ok_and(|o| o == link.origin());
        if !own_tab || link.has_attribute("download") || href.starts_with('#') || !same_origin {
            return;
        }
        let pathname = link.pathname();
        let Some(path) = route::strip_base(links::base(), &pathname) else {
            return;
        };
        ev.prevent_default();
        self.navigate(&format!("{path}{}", link.search()));
    }
}

fn current_location() -> Location {
    let location = window().location();
    let pathname = location.pathname().unwrap_or_default();
    Location {
        path: route::strip_base(links::base(), &pathname)
            .unwrap_or("/")
            .to_string(),
        search: location.search().unwrap_or_default(),
    }
}
