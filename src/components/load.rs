//! Data a page loads from GitLab, and how it shows: "Loading…" until the first answer,
//! then the answer (or the failure, with "Try again"), kept on screen while a newer
//! one is on its way.
//!
//! Leptos' `LocalResource` + `<Transition>` do the same, at several KB of wasm for
//! each use; this is one signal and one effect per use.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiError;
use crate::components::error_notice::ErrorNotice;

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
    T: Send + Sync + 'static,
    F: Fn(Option<web_sys::AbortSignal>) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let this = Load {
        answer: RwSignal::new(None),
        pending: RwSignal::new(true),
        again: RwSignal::new(0),
    };
    let latest = StoredValue::new(0u64);
    Effect::new(move || {
        this.again.track();
        let abort = web_sys::AbortController::new().ok();
        let work = fetch(abort.as_ref().map(|c| c.signal()));
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
        on_cleanup(move || {
            if let Some(c) = abort {
                c.abort();
            }
        });
    });
    this
}

impl<T: Send + Sync + 'static> Load<T> {
    pub fn refetch(self) {
        self.again.update(|n| *n += 1);
    }

    /// Whether a newer answer is on its way while an older one shows; tracked.
    pub fn refreshing(self) -> bool {
        self.pending.get() && self.answer.with(Option::is_some)
    }

    /// "Loading…" while a newer answer is on its way and an older one shows.
    pub fn refreshing_notice(self) -> impl IntoView {
        move || {
            self.refreshing()
                .then(|| view! { <p class="loading inline" role="status">"Loading…"</p> })
        }
    }

    /// A "Try again" for failure notices.
    pub fn retry(self) -> Callback<()> {
        Callback::new(move |_| self.refetch())
    }
}

impl<T: Clone + Send + Sync + 'static> Load<T> {
    /// The newest answer, tracked; `None` while the first is on its way.
    pub fn get(self) -> Option<Result<T, ApiError>> {
        self.answer.get()
    }

    /// `loading` (a status line) until the first answer, then `ready` of it, or the
    /// failure with "Try again".
    pub fn view(
        self,
        loading: &'static str,
        ready: impl Fn(T) -> AnyView + Send + Sync + 'static,
    ) -> impl IntoView {
        self.view_or(loading, ready, move |error| {
            view! { <ErrorNotice error=error retry=self.retry() /> }.into_any()
        })
    }

    /// As `view`, with the page's own words for a failure.
    pub fn view_or(
        self,
        loading: &'static str,
        ready: impl Fn(T) -> AnyView + Send + Sync + 'static,
        failed: impl Fn(ApiError) -> AnyView + Send + Sync + 'static,
    ) -> impl IntoView {
        move || match self.get() {
            None => view! { <p class="loading" role="status">{loading}</p> }.into_any(),
            Some(Ok(value)) => ready(value),
            Some(Err(error)) => failed(error),
        }
    }
}
