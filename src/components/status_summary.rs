//! How many runners of the list are online, offline, stale, never contacted
//! and paused: six small parallel requests (`per_page=1`, the count is in
//! `X-Total`), drawn as one bar per part with its words and number; each
//! part links to the list filtered to it. See `crate::status_summary`.

use futures::future::join_all;
use leptos::prelude::*;

use crate::api::client::abort_on_cleanup;
use crate::components::error_notice::ErrorNotice;
use crate::components::loading::Loading;

use crate::api::request::{self, RunnerFilter, RunnerSource};
use crate::api::ApiError;
use crate::links;
use crate::list_query::ListQuery;
use crate::session::use_session;
use crate::status_summary::{count_text, share, Count, Part};

#[derive(Clone, Debug, PartialEq)]
struct Counts {
    total: Count,
    parts: Vec<(Part, Count)>,
}

#[component]
pub fn StatusSummary(
    source: Memo<RunnerSource>,
    query: Memo<ListQuery>,
    /// Bumped after actions that change statuses, to count again.
    #[prop(into)]
    reload: Signal<u32>,
) -> impl IntoView {
    let client = use_session().client;
    let filter = Memo::new(move |_| query.read().filter.clone());
    let counts = LocalResource::new(move || {
        let (source, filter) = (source.get(), filter.get());
        reload.track();
        let client = client.clone();
        let signal = abort_on_cleanup();
        async move {
            let count = |f: RunnerFilter| {
                let req = request::count_runners(&source, &f);
                let (client, signal) = (client.clone(), signal.clone());
                async move { client.count(&req, signal.as_ref()).await }
            };
            let mut filters = vec![filter.clone()];
            filters.extend(Part::ALL.iter().map(|p| p.filter(&filter)));
            let mut answers = join_all(filters.into_iter().map(count))
                .await
                .into_iter()
                .collect::<Result<Vec<Count>, ApiError>>()?
                .into_iter();
            let total = answers.next().flatten();
            Ok::<_, ApiError>(Counts {
                total,
                parts: Part::ALL.iter().copied().zip(answers).collect(),
            })
        }
    });

    view! {
        <section class="status-summary" aria-labelledby="status-summary-title">
            <h2 id="status-summary-title">"Runners by status"</h2>
            <Transition fallback=|| view! { <Loading text="Counting runners…" /> }>
                {move || Suspend::new(async move {
                    match counts.await {
                        Ok(c) => view! { <Chart counts=c query=query /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error=error retry=Callback::new(move |_| counts.refetch()) /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Chart(counts: Counts, query: Memo<ListQuery>) -> impl IntoView {
    let current = query.get_untracked();
    let total = counts.total;
    let rows = counts
        .parts
        .into_iter()
        .map(|(part, count)| {
            let href = links::href(&links::runners(&part.query(&current)));
            let is_current = part.is_current(&current.filter);
            // Set through the CSSOM (`style:`), which a CSP without
            // 'unsafe-inline' styles still allows, unlike a style attribute.
            let width = format!("{:.2}%", share(count, total));
            let number = count_text(count);
            view! {
                <li class=format!("summary-part summary-{}", part.css())>
                    <a
                        href=href
                        aria-current=is_current.then_some("true")
                        title="Show only these runners"
                    >
                        <span class="summary-label">{part.label()}</span>
                        " "
                        <span class="summary-bar" aria-hidden="true">
                            <span class="summary-fill" style:width=width></span>
                        </span>
                        " "
                        <span class="summary-count">{number}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="summary-total">
            {format!("{} runners in this list", count_text(total))}
            " (a runner can be both stale and offline, and paused ones have a status too)"
        </p>
        <ul class="summary-chart">{rows}</ul>
    }
}
