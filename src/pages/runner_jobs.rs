//! `/runners/:id/jobs`: the jobs a runner processed. Status filter, order and page
//! live in the URL (see `jobs_query`), so Back and shared links work.

use leptos::either::Either;
use leptos::prelude::*;

use crate::api::client::abort_on_cleanup;
use crate::api::{request, JobStatus, RunnerJob, SortOrder};
use crate::components::download::ExportButtons;
use crate::components::error_notice::ErrorNotice;
use crate::components::loading::{Loading, Refreshing};
use crate::components::pager::{Pager, PagerInfo};
use crate::components::relative_time::RelativeTime;
use crate::components::runner_facts::machines_of;
use crate::gitlab_version::Feature;
use crate::jobs_query::JobsListQuery;
use crate::links;
use crate::navigation::use_navigation;
use crate::session::use_session;
use crate::time_text;

#[component]
pub fn RunnerJobsPage(id: Option<u64>) -> impl IntoView {
    let session = use_session();
    let is_admin = session.is_admin();
    let by_machine = session.has(Feature::JobsByMachine);
    let keyset = session.has(Feature::KeysetJobs);
    let gitlab_url = StoredValue::new(session.gitlab_url.clone());
    let client = session.client.clone();
    let router = use_navigation();
    let query_map = leptos_router::hooks::use_query_map();
    let query = Memo::new(move |_| JobsListQuery::from_lookup(|k| query_map.read().get(k)));
    let go = move |q: JobsListQuery| {
        if let Some(id) = id {
            router.navigate(&links::runner_jobs(id, &q.to_query_string()));
        }
    };

    let jobs = LocalResource::new({
        let client = client.clone();
        move || {
            let q = query.get();
            let client = client.clone();
            let signal = abort_on_cleanup();
            async move {
                let Some(id) = id else {
                    return Err(crate::api::ApiError::from_response(
                        404,
                        r#"{"message":"404 Runner Not Found"}"#,
                        None,
                    ));
                };
                let req = request::runner_jobs(
                    id,
                    &q.api_query(by_machine, keyset),
                    q.page_query(keyset),
                );
                client.page::<RunnerJob>(&req, signal.as_ref()).await
            }
        }
    });

    let refreshing = RwSignal::new(false);

    let title = match id {
        Some(id) => format!("Jobs of runner #{id}"),
        None => "Jobs".to_string(),
    };

    let on_status = move |ev: leptos::ev::Event| {
        let status = JobStatus::parse(&event_target_value(&ev));
        go(query.get_untracked().with_status(status));
    };

    let on_sort = move |ev: leptos::ev::Event| {
        let sort = SortOrder::parse(&event_target_value(&ev)).unwrap_or(SortOrder::Desc);
        go(query.get_untracked().with_sort(sort));
    };
    let status_value = move || query.read().status.map(|s| s.as_str()).unwrap_or("");
    let sort_value = move || query.read().sort.as_str();

    view! {
        <section class="jobs-page" aria-labelledby="jobs-title">
            <div class="page-head">
                <h1 id="jobs-title">{title}</h1>
                {id.map(|id| view! {
                    <a href=links::href(&links::runner(id))>{format!("Back to runner #{id}")}</a>
                })}
            </div>
            {(!is_admin).then(|| view! {
                <p class="note">
                    "You see only the jobs of projects where you are at least a reporter: GitLab leaves the others out of this list."
                </p>
            })}
            <div class="filters">
                <div class="filter">
                    <label for="job-status">"Status"</label>
                    <select id="job-status" on:change=on_status prop:value=status_value>
                        <option value="">"Any status"</option>
                        {JobStatus::ALL.iter().map(|s| view! {
                            <option value=s.as_str()>{status_label(s.as_str())}</option>
                        }).collect_view()}
                    </select>
                </div>
                {id.map(|id| view! {
                    <MachineFilter
                        id=id
                        chosen=Signal::derive(move || query.read().system_id.clone())
                        on_choose=Callback::new(move |sid| go(query.get_untracked().with_system_id(sid)))
                    />
                })}
                <div class="filter">
                    <label for="job-order">"Order"</label>
                    <select id="job-order" on:change=on_sort prop:value=sort_value>
                        <option value="desc">"Newest first (id descending)"</option>
                        <option value="asc">"Oldest first (id ascending)"</option>
                    </select>
                </div>
            </div>
            <Refreshing pending=refreshing />
            <Transition fallback=|| view! { <Loading text="Loading jobs…" /> } set_pending=refreshing>
            {move || Suspend::new(async move {
                let page = match jobs.await {
                    Ok(page) => page,
                    Err(error) => return view! { <ErrorNotice error=error retry=Callback::new(move |_| jobs.refetch()) /> }.into_any(),
                };
                                let q = query.get_untracked();
                                let filter = q.with_page(q.page).to_query_string().trim_start_matches('?').to_string();
                                let id = id.unwrap_or_default();
                                let machine = q.system_id.clone().filter(|_| by_machine);
                                let whose = match &machine {
                                    Some(sid) => format!("machine {sid}"),
                                    None => "this runner".to_string(),
                                };
                                let empty_text = match q.status {
                                    Some(s) => format!(
                                        "No {} jobs of {whose}{}. Choose \u{201c}Any status\u{201d} to see the others.",
                                        status_label(s.as_str()).to_lowercase(),
                                        if q.page > 1 { " on this page" } else { "" }
                                    ),
                                    None if q.page > 1 => "This page is past the end of the jobs: go back to the first page.".to_string(),
                                    None if machine.is_some() => format!("No jobs of {whose} (or none you may see)."),
                                    None => "This runner has no jobs yet (or none you may see). Jobs appear once it picks some up.".to_string(),
                                };
                                let empty = page.items.is_empty();
                                let caption = match &machine {
                                    Some(sid) => format!("Jobs of runner #{id} on machine {sid}"),
                                    None => format!("Jobs of runner #{id}"),
                                };
                                let pager = if q.by_cursor(keyset) {
                                    Either::Left(view! { <CursorPager id=id query=q.clone() next=page.next_cursor.clone() /> })
                                } else {
                                    let info = PagerInfo::of(&page);
                                    let href_q = q.clone();
                                    Either::Right(view! {
                                        <Pager
                                            info=info
                                            noun="jobs"
                                            href_for=move |p| links::href(&links::runner_jobs(id, &href_q.with_page(p).to_query_string()))
                                            on_per_page=Callback::new(move |n| go(q.with_per_page(n)))
                                        />
                                    })
                                };
                                let jobs = page.items;
                                let count = jobs.len();
                                let rows = {
                                    let jobs = jobs.clone();
                                    move || jobs.clone()
                                };
                                view! {
                                    {empty.then(|| view! { <p class="empty" role="status">{empty_text}</p> })}
                                    <JobsTable jobs=jobs caption=caption />
                                    {(count > 0).then(|| view! {
                                        <ExportButtons
                                            rows=rows
                                            what=format!("jobs-of-runner-{id}")
                                            filter=filter
                                            label=format!("the {count} jobs of this page")
                                            gitlab_url=gitlab_url.get_value()
                                        />
                                    })}
                                    {pager}
                                }.into_any()
            })}
            </Transition>
        </section>
    }
}

/// Keyset pages (GitLab 18.4+): GitLab links only the next one, so the way back
/// is the browser's Back, or the first page.
#[component]
fn CursorPager(id: u64, query: JobsListQuery, next: Option<String>) -> impl IntoView {
    let first = (query.page > 1).then(|| {
        links::href(&links::runner_jobs(
            id,
            &query.with_page(1).to_query_string(),
        ))
    });
    let next = next.map(|c| {
        links::href(&links::runner_jobs(
            id,
            &query.with_cursor(&c).to_query_string(),
        ))
    });
    view! {
        <nav class="pager" aria-label="Pages">
            {match first {
                Some(href) => view! { <a href=href>"← First page"</a> }.into_any(),
                None => view! { <span class="disabled" aria-disabled="true">"← First page"</span> }.into_any(),
            }}
            <span class="position" aria-live="polite">{format!("Page {}", query.page)}</span>
            {match next {
                Some(href) => view! { <a href=href rel="next">"Next →"</a> }.into_any(),
                None => view! { <span class="disabled" aria-disabled="true">"Next →"</span> }.into_any(),
            }}
        </nav>
    }
}

/// Filter by machine: a list of the runner's machines where GitLab lists them
/// (17.1+), a system id to type where it only filters (16.8 to 17.0), else what
/// it needs.
#[component]
fn MachineFilter(
    id: u64,
    #[prop(into)] chosen: Signal<Option<String>>,
    on_choose: Callback<Option<String>>,
) -> impl IntoView {
    let session = use_session();
    if !session.has(Feature::JobsByMachine) {
        return view! {
            <p class="note filter">{format!("Filtering by machine {}.", Feature::JobsByMachine.needs())}</p>
        }
        .into_any();
    }
    if !session.has(Feature::RunnerManagers) {
        return view! {
            <div class="filter">
                <label for="job-machine">"Machine (system ID)"</label>
                <input
                    id="job-machine"
                    type="text"
                    prop:value=move || chosen.get().unwrap_or_default()
                    on:change=move |ev| on_choose.run(Some(event_target_value(&ev)))
                />
            </div>
        }
        .into_any();
    }
    let client = session.client.clone();
    let machines = machines_of(client, id);
    let options = move || {
        let mut list: Vec<(String, String)> = machines
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|m| {
                let sid = m.system_id?;
                let label = match m.version {
                    Some(v) => format!("{sid} ({v})"),
                    None => sid.clone(),
                };
                Some((sid, label))
            })
            .collect();
        // A machine named in the URL stays choosable while the list loads (or if gone).
        if let Some(sid) = chosen.get().filter(|s| !list.iter().any(|(id, _)| id == s)) {
            list.push((sid.clone(), sid));
        }
        let current = chosen.get();
        list.into_iter()
            .map(|(sid, label)| {
                let selected = current.as_deref() == Some(sid.as_str());
                view! { <option value=sid selected=selected>{label}</option> }
            })
            .collect_view()
    };
    let failed = move || {
        machines.get().and_then(Result::err).map(
            |_| view! { <p class="muted" role="status">"The machines could not be listed."</p> },
        )
    };
    view! {
        <div class="filter">
            <label for="job-machine">"Machine"</label>
            <select
                id="job-machine"
                on:change=move |ev| on_choose.run(Some(event_target_value(&ev)))
                prop:value=move || chosen.get().unwrap_or_default()
            >
                <option value="">"Every machine"</option>
                {options}
            </select>
            {failed}
        </div>
    }
    .into_any()
}

/// "waiting_for_resource" -> "Waiting for resource".
fn status_label(status: &str) -> String {
    let text = status.replace('_', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Unknown".into(),
    }
}

#[component]
fn JobsTable(jobs: Vec<RunnerJob>, #[prop(into)] caption: String) -> impl IntoView {
    let rows = jobs
        .into_iter()
        .map(|job| {
            let id_cell = match job.web_url.clone() {
                Some(url) => Either::Left(view! {
                    <a href=url aria-label=format!("Job #{} in GitLab", job.id)>{format!("#{}", job.id)}</a>
                }),
                None => Either::Right(view! { <span>{format!("#{}", job.id)}</span> }),
            };
            let pipeline = job.pipeline.clone().map(|p| match p.web_url {
                Some(url) => Either::Left(view! {
                    <a href=url aria-label=format!("Pipeline #{} in GitLab", p.id)>{format!("#{}", p.id)}</a>
                }),
                None => Either::Right(view! { <span>{format!("#{}", p.id)}</span> }),
            });
            let project = job.project.clone().map(|p| {
                let text = if p.path_with_namespace.is_empty() { p.name.clone() } else { p.path_with_namespace.clone() };
                match p.web_url {
                    Some(url) => Either::Left(view! { <a href=url>{text}</a> }),
                    None => Either::Right(view! { <span>{text}</span> }),
                }
            });
            let user = job.user.clone().map(|u| if u.name.is_empty() { u.username } else { u.name });
            let duration = job.duration.map(time_text::duration);
            let status_class = format!("job-status job-{}", job.status);
            let git_ref = job.git_ref.clone().unwrap_or_default();
            view! {
                <tr data-job-id=job.id.to_string()>
                    <td class="num">{id_cell}</td>
                    <td><span class=status_class>{status_label(&job.status)}</span></td>
                    <td>{job.name.clone().unwrap_or_default()}</td>
                    <td>{job.stage.clone().unwrap_or_default()}</td>
                    <td class="mono">{git_ref}{job.tag.then_some(" (tag)")}</td>
                    <td class="num">{pipeline}</td>
                    <td class="project">{project}</td>
                    <td>{user}</td>
                    <td class="num">{duration.unwrap_or_else(|| "—".into())}</td>
                    <td><RelativeTime iso=job.created_at.clone() none="—" /></td>
                    <td><RelativeTime iso=job.started_at.clone() none="not started" /></td>
                    <td><RelativeTime iso=job.finished_at.clone() none="not finished" /></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="jobs">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"ID"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Stage"</th>
                        <th scope="col">"Ref"</th>
                        <th scope="col">"Pipeline"</th>
                        <th scope="col">"Project"</th>
                        <th scope="col">"User"</th>
                        <th scope="col">"Duration"</th>
                        <th scope="col">"Created"</th>
                        <th scope="col">"Started"</th>
                        <th scope="col">"Finished"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
