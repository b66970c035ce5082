//! Long work done a few requests at a time (counting, reading every runner):
//! its progress as a bar with words, and Cancel.

use futures::StreamExt;
use leptos::prelude::*;

use crate::api::{ApiError, ApiRequest, Client};
use crate::components::error_notice::ErrorNotice;
use crate::components::fleet_view::CONCURRENCY;

/// The run in flight, if any, so it can be cancelled.
#[derive(Clone, Copy)]
pub struct RunControl(StoredValue<Option<web_sys::AbortController>, LocalStorage>);

impl RunControl {
    #[allow(clippy::new_without_default)] // a reactive handle, made in a component
    pub fn new() -> Self {
        RunControl(StoredValue::new_local(None))
    }
}

/// Progress of a long count or read: `done` of `of`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Run {
    Idle,
    Working { done: usize, of: Option<usize> },
    Cancelled { done: usize },
    Done,
}

/// Aborts the run in flight, if any.
pub fn cancel_run(control: RunControl) {
    control.0.update_value(|c| {
        if let Some(c) = c.take() {
            c.abort();
        }
    });
}

/// Cancels the run in flight and starts a new one: its abort signal.
pub fn new_run(control: RunControl) -> Option<web_sys::AbortSignal> {
    cancel_run(control);
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    control.0.set_value(controller);
    signal
}

/// The id of a page's one progress bar (pages with more name theirs).
pub const BAR_ID: &str = "run-progress";

#[component]
pub fn Progress(
    #[prop(into)] run: Signal<Run>,
    what: Signal<String>,
    on_cancel: Callback<()>,
    /// The bar's id, where a page has more than one run.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| BAR_ID.into());
    let working = Memo::new(move |_| match run.get() {
        Run::Working { done, of } => Some((done, of)),
        _ => None,
    });
    view! {
        <Show when=move || working.with(Option::is_some)>
            <div class="progress-block" role="status">
                <label for=id.clone()>
                    {move || match working.get() {
                        Some((done, Some(of))) => format!("{}: {done} of {of}", what.get()),
                        Some((done, None)) => format!("{}: {done} so far", what.get()),
                        None => String::new(),
                    }}
                </label>
                <progress
                    id=id.clone()
                    role="progressbar"
                    aria-valuemin="0"
                    aria-valuenow=move || working.get().map(|(d, _)| d.to_string())
                    aria-valuemax=move || working.get().and_then(|(_, of)| of).map(|o| o.to_string())
                    max=move || working.get().and_then(|(_, of)| of).map(|o| o.to_string())
                    value=move || working.get().and_then(|(d, of)| of.map(|_| d.to_string()))
                ></progress>
                <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </Show>
    }
}

/// Loads every page of the list `req` asks for, its progress into `run`:
/// `None` when cancelled (`Run::Cancelled`) or failed (into `failed`).
pub async fn load_every<T: serde::de::DeserializeOwned>(
    client: &Client,
    req: &ApiRequest,
    signal: Option<&web_sys::AbortSignal>,
    run: RwSignal<Run>,
    failed: RwSignal<Option<ApiError>>,
) -> Option<Vec<T>> {
    run.try_set(Run::Working { done: 0, of: None });
    let all = client
        .load_all::<T>(req, signal, |done, total| {
            run.try_set(Run::Working {
                done,
                of: total.map(|t| t as usize),
            });
        })
        .await;
    match all {
        Ok(all) => Some(all),
        Err(ApiError::Aborted) => {
            run.try_set(Run::Cancelled { done: 0 });
            None
        }
        Err(e) => {
            failed.try_set(Some(e));
            run.try_set(Run::Idle);
            None
        }
    }
}

/// A long run's bar with Cancel, and its failure (GitLab's words) with Retry.
#[component]
pub fn RunStatus(
    run: RwSignal<Run>,
    #[prop(into)] what: Signal<String>,
    control: RunControl,
    failed: RwSignal<Option<ApiError>>,
    retry: Callback<()>,
    /// The bar's id, where a page has more than one run.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    view! {
        <Progress run=run what=what on_cancel=Callback::new(move |_| cancel_run(control)) id=id.unwrap_or_else(|| BAR_ID.into()) />
        {move || failed.get().map(|e| view! { <ErrorNotice error=e retry=retry /> })}
    }
}

/// Runs `fetch` over `items`, `CONCURRENCY` at a time, giving each answer to
/// `keep` and the progress to `run`; stops at a cancel (`Run::Cancelled`) or the
/// first failure (into `failed`). Whether every item was done.
pub async fn each<I, T, Fut>(
    items: Vec<I>,
    fetch: impl Fn(I) -> Fut,
    mut keep: impl FnMut(T),
    run: RwSignal<Run>,
    failed: RwSignal<Option<ApiError>>,
) -> bool
where
    Fut: std::future::Future<Output = Result<T, ApiError>>,
{
    let of = Some(items.len());
    run.try_set(Run::Working { done: 0, of });
    let mut done = 0;
    let mut answers = futures::stream::iter(items)
        .map(fetch)
        .buffer_unordered(CONCURRENCY);
    while let Some(answer) = answers.next().await {
        match answer {
            Ok(v) => {
                done += 1;
                keep(v);
                run.try_set(Run::Working { done, of });
            }
            Err(ApiError::Aborted) => {
                run.try_set(Run::Cancelled { done });
                return false;
            }
            Err(e) => {
                failed.try_set(Some(e));
                run.try_set(Run::Idle);
                return false;
            }
        }
    }
    true
}
