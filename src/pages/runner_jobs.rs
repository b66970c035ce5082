//! `/runners/:id/jobs`: the jobs a runner processed. Status filter, order and page
//! live in the URL (see `jobs_query`), so Back and shared links work.

use leptos::either::Either;
use leptos::prelude::*;

use crate::api::client::abort_on_cleanup;
use crate::api::{request, JobStatus, RunnerJob, SortOrder};
use crate::components::error_notice::ErrorNotice;
use crate::components::loading::{Loading, Refreshing};
use crate::components::pager::{Pager, PagerInfo};
use crate::components::relative_time::RelativeTime;
use crate::jobs_query::JobsListQuery;
use crate::links;
use crate::navigation::use_navigation;
use crate::session::use_session;
use crate::time_text;

#[component]
pub fn RunnerJobsPage(id: Option<u64>) -> impl IntoView {
    let session = use_session();
    let is_admin = session.is_admin();
    let client = session.client.clone();
    let router = use_navigation();
    let query_map = leptos_router::hooks::use_query_map();
    let query = Memo::new(move |_| JobsListQuery::from_lookup(|k| query_map.read().get(k)));
    let go = move |q: JobsListQuery| {
        if let Some(id) = id {
            router.navigate(&links::runner_jobs(id, &q.to_query_string()));
        }
    };

    let jobs = LocalResource::new(move || {
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
            let req = request::runner_jobs(id, &q.api_query(), q.page_query());
            client.page::<RunnerJob>(&req, signal.as_ref()).await
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
                                let id = id.unwrap_or_default();
                                let info = PagerInfo::of(&page);
                                let empty_text = match q.status {
                                    Some(s) => format!(
                                        "No {} jobs of this runner{}. Choose \u{201c}Any status\u{201d} to see the others.",
                                        status_label(s.as_str()).to_lowercase(),
                                        if q.page > 1 { " on this page" } else { "" }
                                    ),
                                    None if q.page > 1 => "This page is past the end of the runner's jobs: go back to the first page.".to_string(),
                                    None => "This runner has no jobs yet (or none you may see). Jobs appear once it picks some up.".to_string(),
                                };
                                let empty = page.items.is_empty();
                                let href_q = q.clone();
                                view! {
                                    {empty.then(|| view! { <p class="empty" role="status">{empty_text}</p> })}
                                    <JobsTable jobs=page.items caption=format!("Jobs of runner #{id}") />
                                    <Pager
                                        info=info
                                        noun="jobs"
                                        href_for=move |p| links::href(&links::runner_jobs(id, &href_q.with_page(p).to_query_string()))
                                        on_per_page=Callback::new(move |n| go(q.with_per_page(n)))
                                    />
                                }.into_any()
            })}
            </Transition>
        </section>
    }
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
