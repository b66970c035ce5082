//! `/dashboard`: the fleet at a glance, computed in the browser from REST. This
//! first part counts the runners by status and type with GitLab's own counts
//! (`X-Total` of one `per_page=1` request a cell), drawn as an SVG chart with
//! its numbers written out, and the same numbers in a table.

use leptos::prelude::*;

use crate::api::request::{self, RunnerSource};
use crate::api::ApiError;
use crate::components::error_notice::ErrorNotice;
use crate::components::progress_run::{cancel_run, each, new_run, Progress, Run, RunControl};
use crate::dashboard::{column_label, row_label, rows, Cell, COLUMNS};
use crate::links;
use crate::list_query::ListQuery;
use crate::session::use_session;
use crate::status_summary::{count_text, share, Count};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let session = use_session();
    let source = ListQuery::default().api_source(session.is_admin());
    let whose = match source {
        RunnerSource::All => "every runner of this GitLab",
        _ => "the runners you can manage",
    };
    let client = session.client.clone();
    let counts = RwSignal::new(Vec::<(Cell, Count)>::new());
    let run = RwSignal::new(Run::Idle);
    let failed = RwSignal::new(None::<ApiError>);
    let control = RunControl::new();

    let start = move || {
        let signal = new_run(control);
        counts.set(vec![]);
        failed.set(None);
        let (client, source) = (client.clone(), source.clone());
        leptos::task::spawn_local(async move {
            let count = |cell: Cell| {
                let (client, source, signal) = (client.clone(), source.clone(), signal.clone());
                async move {
                    let req = request::count_runners(&source, &cell.filter());
                    Ok((cell, client.count(&req, signal.as_ref()).await?))
                }
            };
            let keep = |counted| {
                counts.try_update(|c| c.push(counted));
            };
            if each(Cell::all(), count, keep, run, failed).await {
                run.try_set(Run::Done);
            }
        });
    };
    let start = StoredValue::new_local(start);
    Effect::new(move |_| start.with_value(|s| s()));
    on_cleanup(move || cancel_run(control));
    let count_of =
        move |cell: Cell| counts.with(|c| c.iter().find(|(x, _)| *x == cell).map(|(_, n)| *n));

    view! {
        <section class="dashboard-page" aria-labelledby="dashboard-title">
            <h1 id="dashboard-title">"Fleet dashboard"</h1>
            <p class="lead">{format!("How {whose} are doing, from GitLab's own counts.")}</p>
            <Progress run=run what=Signal::stored("Counting runners".to_string()) on_cancel=Callback::new(move |_| cancel_run(control)) />
            {move || failed.get().map(|e| view! {
                <ErrorNotice error=e retry=Callback::new(move |_| start.with_value(|s| s())) />
            })}
            {move || match run.get() {
                Run::Cancelled { done } => Some(view! {
                    <div class="progress-block" role="status">
                        <p>{format!("Counting cancelled after {done} of {} counts.", Cell::all().len())}</p>
                        <button type="button" class="secondary" on:click=move |_| start.with_value(|s| s())>"Count again"</button>
                    </div>
                }),
                _ => None,
            }}
            <section aria-labelledby="by-status-title">
                <h2 id="by-status-title">"Runners by status and type"</h2>
                <p class="help">
                    "GitLab's statuses overlap: a stale runner is also offline or never contacted, and a paused runner has a contact status too. "
                    "GitLab stops counting above 10,000."
                </p>
                <StatusChart count_of=count_of />
                <div class="table-wrap">
                    <table class="dashboard-counts">
                        <caption>"Runners by status and type, as GitLab counts them"</caption>
                        <thead>
                            <tr>
                                <td></td>
                                {COLUMNS.map(|t| view! { <th scope="col">{column_label(t)}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {rows().into_iter().map(|part| view! {
                                <tr>
                                    <th scope="row">{row_label(part)}</th>
                                    {COLUMNS.map(|runner_type| {
                                        let cell = Cell { part, runner_type };
                                        view! {
                                            <td class="num" data-cell=cell.key()>
                                                {move || match count_of(cell) {
                                                    None => view! { <span class="muted" aria-label="Counting">"…"</span> }.into_any(),
                                                    Some(n) => view! {
                                                        <a href=links::href(&links::runners(&cell.list()))>{count_text(n)}</a>
                                                    }.into_any(),
                                                }}
                                            </td>
                                        }
                                    }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
            <p>
                "Runners by version: " <a href=links::href(links::OUTDATED)>"Outdated runners"</a>
            </p>
        </section>
    }
}

/// One bar per status of every runner, its words and number written beside it,
/// so the chart reads without colour (the table below has the same numbers).
#[component]
fn StatusChart(
    count_of: impl Fn(Cell) -> Option<Count> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    const ROW: f64 = 28.0;
    let parts: Vec<_> = rows().into_iter().skip(1).flatten().collect();
    let height = ROW * parts.len() as f64;
    let total = move || {
        count_of(Cell {
            part: None,
            runner_type: None,
        })
        .flatten()
    };
    view! {
        <svg class="status-chart" role="img" aria-labelledby="status-chart-title" viewBox=format!("0 0 600 {height}") width="100%" height=height.to_string()>
            <title id="status-chart-title">"Runners by status (every type); the numbers are in the table below"</title>
            {parts.into_iter().enumerate().map(|(i, part)| {
                let y = i as f64 * ROW;
                let cell = Cell { part: Some(part), runner_type: None };
                let width = move || {
                    let n = count_of(cell).unwrap_or(Some(0));
                    format!("{:.1}", share(n, total()) * 3.6)
                };
                let text = move || match count_of(cell) {
                    Some(n) => format!("{} {}", part.label(), count_text(n)),
                    None => format!("{} …", part.label()),
                };
                view! {
                    <g class=format!("bar summary-{}", part.css())>
                        <text x="0" y=(y + 18.0).to_string()>{text}</text>
                        <rect x="230" y=(y + 6.0).to_string() height="16" width=width class="summary-fill"></rect>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}
