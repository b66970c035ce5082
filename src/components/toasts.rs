//! Short notices for finished actions ("Runner #3 paused"): a polite live
//! region in the app shell; each notice goes away after 5 seconds or when
//! closed. Pages keep their own inline status lines; toasts are the echo that
//! stays visible wherever focus went.

use std::cell::RefCell;
use std::time::Duration;

use crate::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::dom::{button, effect, el, El};

pub const SHOWN_FOR: Duration = Duration::from_secs(5);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Success,
    Failure,
}

#[derive(Clone, Debug, PartialEq)]
struct Toast {
    id: u64,
    kind: Kind,
    text: String,
}

#[derive(Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

impl Toasts {
    pub fn success(&self, text: impl Into<String>) {
        self.push(Kind::Success, text.into());
    }

    pub fn failure(&self, text: impl Into<String>) {
        self.push(Kind::Failure, text.into());
    }

    fn push(&self, kind: Kind, text: String) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.items.update(|all| all.push(Toast { id, kind, text }));
        let this = *self;
        set_timeout(move || this.dismiss(id), SHOWN_FOR);
    }

    pub fn dismiss(&self, id: u64) {
        // The app may be gone by the time a timer fires.
        let _ = self.items.try_update(|all| all.retain(|t| t.id != id));
    }
}

pub fn provide_toasts() -> Toasts {
    let toasts = Toasts {
        items: RwSignal::new(vec![]),
        next_id: StoredValue::new(1),
    };
    provide_context(toasts);
    toasts
}

pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

/// The region the notices appear in; always in the page, so screen readers
/// hear what is added to it. Notices already shown stay the same nodes, so
/// nothing is announced twice.
pub fn toast_region() -> El {
    let toasts = use_toasts();
    let region = el("div")
        .class("toasts")
        .attr("role", "status")
        .attr("aria-live", "polite")
        // One listener for every close button, which carries its notice's id.
        .on("click", move |ev| {
            let id = ev
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|e| e.closest(".toast-close").ok().flatten())
                .and_then(|b| b.get_attribute("data-toast"))
                .and_then(|v| v.parse().ok());
            if let Some(id) = id {
                toasts.dismiss(id);
            }
        });
    let node = region.element();
    let shown = RefCell::new(Vec::<(u64, Element)>::new());
    effect(move || {
        let items = toasts.items.get();
        let mut shown = shown.borrow_mut();
        shown.retain(|(id, e)| {
            let keep = items.iter().any(|t| t.id == *id);
            if !keep {
                e.remove();
            }
            keep
        });
        for toast in items {
            if shown.iter().any(|(id, _)| *id == toast.id) {
                continue;
            }
            let e = notice(&toast).into_element();
            let _ = node.append_child(&e);
            shown.push((toast.id, e));
        }
    });
    region
}

fn notice(toast: &Toast) -> El {
    let class = match toast.kind {
        Kind::Success => "toast toast-success",
        Kind::Failure => "toast toast-failure",
    };
    el("div")
        .class(class)
        .child(el("p").text(&toast.text))
        .child(
            button()
                .class("secondary toast-close")
                .attr("aria-label", "Dismiss notification")
                .attr("data-toast", &toast.id.to_string())
                .text("×"),
        )
}
