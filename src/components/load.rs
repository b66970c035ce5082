//! Data a page loads from GitLab, and how it shows: "Loading…" until the first answer,
//! then the answer (or the failure, with "Try again"), kept on screen while a newer
//! one is on its way.
//!
//! Leptos' `LocalResource` + `<Transition>` do the same, at several KB of wasm for
//! each use; this is one signal and one effect per use.

use std::future::Future;
use std::pin::Pin;

use crate::browser::spawn_local;
use crate::prelude::*;

use crate::api::ApiError;
use crate::components::busy_line::busy_line;
use crate::components::error_notice::error_notice;
use crate::dom::{el, El, Els};

pub struct Load<T: 'static> {
    /// The newest answer; `None` until the first arrives.
    answer: RwSignal<Option<Result<T, ApiError>>>,
    pending: RwSignal<bool>,
    again: RwSignal<u32>,
}

impl<T> Clone for Load<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Load<T> {}

/// Runs `fetch` now and again whenever a signal it reads before its first `.await`
/// changes (or on `refetch`). The request before is aborted through the signal it
/// was given, and a late answer to it is dropped.
pub fn load<T, F, Fut>(fetch: F) -> Load<T>
where
    T: 'static,
    F: Fn(Option<web_sys::AbortSignal>) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let this = Load {
        answer: RwSignal::new(None),
        pending: RwSignal::new(true),
        again: RwSignal::new(0),
    };
    let latest = StoredValue::new(0u64);
    crate::dom::effect_after(move || {
        this.again.track();
        let abort = web_sys::AbortController::new().ok();
        let work = Box::pin(fetch(abort.as_ref().map(|c| c.signal())));
        settle(this, latest, work);
        on_cleanup(move || {
            if let Some(c) = abort {
                c.abort();
            }
        });
    });
    this
}

/// Waits for one run's answer and keeps it unless a newer run started. Apart from
/// `load`, so its future is compiled once per answer type, not once per use.
fn settle<T: 'static>(
    this: Load<T>,
    latest: StoredValue<u64>,
    work: Pin<Box<dyn Future<Output = Result<T, ApiError>>>>,
) {
    latest.update_value(|n| *n += 1);
    let run = latest.get_value();
    this.pending.set(true);
    spawn_local(async move {
        let answer = work.await;
        if latest.try_get_value() == Some(run) {
            this.answer.set(Some(answer));
            this.pending.set(false);
        }
    });
}

impl<T: 'static> Load<T> {
    pub fn refetch(self) {
        self.again.update(|n| *n += 1);
    }

    /// Tracks the answer without reading it.
    pub fn track_answer(self) {
        self.answer.track();
    }

    /// Whether a newer answer is on its way while an older one shows; tracked.
    pub fn refreshing(self) -> bool {
        self.pending.get() && self.answer.with(Option::is_some)
    }

    /// A "Try again" for failure notices.
    pub fn retry(self) -> Callback<()> {
        Callback::new(move |_| self.refetch())
    }
}

impl<T: Clone + 'static> Load<T> {
    /// The newest answer, tracked; `None` while the first is on its way.
    pub fn get(self) -> Option<Result<T, ApiError>> {
        self.answer.get()
    }
}

/// How a load shows: `refreshing_line` goes into a parent's `dyn_child`, `shown`
/// and `shown_or` into its `dyn_nodes` (an answer may show as several siblings).
impl<T: Clone + 'static> Load<T> {
    /// "Loading…" while a newer answer is on its way and an older one shows.
    pub fn refreshing_line(self) -> impl Fn() -> Option<El> {
        move || {
            self.refreshing().then(|| {
                el("p")
                    .class("loading inline")
                    .attr("role", "status")
                    .text("Loading…")
            })
        }
    }

    /// `loading` (a status line) until the first answer, then `ready` of it, or
    /// the failure with "Try again".
    pub fn shown<B: Into<Els>>(
        self,
        loading: &'static str,
        ready: impl Fn(T) -> B + 'static,
    ) -> impl Fn() -> Vec<El> {
        self.shown_or(loading, ready, move |error| {
            error_notice(&error, Some(self.retry()))
        })
    }

    /// As `shown`, with the page's own view of a failure.
    pub fn shown_or<B: Into<Els>, F: Into<Els>>(
        self,
        loading: &'static str,
        ready: impl Fn(T) -> B + 'static,
        failed: impl Fn(ApiError) -> F + 'static,
    ) -> impl Fn() -> Vec<El> {
        move || match self.get() {
            None => vec![busy_line(loading)],
            Some(Ok(value)) => ready(value).into().into_vec(),
            Some(Err(error)) => failed(error).into().into_vec(),
        }
    }
}
