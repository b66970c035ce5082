//! `/runners/outdated`: the runners grouped by version, and how far each group
//! is behind the server; on `/i/all/runners/outdated`, each signed-in instance
//! against its own GitLab, side by side. GitLab 16.6+ counts each group itself
//! (`version_prefix`, one small request a group); older GitLab has no such
//! filter, so the versions are read from each runner's details, on request,
//! with progress and cancel.

use leptos::prelude::*;

use crate::api::request::{self, PageQuery, RunnerFilter, RunnerSource};
use crate::api::{ApiError, Client, Runner};
use crate::components::progress_run::{
    cancel_run, each, load_every, new_run, Run, RunControl, RunStatus, BAR_ID,
};
use crate::gitlab_version::{Feature, GitLabVersion};
use crate::links;
use crate::list_query::ListQuery;
use crate::outdated::{group_versions, groups_to_ask, VersionGroup};
use crate::runner_facts::RunnerFacts;
use crate::session::{use_session, Session};

#[component]
pub fn OutdatedPage(
    /// Each of these instances in a section of its own, instead of the pages' one.
    #[prop(optional)]
    across: Option<Vec<Session>>,
) -> impl IntoView {
    let Some(sessions) = across else {
        let session = use_session();
        let whose = match ListQuery::default().api_source(session.is_admin()) {
            RunnerSource::All => "every runner of this GitLab",
            _ => "the runners you can manage",
        };
        return view! {
            <section class="outdated-page" aria-labelledby="outdated-title">
                <h1 id="outdated-title">"Outdated runners"</h1>
                <p class="lead">{format!("The versions of {whose}, by group, against GitLab's own.")}</p>
                <Versions session=session of=None />
            </section>
        }
        .into_any();
    };
    let sections = sessions
        .into_iter()
        .enumerate()
        .map(|(index, session)| {
            let title = format!("outdated-of-{index}");
            let server = session
                .version
                .map_or_else(|| "version not told".into(), |v| format!("GitLab {v}"));
            let heading = format!("{} ({server})", session.label);
            let (label, labelled_by) = (session.label.clone(), title.clone());
            let of = Some(Of {
                index,
                label: label.clone(),
            });
            view! {
                <section class="instance-versions" data-instance=label aria-labelledby=labelled_by>
                    <h2 id=title>{heading}</h2>
                    <Versions session=session of=of />
                </section>
            }
        })
        .collect_view();
    view! {
        <section class="outdated-page" aria-labelledby="outdated-title">
            <h1 id="outdated-title">"Outdated runners: all instances"</h1>
            <p class="lead">"The versions of each instance's runners, by group, against that GitLab's own."</p>
            {sections}
        </section>
    }
    .into_any()
}

/// Which instance a section counts, on the all-instances page: its place
/// (for the progress bar's id) and label (for its links and words).
#[derive(Clone)]
struct Of {
    index: usize,
    label: String,
}

/// `path` as a link: on the section's own instance, or on the pages' one.
fn href_on(of: &Option<Of>, path: &str) -> String {
    match of {
        Some(of) => links::href(&links::on(&of.label, path)),
        None => links::href(path),
    }
}

/// The progress bar's id and the words before its count: a bar an instance.
fn run_names(of: &Option<Of>, what: &str) -> (String, String) {
    match of {
        Some(of) => (
            format!("outdated-progress-{}", of.index),
            format!("{}: {what}", of.label),
        ),
        None => (BAR_ID.into(), what.to_string()),
    }
}

/// One instance's runners by version, counted the way its GitLab allows.
#[component]
fn Versions(session: Session, of: Option<Of>) -> impl IntoView {
    let source = ListQuery::default().api_source(session.is_admin());
    let client = session.client.clone();
    match session.version {
        None => view! {
            <p class="note">
                "This GitLab does not say its version (GET /version did not answer), so the console "
                "cannot tell which runners are behind it."
            </p>
        }
        .into_any(),
        Some(server) if session.has(Feature::VersionPrefix) => {
            view! { <CountedByGitLab server=server source=source client=client of=of /> }.into_any()
        }
        Some(server) => {
            view! { <ReadOneByOne server=server source=source client=client of=of /> }.into_any()
        }
    }
}

/// One group's count: `None` is more than GitLab counts (10,000).
type Counted = (VersionGroup, Option<u64>);

/// GitLab 16.6+: one `version_prefix` request a group, `per_page=1`, reading `X-Total`.
#[component]
fn CountedByGitLab(
    server: GitLabVersion,
    source: RunnerSource,
    client: Client,
    of: Option<Of>,
) -> impl IntoView {
    let (bar, what) = run_names(&of, "Counting runners by version");
    // Copy, for the rows made again as counts arrive.
    let of = StoredValue::new(of);
    let counts = RwSignal::new(Vec::<Counted>::new());
    let run = RwSignal::new(Run::Idle);
    let failed = RwSignal::new(None::<ApiError>);
    let abort = RunControl::new();
    let groups = groups_to_ask(server);

    let start = {
        let source = source.clone();
        move || {
            let signal = new_run(abort);
            counts.set(vec![]);
            failed.set(None);
            let (client, source, groups) = (client.clone(), source.clone(), groups.clone());
            leptos::task::spawn_local(async move {
                let count = |g: VersionGroup| {
                    let (client, source, signal) = (client.clone(), source.clone(), signal.clone());
                    async move {
                        let filter = RunnerFilter {
                            version_prefix: Some(g.prefix()),
                            ..Default::default()
                        };
                        let req = request::count_runners(&source, &filter);
                        Ok((g, client.count(&req, signal.as_ref()).await?))
                    }
                };
                let keep = |counted| {
                    counts.try_update(|c| c.push(counted));
                };
                if each(groups, count, keep, run, failed).await {
                    run.try_set(Run::Done);
                }
            });
        }
    };
    let start = StoredValue::new_local(start);
    Effect::new(move |_| start.with_value(|s| s()));
    on_cleanup(move || cancel_run(abort));

    let rows = Memo::new(move |_| {
        let mut list: Vec<Counted> = counts
            .get()
            .into_iter()
            .filter(|(_, n)| *n != Some(0))
            .collect();
        list.sort_by_key(|(g, _)| std::cmp::Reverse(*g));
        list
    });
    view! {
        <RunStatus run=run what=Signal::stored(what) control=abort failed=failed retry=Callback::new(move |_| start.with_value(|s| s())) id=bar />
        {move || match run.get() {
            Run::Cancelled { done } => Some(view! {
                <div class="progress-block" role="status">
                    <p>{format!("Counting cancelled after {done} of {} version groups; the table shows those.", groups_to_ask(server).len())}</p>
                    <button type="button" class="secondary" on:click=move |_| start.with_value(|s| s())>"Count again"</button>
                </div>
            }),
            _ => None,
        }}
        <p role="status">
            {move || (run.get() == Run::Done).then(|| {
                let n = groups_to_ask(server).len();
                if rows.with(Vec::is_empty) {
                    format!("Counted {n} version groups: no runner has reported a version yet.")
                } else {
                    format!("Counted {n} version groups.")
                }
            })}
        </p>
        <Show when=move || !rows.with(Vec::is_empty)>
            <div class="table-wrap">
                <table class="outdated">
                    <caption>
                        {format!("Runners by version, against GitLab {server}. GitLab counts a runner in the group of each of its machines.")}
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">"Version"</th>
                            <th scope="col">"Runners"</th>
                            <th scope="col">"Against the server"</th>
                            <th scope="col"><span class="visually-hidden">"List"</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || rows.get() key=|(g, n)| (*g, *n) let((group, count))>
                            <GroupRow server=server group=group count=count of=of.get_value() />
                        </For>
                    </tbody>
                </table>
            </div>
        </Show>
    }
}

#[component]
fn GroupRow(
    server: GitLabVersion,
    group: VersionGroup,
    count: Option<u64>,
    of: Option<Of>,
) -> impl IntoView {
    let list = ListQuery {
        filter: RunnerFilter {
            version_prefix: Some(group.prefix()),
            ..Default::default()
        },
        ..Default::default()
    };
    let behind = group.is_behind(server);
    view! {
        <tr data-version=group.label() class:behind=behind>
            <th scope="row">{group.label()}</th>
            <td class="num">{count.map(|n| n.to_string()).unwrap_or_else(|| "more than 10,000".into())}</td>
            <td>{if behind { "⚠ " } else { "" }}{group.behind(server)}</td>
            <td>
                <a href=href_on(&of, &links::runners(&list))>
                    "List them"
                    <span class="visually-hidden">{format!(" (the runners on {})", group.label())}</span>
                </a>
            </td>
        </tr>
    }
}

/// Before 16.6: every runner's version from its details, read on request.
#[component]
fn ReadOneByOne(
    server: GitLabVersion,
    source: RunnerSource,
    client: Client,
    of: Option<Of>,
) -> impl IntoView {
    let (bar, prefix) = run_names(&of, "");
    let of = StoredValue::new(of);
    let run = RwSignal::new(Run::Idle);
    let phase = RwSignal::new("Loading the runners");
    let read = RwSignal::new(Vec::<(u64, Option<String>)>::new());
    let failed = RwSignal::new(None::<ApiError>);
    let abort = RunControl::new();
    on_cleanup(move || cancel_run(abort));

    let start = move || {
        let signal = new_run(abort);
        read.set(vec![]);
        failed.set(None);
        phase.set("Loading the runners");
        run.set(Run::Working { done: 0, of: None });
        let (client, source) = (client.clone(), source.clone());
        leptos::task::spawn_local(async move {
            let list_req = request::list_runners(
                &source,
                &RunnerFilter::default(),
                PageQuery::new(1, PageQuery::MAX_PER_PAGE),
            );
            let Some(runners) =
                load_every::<Runner>(&client, &list_req, signal.as_ref(), run, failed).await
            else {
                return;
            };
            phase.try_set("Reading each runner's version");
            let version_of = |r: Runner| {
                let (client, signal) = (client.clone(), signal.clone());
                async move {
                    let req = request::get_runner_without_projects(r.id);
                    match client
                        .json::<crate::api::RunnerDetails>(&req, signal.as_ref())
                        .await
                    {
                        Ok(d) => Ok(Some((r.id, RunnerFacts::from_details(&d).version))),
                        // Deleted meanwhile: nothing to count.
                        Err(e) if e.is_not_found() => Ok(None),
                        Err(e) => Err(e),
                    }
                }
            };
            let keep = |v: Option<(u64, Option<String>)>| {
                if let Some(v) = v {
                    read.try_update(|r| r.push(v));
                }
            };
            if each(runners, version_of, keep, run, failed).await {
                run.try_set(Run::Done);
            }
        });
    };
    let start = StoredValue::new_local(start);

    let grouped = Memo::new(move |_| {
        read.with(|r| group_versions(r.iter().map(|(id, v)| (*id, v.as_deref()))))
    });
    view! {
        <p class="note">
            {format!(
                "Counting runners by version {}: on this GitLab (version {server}) the console reads each runner's version from its details, one request a runner.",
                Feature::VersionPrefix.needs()
            )}
        </p>
        <Show when=move || !matches!(run.get(), Run::Working { .. })>
            <button type="button" on:click=move |_| start.with_value(|s| s())>"Read the version of every runner"</button>
        </Show>
        <RunStatus run=run what=Signal::derive(move || format!("{prefix}{}", phase.get())) control=abort failed=failed retry=Callback::new(move |_| start.with_value(|s| s())) id=bar />
        {move || match run.get() {
            Run::Cancelled { done } => Some(view! {
                <p role="status">{format!("Reading cancelled after {done} runners; the groups below count those.")}</p>
            }),
            _ => None,
        }}
        <Show when=move || !read.with(Vec::is_empty)>
            <div class="table-wrap">
                <table class="outdated">
                    <caption>{format!("Runners by version, against GitLab {server}")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Version"</th>
                            <th scope="col">"Runners"</th>
                            <th scope="col">"Against the server"</th>
                            <th scope="col">"Which"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let (groups, unknown) = grouped.get();
                            let rows = groups.into_iter().map(|(g, ids)| {
                                let behind = g.is_behind(server);
                                view! {
                                    <tr data-version=g.label() class:behind=behind>
                                        <th scope="row">{g.label()}</th>
                                        <td class="num">{ids.len()}</td>
                                        <td>{if behind { "⚠ " } else { "" }}{g.behind(server)}</td>
                                        <td><RunnerLinks ids=ids of=of.get_value() /></td>
                                    </tr>
                                }
                            }).collect_view();
                            let unknown = (!unknown.is_empty()).then(|| view! {
                                <tr data-version="unknown">
                                    <th scope="row">"Unknown"</th>
                                    <td class="num">{unknown.len()}</td>
                                    <td>"Never reported a version"</td>
                                    <td><RunnerLinks ids=unknown of=of.get_value() /></td>
                                </tr>
                            });
                            view! { {rows} {unknown} }
                        }}
                    </tbody>
                </table>
            </div>
        </Show>
    }
}

/// The first runners of a group as links, and how many more.
#[component]
fn RunnerLinks(ids: Vec<u64>, of: Option<Of>) -> impl IntoView {
    const SHOWN: usize = 20;
    let more = ids.len().saturating_sub(SHOWN);
    view! {
        <ul class="runner-links-inline">
            {ids.into_iter().take(SHOWN).map(|id| view! {
                <li><a href=href_on(&of, &links::runner(id))>{format!("#{id}")}</a></li>
            }).collect_view()}
            {(more > 0).then(|| view! { <li class="muted">{format!("and {more} more")}</li> })}
        </ul>
    }
}
