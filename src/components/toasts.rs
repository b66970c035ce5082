//! Short notices for finished actions ("Runner #3 paused"): a polite live
//! region in the app shell; each notice goes away after 5 seconds or when
//! closed. Pages keep their own inline status lines; toasts are the echo that
//! stays visible wherever focus went.

use std::time::Duration;

use leptos::prelude::*;

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
/// hear what is added to it.
#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = use_toasts();
    view! {
        <div class="toasts" role="status" aria-live="polite">
            <For
                each=move || toasts.items.get()
                key=|t| t.id
                children=move |toast: Toast| {
                    let class = match toast.kind {
                        Kind::Success => "toast toast-success",
                        Kind::Failure => "toast toast-failure",
                    };
                    let id = toast.id;
                    view! {
                        <div class=class>
                            <p>{toast.text}</p>
                            <button
                                type="button"
                                class="secondary toast-close"
                                aria-label="Dismiss notification"
                                on:click=move |_| toasts.dismiss(id)
                            >
                                "×"
                            </button>
                        </div>
                    }
                }
            />
        </div>
    }
}
