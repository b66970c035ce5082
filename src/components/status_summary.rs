//! How many runners of the list are online, offline, stale, never contacted
//! and paused: six small parallel requests (`per_page=1`, the count is in
//! `X-Total`), drawn as one bar per part with its words and number; each
//! part links to the list filtered to it. See `crate::status_summary`.

use crate::concurrent::{join_all, LocalFuture};
use crate::prelude::*;

use crate::components::load::load;
use crate::dom::{el, El};

use crate::api::request::{self, PageQuery, RunnerFilter, RunnerSource};
use crate::api::ApiError;
use crate::links;
use crate::list_query::ListQuery;
use crate::session::use_session;
use crate::status_summary::{count_text, share_css, Count, Part};

#[derive(Clone, Debug, PartialEq)]
struct Counts {
    total: Count,
    parts: Vec<(Part, Count)>,
}

/// `filter` is `query`'s, as the page has it; `reload` is bumped after actions
/// that change statuses, to count again.
pub fn status_summary(
    source: Memo<RunnerSource>,
    query: Memo<ListQuery>,
    filter: Memo<RunnerFilter>,
    reload: RwSignal<u32>,
) -> El {
    let client = use_session().client;
    let counts = load(move |signal| {
        let (source, filter) = (source.get(), filter.get());
        reload.track();
        let client = client.clone();
        async move {
            let count = |f: RunnerFilter| {
                let req = request::list_runners(&source, &f, PageQuery::new(1, 1));
                let (client, signal) = (client.clone(), signal.clone());
                let count: LocalFuture<'static, Result<Count, ApiError>> = Box::pin(async move {
                    client
                        .page::<crate::json::Value>(&req, signal.as_ref())
                        .await
                        .map(|p| p.total)
                });
                count
            };
            let mut filters = vec![filter.clone()];
            filters.extend(Part::ALL.iter().map(|p| p.filter(&filter)));
            let mut answers = join_all(filters.into_iter().map(count).collect())
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

    el("section")
        .class("status-summary")
        .attr("aria-labelledby", "status-summary-title")
        .child(
            el("h2")
                .id("status-summary-title")
                .text("Runners by status"),
        )
        .dyn_nodes(counts.shown("Counting runners…", move |c| chart(c, query)))
}

fn chart(counts: Counts, query: Memo<ListQuery>) -> Vec<El> {
    let current = query.get_untracked();
    let total = counts.total;
    let rows = counts.parts.into_iter().map(|(part, count)| {
        let href = links::href(&links::runners(&part.query(&current)));
        let link = el("a")
            .attr("href", &href)
            .attr("title", "Show only these runners");
        let link = if part.is_current(&current.filter) {
            link.attr("aria-current", "true")
        } else {
            link
        };
        el("li")
            .class(&format!("summary-part summary-{}", part.css()))
            .child(
                link.child(el("span").class("summary-label").text(part.label()))
                    .text(" ")
                    .child(
                        el("span")
                            .class("summary-bar")
                            .attr("aria-hidden", "true")
                            .child(
                                el("span")
                                    .class("summary-fill")
                                    .style("width", &share_css(count, total)),
                            ),
                    )
                    .text(" ")
                    .child(el("span").class("summary-count").text(&count_text(count))),
            )
    });
    vec![
        el("p").class("summary-total").text(&format!(
            "{} runners in this list (a runner can be both stale and offline, and paused ones have a status too)",
            count_text(total)
        )),
        el("ul").class("summary-chart").children(rows),
    ]
}
