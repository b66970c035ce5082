//! `/dashboard`: the fleet at a glance, computed in the browser from REST. This
//! first part counts the runners by status and type with GitLab's own counts
//! (`X-Total` of one `per_page=1` request a cell), drawn as an SVG chart with
//! its numbers written out, and the same numbers in a table.

use leptos::prelude::*;

use crate::api::request::{
    self, JobsQuery, PageQuery, RunnerFilter, RunnerSource, SortOrder, StatusFilter,
};
use crate::api::{ApiError, Runner, RunnerDetails, RunnerJob, RunnerManager};
use crate::components::bar_chart::{Bar, BarChart};
use crate::components::progress_run::{
    cancel_run, each, load_every, new_run, Run, RunControl, RunStatus,
};
use crate::dashboard::{
    busiest, column_label, percentile, row_label, rows, tags_in_use, tally, version_rows, Cell,
    RunnerLoad, RunnerRead, COLUMNS,
};
use crate::gitlab_version::Feature;
use crate::links;
use crate::list_query::ListQuery;
use crate::runner_facts::RunnerFacts;
use crate::session::use_session;
use crate::status_summary::{count_text, group_thousands, share, Count, Part};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let session = use_session();
    let source = ListQuery::default().api_source(session.is_admin());
    let whose = match &source {
        RunnerSource::All => "every runner of this GitLab",
        _ => "the runners you can manage",
    };
    let client = session.client.clone();
    let counts = RwSignal::new(Vec::<(Cell, Count)>::new());
    let run = RwSignal::new(Run::Idle);
    let failed = RwSignal::new(None::<ApiError>);
    let control = RunControl::new();
    let count_source = source.clone();

    let start = move || {
        let signal = new_run(control);
        counts.set(vec![]);
        failed.set(None);
        let (client, source) = (client.clone(), count_source.clone());
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
    // Counted here from every loaded runner, where GitLab stops counting.
    let tallied = RwSignal::new(None::<Vec<(Cell, u64)>>);
    let tally_of = move |cell: Cell| {
        tallied.with(|t| {
            t.as_ref()
                .and_then(|t| t.iter().find(|(x, _)| *x == cell).map(|(_, n)| *n))
        })
    };
    let beyond = move || counts.with(|c| c.iter().any(|(_, n)| n.is_none()));
    let beyond_source = source.clone();

    view! {
        <section class="dashboard-page" aria-labelledby="dashboard-title">
            <h1 id="dashboard-title">"Fleet dashboard"</h1>
            <p class="lead">{format!("How {whose} are doing, from GitLab's own counts.")}</p>
            <RunStatus run=run what=Signal::stored("Counting runners".to_string()) control=control failed=failed retry=Callback::new(move |_| start.with_value(|s| s())) />
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
                                                {move || match (count_of(cell), tally_of(cell)) {
                                                    (None, _) => view! { <span class="muted" aria-label="Counting">"…"</span> }.into_any(),
                                                    (Some(None), Some(n)) => view! {
                                                        <a href=links::href(&links::runners(&cell.list()))>{format!("{} (counted here)", group_thousands(n))}</a>
                                                    }.into_any(),
                                                    (Some(n), _) => view! {
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
            <Show when=beyond>
                <CountLoaded source=beyond_source.clone() tallied=tallied />
            </Show>
            <NeverContacted count=Signal::derive(move || count_of(Cell { part: Some(Part::NeverContacted), runner_type: None }).flatten()) />
            <VersionsAndTags source=source.clone() />
            <JobSample source=source.clone() />
            <p>
                "Runners by version, counted by GitLab: " <a href=links::href(links::OUTDATED)>"Outdated runners"</a>
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

/// Above 10,000 GitLab sends no count: every runner is loaded and counted here.
#[component]
fn CountLoaded(source: RunnerSource, tallied: RwSignal<Option<Vec<(Cell, u64)>>>) -> impl IntoView {
    let client = use_session().client;
    let run = RwSignal::new(Run::Idle);
    let failed = RwSignal::new(None::<ApiError>);
    let control = RunControl::new();
    let loaded = RwSignal::new(0usize);
    let start = move || {
        let signal = new_run(control);
        failed.set(None);
        run.set(Run::Working { done: 0, of: None });
        let (client, source) = (client.clone(), source.clone());
        leptos::task::spawn_local(async move {
            let req = request::list_runners(
                &source,
                &Default::default(),
                PageQuery::new(1, PageQuery::MAX_PER_PAGE),
            );
            if let Some(all) =
                load_every::<Runner>(&client, &req, signal.as_ref(), run, failed).await
            {
                loaded.try_set(all.len());
                tallied.try_set(Some(tally(&all)));
                run.try_set(Run::Done);
            }
        });
    };
    let start = StoredValue::new_local(start);
    on_cleanup(move || cancel_run(control));
    view! {
        <section aria-labelledby="beyond-title">
            <h2 id="beyond-title">"Above 10,000"</h2>
            <p class="help">
                "GitLab stops counting above 10,000 runners. The console can load every runner and count them here; "
                "those numbers say \"counted here\" in the table above."
            </p>
            <Show when=move || !matches!(run.get(), Run::Working { .. })>
                <button type="button" on:click=move |_| start.with_value(|s| s())>"Count every runner here"</button>
            </Show>
            <RunStatus run=run what=Signal::stored("Loading runners".to_string()) control=control failed=failed retry=Callback::new(move |_| start.with_value(|s| s())) id="beyond-progress" />
            {move || match run.get() {
                Run::Done => Some(format!("Counted from {} loaded runners.", group_thousands(loaded.get() as u64))),
                Run::Cancelled { .. } => Some("Counting cancelled.".to_string()),
                _ => None,
            }.map(|t| view! { <p role="status">{t}</p> })}
        </section>
    }
}

/// GitLab's count of runners never contacted, and where to see or clean them up.
#[component]
fn NeverContacted(#[prop(into)] count: Signal<Count>) -> impl IntoView {
    let filter = RunnerFilter {
        status: Some(StatusFilter::NeverContacted),
        ..Default::default()
    };
    let list = ListQuery {
        filter,
        ..Default::default()
    };
    let cleanup = crate::cleanup::Criteria {
        status: Some(StatusFilter::NeverContacted),
        ..Default::default()
    };
    view! {
        <section aria-labelledby="never-title">
            <h2 id="never-title">"Runners never contacted"</h2>
            <p>
                {move || format!("{} runners have never asked GitLab for a job: registered or created, but never started. ", count_text(count.get()))}
                <a href=links::href(&links::runners(&list))>"See them"</a>
                " · "
                <a href=links::href(&links::cleanup(&cleanup))>"Clean them up"</a>
            </p>
        </section>
    }
}

/// Every runner's details (and machines on 17.1+), read on request: runners and
/// machines by version against the server, and the tags in use.
#[component]
fn VersionsAndTags(source: RunnerSource) -> impl IntoView {
    let session = use_session();
    let client = session.client.clone();
    let server = session.version;
    let with_machines = session.has(Feature::RunnerManagers);
    let read = RwSignal::new(Vec::<RunnerRead>::new());
    let run = RwSignal::new(Run::Idle);
    let phase = RwSignal::new("Loading runners");
    let failed = RwSignal::new(None::<ApiError>);
    let control = RunControl::new();
    let start = move || {
        let signal = new_run(control);
        read.set(vec![]);
        failed.set(None);
        phase.set("Loading runners");
        run.set(Run::Working { done: 0, of: None });
        let (client, source) = (client.clone(), source.clone());
        leptos::task::spawn_local(async move {
            let req = request::list_runners(
                &source,
                &Default::default(),
                PageQuery::new(1, PageQuery::MAX_PER_PAGE),
            );
            let Some(all) = load_every::<Runner>(&client, &req, signal.as_ref(), run, failed).await
            else {
                return;
            };
            phase.try_set("Reading each runner's details");
            let one = |r: Runner| {
                let (client, signal) = (client.clone(), signal.clone());
                async move {
                    let details = client
                        .json::<RunnerDetails>(
                            &request::get_runner_without_projects(r.id),
                            signal.as_ref(),
                        )
                        .await;
                    let details = match details {
                        Ok(d) => d,
                        // Deleted meanwhile: nothing to count.
                        Err(e) if e.is_not_found() => return Ok(None),
                        Err(e) => return Err(e),
                    };
                    let machines = if with_machines {
                        client
                            .json::<Vec<RunnerManager>>(
                                &request::runner_managers(r.id),
                                signal.as_ref(),
                            )
                            .await?
                            .into_iter()
                            .map(|m| m.version.filter(|v| !v.trim().is_empty()))
                            .collect()
                    } else {
                        vec![]
                    };
                    Ok(Some(RunnerRead {
                        id: r.id,
                        version: RunnerFacts::from_details(&details).version,
                        tags: details.tag_list,
                        machines,
                    }))
                }
            };
            let keep = |r: Option<RunnerRead>| {
                if let Some(r) = r {
                    read.try_update(|all| all.push(r));
                }
            };
            if each(all, one, keep, run, failed).await {
                run.try_set(Run::Done);
            }
        });
    };
    let start = StoredValue::new_local(start);
    on_cleanup(move || cancel_run(control));
    let versions = Memo::new(move |_| read.with(|r| version_rows(r)));
    let tags = Memo::new(move |_| read.with(|r| tags_in_use(r.iter().map(|x| x.tags.as_slice()))));
    let requests = if with_machines {
        "two requests"
    } else {
        "one request"
    };
    view! {
        <section aria-labelledby="versions-title">
            <h2 id="versions-title">"Versions and tags"</h2>
            <p class="help">
                {format!("GitLab's lists carry neither versions nor tags, so these come from each runner's details ({requests} a runner).")}
                {(!with_machines).then(|| format!(" Machines by version {}.", Feature::RunnerManagers.needs()))}
            </p>
            <Show when=move || !matches!(run.get(), Run::Working { .. })>
                <button type="button" on:click=move |_| start.with_value(|s| s())>"Read the version and tags of every runner"</button>
            </Show>
            <RunStatus run=run what=Signal::derive(move || phase.get().to_string()) control=control failed=failed retry=Callback::new(move |_| start.with_value(|s| s())) id="versions-progress" />
            {move || matches!(run.get(), Run::Cancelled { .. }).then(|| view! {
                <p role="status">{format!("Reading cancelled; the tables count the {} runners read.", read.read().len())}</p>
            })}
            <Show when=move || !read.read().is_empty()>
                {move || {
                    let (rows, runners_unknown, machines_unknown) = versions.get();
                    let bars = rows.iter().map(|r| Bar { label: r.group.label(), value: r.runners as f64, text: format!("{} runners", r.runners) }).collect();
                    let behind = server.map(|s| rows.iter().filter(|r| r.group.is_behind(s)).map(|r| r.runners).sum::<usize>());
                    view! {
                        <h3>"Runners and machines by version"</h3>
                        {behind.zip(server).map(|(n, s)| view! { <p class="version-behind">{format!("{n} of {} runners are behind GitLab {s}.", read.read().len())}</p> })}
                        <BarChart title="Runners by version".to_string() bars=bars />
                        <div class="table-wrap">
                            <table class="dashboard-versions">
                                <caption>"Runners (by the version of their last contact) and machines, by version"</caption>
                                <thead><tr>
                                    <th scope="col">"Version"</th>
                                    <th scope="col">"Runners"</th>
                                    {with_machines.then(|| view! { <th scope="col">"Machines"</th> })}
                                    <th scope="col">"Against the server"</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| {
                                        let behind = server.is_some_and(|s| r.group.is_behind(s));
                                        view! {
                                            <tr data-version=r.group.label()>
                                                <th scope="row">{r.group.label()}</th>
                                                <td class="num">{r.runners}</td>
                                                {with_machines.then(|| view! { <td class="num">{r.machines}</td> })}
                                                <td>{if behind { "⚠ " } else { "" }}{server.map(|s| r.group.behind(s)).unwrap_or_default()}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                    <tr data-version="unknown">
                                        <th scope="row">"Unknown"</th>
                                        <td class="num">{runners_unknown}</td>
                                        {with_machines.then(|| view! { <td class="num">{machines_unknown}</td> })}
                                        <td>"Never reported a version"</td>
                                    </tr>
                                </tbody>
                            </table>
                        </div>
                    }
                }}
                {move || {
                    let tags = tags.get();
                    let bars = tags.iter().take(15).map(|(t, n)| Bar { label: t.clone(), value: *n as f64, text: format!("{n} runners") }).collect();
                    view! {
                        <h3>"Tags in use"</h3>
                        {if tags.is_empty() {
                            view! { <p class="empty">"No runner has a tag."</p> }.into_any()
                        } else {
                            view! {
                                <BarChart title="The 15 most used tags".to_string() bars=bars />
                                <div class="table-wrap">
                                    <table class="dashboard-tags">
                                        <caption>"Tags and how many runners carry them"</caption>
                                        <thead><tr><th scope="col">"Tag"</th><th scope="col">"Runners"</th></tr></thead>
                                        <tbody>
                                            {tags.into_iter().map(|(t, n)| {
                                                let list = ListQuery { filter: RunnerFilter { tag_list: vec![t.clone()], ..Default::default() }, ..Default::default() };
                                                view! {
                                                    <tr data-tag=t.clone()>
                                                        <th scope="row">{list.filter.tag_list[0].clone()}</th>
                                                        <td class="num"><a href=links::href(&links::runners(&list))>{n}</a></td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                    }
                }}
            </Show>
        </section>
    }
}

/// The last jobs of each online runner, sampled on request: the busiest
/// runners, queue time and failure rates.
#[component]
fn JobSample(source: RunnerSource) -> impl IntoView {
    const SHOWN: usize = 50;
    let client = use_session().client;
    let per_runner = RwSignal::new("20".to_string());
    let loads = RwSignal::new(Vec::<RunnerLoad>::new());
    let queued = RwSignal::new(Vec::<f64>::new());
    let online = RwSignal::new(0usize);
    let run = RwSignal::new(Run::Idle);
    let phase = RwSignal::new("Loading online runners");
    let failed = RwSignal::new(None::<ApiError>);
    let control = RunControl::new();
    let start = move || {
        let n: u32 = per_runner
            .get_untracked()
            .trim()
            .parse()
            .unwrap_or(20)
            .clamp(1, PageQuery::MAX_PER_PAGE);
        per_runner.set(n.to_string());
        let signal = new_run(control);
        loads.set(vec![]);
        queued.set(vec![]);
        failed.set(None);
        phase.set("Loading online runners");
        run.set(Run::Working { done: 0, of: None });
        let (client, source) = (client.clone(), source.clone());
        leptos::task::spawn_local(async move {
            let filter = RunnerFilter {
                status: Some(StatusFilter::Online),
                ..Default::default()
            };
            let req =
                request::list_runners(&source, &filter, PageQuery::new(1, PageQuery::MAX_PER_PAGE));
            let Some(all) = load_every::<Runner>(&client, &req, signal.as_ref(), run, failed).await
            else {
                return;
            };
            online.try_set(all.len());
            phase.try_set("Reading the last jobs of each online runner");
            let newest_first = JobsQuery {
                sort: Some(SortOrder::Desc),
                ..Default::default()
            };
            let one = |r: Runner| {
                let (client, signal, query) =
                    (client.clone(), signal.clone(), newest_first.clone());
                async move {
                    let req = request::runner_jobs(r.id, &query, PageQuery::new(1, n));
                    match client.json::<Vec<RunnerJob>>(&req, signal.as_ref()).await {
                        Ok(jobs) => Ok(Some((RunnerLoad::of(r.id, r.display_name(), &jobs), jobs))),
                        Err(e) if e.is_not_found() => Ok(None),
                        Err(e) => Err(e),
                    }
                }
            };
            let keep = |sampled: Option<(RunnerLoad, Vec<RunnerJob>)>| {
                if let Some((load, jobs)) = sampled {
                    queued.try_update(|q| q.extend(jobs.iter().filter_map(|j| j.queued_duration)));
                    loads.try_update(|l| l.push(load));
                }
            };
            if each(all, one, keep, run, failed).await {
                run.try_set(Run::Done);
            }
        });
    };
    let start = StoredValue::new_local(start);
    on_cleanup(move || cancel_run(control));
    let ranked = Memo::new(move |_| {
        let mut l = loads.get();
        busiest(&mut l);
        l
    });
    let stats = Memo::new(move |_| {
        let mut q = queued.get();
        (q.len(), percentile(&mut q, 0.5), percentile(&mut q, 0.95))
    });
    let rate_text = |r: Option<f64>| {
        r.map_or("no finished jobs".to_string(), |r| {
            format!("{:.0}%", r * 100.0)
        })
    };
    view! {
        <section aria-labelledby="jobs-title">
            <h2 id="jobs-title">"Jobs of online runners"</h2>
            <form class="sample-form" on:submit=move |ev| { ev.prevent_default(); start.with_value(|s| s()); }>
                <div class="field">
                    <label for="sample-size">"Jobs per runner"</label>
                    <input id="sample-size" type="number" min="1" max="100" bind:value=per_runner aria-describedby="sample-size-help" />
                    <p class="help" id="sample-size-help">"The newest jobs of each online runner, 1 to 100."</p>
                </div>
                <button type="submit" disabled=move || matches!(run.get(), Run::Working { .. })>"Sample jobs"</button>
            </form>
            <RunStatus run=run what=Signal::derive(move || phase.get().to_string()) control=control failed=failed retry=Callback::new(move |_| start.with_value(|s| s())) id="jobs-progress" />
            {move || matches!(run.get(), Run::Cancelled { .. }).then(|| view! {
                <p role="status">{format!("Sampling cancelled; what follows counts the {} runners read.", loads.read().len())}</p>
            })}
            <Show when=move || !loads.read().is_empty()>
                {move || {
                    let (jobs, median, p95) = stats.get();
                    let secs = |s: Option<f64>| s.map_or("—".to_string(), crate::time_text::duration);
                    view! {
                        <dl class="runner-fields job-stats">
                            <dt>"Sampled"</dt>
                            <dd>{format!("{} jobs of {} online runners", loads.read().iter().map(|l| l.jobs).sum::<usize>(), online.get())}</dd>
                            <dt>"Queue time, median"</dt>
                            <dd data-stat="queued-median">{secs(median)}</dd>
                            <dt>"Queue time, 95th percentile"</dt>
                            <dd data-stat="queued-p95">{secs(p95)}</dd>
                            <dt>"Jobs with a queue time"</dt>
                            <dd>{jobs}</dd>
                        </dl>
                    }
                }}
                {move || {
                    let ranked = ranked.get();
                    let bars = ranked.iter().take(10).map(|l| Bar {
                        label: l.name.clone(),
                        value: l.jobs as f64,
                        text: format!("{} jobs, {}", l.jobs, crate::time_text::duration(l.seconds)),
                    }).collect();
                    let more = ranked.len().saturating_sub(SHOWN);
                    view! {
                        <h3>"Busiest runners"</h3>
                        <BarChart title="The 10 busiest runners by jobs".to_string() bars=bars />
                        <div class="table-wrap">
                            <table class="dashboard-load">
                                <caption>{format!("Runners by jobs in the sample, busiest first{}", if more > 0 { format!(" (the {SHOWN} busiest; {more} more)") } else { String::new() })}</caption>
                                <thead><tr>
                                    <th scope="col">"Runner"</th>
                                    <th scope="col">"Jobs"</th>
                                    <th scope="col">"Time running"</th>
                                    <th scope="col">"Failed"</th>
                                    <th scope="col">"Failure rate"</th>
                                </tr></thead>
                                <tbody>
                                    {ranked.into_iter().take(SHOWN).map(|l| view! {
                                        <tr data-runner-id=l.id.to_string()>
                                            <th scope="row"><a href=links::href(&links::runner(l.id))>{l.name.clone()}</a></th>
                                            <td class="num">{l.jobs}</td>
                                            <td class="num">{crate::time_text::duration(l.seconds)}</td>
                                            <td class="num">{format!("{} of {}", l.failed, l.finished)}</td>
                                            <td class="num">{rate_text(l.failure_rate())}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <p class="help">"Failure rate: failed of the jobs that succeeded or failed; canceled and unfinished jobs are left out."</p>
                    }
                }}
            </Show>
        </section>
    }
}
