//! `/i/all/dashboard`: every signed-in instance's GitLab release and runners by status, side by
//! side, from each GitLab's own counts (one `per_page=1` request a cell, sent
//! to that instance with its credentials), with the sum over them. An instance
//! that cannot be counted is named in place; the others' counts stay. Each
//! instance's own dashboard has the rest (versions, tags, jobs).

use leptos::prelude::*;

use crate::api::request;
use crate::api::ApiError;
use crate::components::progress_run::{cancel_run, each, new_run, Run, RunControl, RunStatus};
use crate::dashboard::{row_label, rows, Cell};
use crate::links;
use crate::list_query::ListQuery;
use crate::session::{use_session_store, Session};
use crate::status_summary::{count_text, group_thousands, Count};

/// One instance's count of one row, or why not.
type Counted = (usize, Cell, Result<Count, ApiError>);

#[component]
pub fn AllDashboardPage() -> impl IntoView {
    let store = use_session_store();
    let sessions: Vec<Session> = store.signed_in();
    let cells: Vec<Cell> = rows()
        .into_iter()
        .map(|part| Cell {
            part,
            runner_type: None,
        })
        .collect();
    let counts = RwSignal::new(Vec::<Counted>::new());
    let run = RwSignal::new(Run::Idle);
    let failed = RwSignal::new(None::<ApiError>);
    let control = RunControl::new();
    let start = {
        let (sessions, cells) = (sessions.clone(), cells.clone());
        move || {
            let signal = new_run(control);
            counts.set(vec![]);
            failed.set(None);
            let items: Vec<(usize, Cell)> = (0..sessions.len())
                .flat_map(|i| cells.iter().map(move |c| (i, *c)))
                .collect();
            let sessions = sessions.clone();
            leptos::task::spawn_local(async move {
                // A failing instance is kept as its answer, not a stop: the others go on.
                let count = |(i, cell): (usize, Cell)| {
                    let s: &Session = &sessions[i];
                    let (client, signal) = (s.client.clone(), signal.clone());
                    let source = ListQuery::default().api_source(s.is_admin());
                    async move {
                        let req = request::count_runners(&source, &cell.filter());
                        match client.count(&req, signal.as_ref()).await {
                            Err(ApiError::Aborted) => Err(ApiError::Aborted),
                            answer => Ok((i, cell, answer)),
                        }
                    }
                };
                let keep = |counted| {
                    counts.try_update(|c| c.push(counted));
                };
                if each(items, count, keep, run, failed).await {
                    run.try_set(Run::Done);
                }
            });
        }
    };
    let start = StoredValue::new_local(start);
    Effect::new(move |_| start.with_value(|s| s()));
    on_cleanup(move || cancel_run(control));

    let answer = move |i: usize, cell: Cell| {
        counts.with(|c| {
            c.iter()
                .find(|(j, x, _)| *j == i && *x == cell)
                .map(|(_, _, a)| a.clone())
        })
    };
    // The sum over the instances, once each has answered: runners of different
    // instances are different runners.
    let total = move |cell: Cell, n: usize| -> Option<String> {
        let answers: Vec<_> = (0..n).filter_map(|i| answer(i, cell)).collect();
        if answers.len() < n {
            return None;
        }
        let counted: Vec<Count> = answers.into_iter().filter_map(Result::ok).collect();
        let sum: Option<u64> = counted.iter().copied().sum();
        Some(match sum {
            Some(s) if counted.len() == n => group_thousands(s),
            Some(s) => format!("{} (not every instance answered)", group_thousands(s)),
            None => "over 10,000".into(),
        })
    };
    let n = sessions.len();
    let head = cells
        .iter()
        .map(|c| view! { <th scope="col">{row_label(c.part)}</th> })
        .collect_view();
    let body = sessions
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let label = s.label.clone();
            let row = cells
                .iter()
                .map(|cell| {
                    let (cell, label) = (*cell, label.clone());
                    let href = links::href(&links::on(&label, &links::runners(&cell.list())));
                    view! {
                        <td class="num" data-instance=label.clone() data-cell=cell.key()>
                            {move || match answer(i, cell) {
                                None => view! { <span class="muted" aria-label="Counting">"…"</span> }.into_any(),
                                Some(Ok(n)) => view! { <a href=href.clone()>{count_text(n)}</a> }.into_any(),
                                Some(Err(_)) => view! { <span class="error-inline">"⚠ not counted"</span> }.into_any(),
                            }}
                        </td>
                    }
                })
                .collect_view();
            let own = links::href(&links::on(&label, links::DASHBOARD));
            // Instances of several GitLab releases side by side: which runs which.
            let version = s
                .version
                .map_or_else(|| "not told".to_string(), |v| v.to_string());
            view! {
                <tr>
                    <th scope="row"><a href=own>{label.clone()}</a></th>
                    <td class="gitlab-version" data-instance=label.clone()>{version}</td>
                    {row}
                </tr>
            }
        })
        .collect_view();
    let totals = cells
        .iter()
        .map(|cell| {
            let cell = *cell;
            view! {
                <td class="num" data-cell=cell.key()>
                    {move || total(cell, n).unwrap_or_else(|| "…".into())}
                </td>
            }
        })
        .collect_view();
    // Each instance that failed, with GitLab's words (or the network's), once.
    let problems = {
        let sessions = sessions.clone();
        move || {
            sessions
                .iter()
                .enumerate()
                .filter_map(|(i, s)| {
                    let e = counts.with(|c| {
                        c.iter().find_map(|(j, _, a)| match a {
                            Err(e) if *j == i => Some(e.clone()),
                            _ => None,
                        })
                    })?;
                    Some(view! {
                        <div class="instance-failed" role="group" aria-label=format!("{} failed", s.label)>
                            <p class="error-title">
                                {format!("{} ({}) could not be counted: {}", s.label, s.gitlab_url, e.user_message())}
                            </p>
                        </div>
                    })
                })
                .collect_view()
        }
    };
    view! {
        <section class="dashboard-page" aria-labelledby="dashboard-title">
            <h1 id="dashboard-title">"Fleet dashboard: all instances"</h1>
            <p class="lead">"Each instance's runners by status, from its GitLab's own counts, and the sum over them."</p>
            <RunStatus
                run=run
                what=Signal::stored(format!("Counting the runners of {n} instances"))
                control=control
                failed=failed
                retry=Callback::new(move |_| start.with_value(|s| s()))
            />
            {move || match run.get() {
                Run::Cancelled { done } => Some(view! {
                    <div class="progress-block" role="status">
                        <p>{format!("Counting cancelled after {done} counts.")}</p>
                        <button type="button" class="secondary" on:click=move |_| start.with_value(|s| s())>"Count again"</button>
                    </div>
                }),
                _ => None,
            }}
            {problems}
            <div class="table-wrap">
                <table class="dashboard-counts all-instances">
                    <caption>"Runners by instance and status, as each GitLab counts them"</caption>
                    <thead><tr><th scope="col">"Instance"</th><th scope="col">"GitLab version"</th>{head}</tr></thead>
                    <tbody>
                        {body}
                        <tr class="total"><th scope="row">"All instances"</th><td></td>{totals}</tr>
                    </tbody>
                </table>
            </div>
            <p class="help">"GitLab's statuses overlap (a stale runner is also offline or never contacted), so no column is the sum of others. Each instance's own dashboard (its name above) has versions, tags and jobs."</p>
        </section>
    }
}
