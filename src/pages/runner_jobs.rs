//! `/runners/:id/jobs`: the jobs a runner processed. Status filter, order and page
//! live in the URL (see `jobs_query`), so Back and shared links work.

use crate::prelude::*;

use crate::api::{request, JobStatus, Page, RunnerJob, SortOrder};
use crate::components::load::load;
use crate::components::pager::{pager, PagerInfo};
use crate::components::relative_time::relative_time;
use crate::dom::{el, label_for, option, value_of, El};
use crate::jobs_query::JobsListQuery;
use crate::links;
use crate::router::use_router;
use crate::session::use_session;
use crate::time_text;

pub fn runner_jobs_page(id: Option<u64>) -> El {
    let session = use_session();
    let is_admin = session.is_admin();
    let client = session.client.clone();
    let router = use_router();
    let query_map = router.query();
    let query = Memo::new(move |_| query_map.with(|m| JobsListQuery::from_lookup(|k| m.get(k))));
    let go = move |q: JobsListQuery| {
        if let Some(id) = id {
            router.navigate(&links::runner_jobs(id, &q.to_query_string()));
        }
    };

    let jobs = load(move |signal| {
        let q = query.get();
        let client = client.clone();
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

    let title = match id {
        Some(id) => format!("Jobs of runner #{id}"),
        None => "Jobs".to_string(),
    };

    let on_status = move |ev: web_sys::Event| {
        let status = JobStatus::parse(&value_of(&ev));
        go(query.get_untracked().with_status(status));
    };

    let on_sort = move |ev: web_sys::Event| {
        let sort = SortOrder::parse(&value_of(&ev)).unwrap_or(SortOrder::Desc);
        go(query.get_untracked().with_sort(sort));
    };
    let status_value = move || {
        let status = query.with(|q| q.status.map(|s| s.as_str()).unwrap_or(""));
        status.into()
    };
    let sort_value = move || query.with(|q| q.sort.as_str().into());

    // The page's jobs: the "none" line, the table and the pager, side by side.
    let shown = move |page: Page<RunnerJob>| {
        let q = query.get_untracked();
        let id = id.unwrap_or_default();
        let info = PagerInfo::of(&page);
        let empty_text = match q.status {
            Some(s) => format!(
                "No {} jobs of this runner{}. Choose \u{201c}Any status\u{201d} to see the others.",
                status_label(s.as_str()).to_ascii_lowercase(),
                if q.page > 1 { " on this page" } else { "" }
            ),
            None if q.page > 1 => {
                "This page is past the end of the runner's jobs: go back to the first page."
                    .to_string()
            }
            None => "This runner has no jobs yet (or none you may see). Jobs appear once it picks some up.".to_string(),
        };
        let empty = page.items.is_empty().then(|| {
            el("p")
                .class("empty")
                .attr("role", "status")
                .text(&empty_text)
        });
        let href_q = q.clone();
        empty
            .into_iter()
            .chain([
                jobs_table(&page.items, &format!("Jobs of runner #{id}")),
                pager(
                    info,
                    "jobs",
                    |p| {
                        links::href(&links::runner_jobs(
                            id,
                            &href_q.with_page(p).to_query_string(),
                        ))
                    },
                    move |n| go(q.with_per_page(n)),
                ),
            ])
            .collect::<Vec<El>>()
    };

    let statuses = JobStatus::ALL
        .iter()
        .map(|s| option(s.as_str(), &status_label(s.as_str())));

    el("section")
        .class("jobs-page")
        .attr("aria-labelledby", "jobs-title")
        .child(
            el("div")
                .class("page-head")
                .child(el("h1").id("jobs-title").text(&title))
                .maybe(id.map(|id| {
                    el("a")
                        .attr("href", &links::href(&links::runner(id)))
                        .text(&format!("Back to runner #{id}"))
                })),
        )
        .maybe((!is_admin).then(|| {
            el("p").class("note").text(
                "You see only the jobs of projects where you are at least a reporter: GitLab leaves the others out of this list.",
            )
        }))
        .child(
            el("div")
                .class("filters")
                .child(
                    el("div")
                        .class("filter")
                        .child(label_for("job-status", "Status"))
                        .child(
                            el("select")
                                .id("job-status")
                                .child(option("", "Any status"))
                                .children(statuses)
                                // After the options: a value no option has yet would not stick.
                                .prop_dyn("value", status_value)
                                .on("change", on_status),
                        ),
                )
                .child(
                    el("div")
                        .class("filter")
                        .child(label_for("job-order", "Order"))
                        .child(
                            el("select")
                                .id("job-order")
                                .child(
                                    option("desc", "Newest first (id descending)"),
                                )
                                .child(
                                    option("asc", "Oldest first (id ascending)"),
                                )
                                .prop_dyn("value", sort_value)
                                .on("change", on_sort),
                        ),
                ),
        )
        .dyn_child(jobs.refreshing_line())
        .dyn_nodes(jobs.shown("Loading jobs…", shown))
}

/// "waiting_for_resource" -> "Waiting for resource". GitLab's statuses are ASCII
/// words; ASCII case rules keep Unicode's case tables out of the wasm.
fn status_label(status: &str) -> String {
    if status.is_empty() {
        return "Unknown".into();
    }
    let mut text = status.replace('_', " ");
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}

/// A link to GitLab when it sent one, else the plain text.
/// A link into GitLab (named `label` when given) if GitLab sent an http(s) URL,
/// else the text.
fn link_or_text(url: Option<&str>, text: &str, label: Option<&str>) -> El {
    match (url.filter(|u| links::is_web_url(u)), label) {
        (Some(url), Some(label)) => el("a")
            .attr("href", url)
            .attr("aria-label", label)
            .text(text),
        (Some(url), None) => el("a").attr("href", url).text(text),
        (None, _) => el("span").text(text),
    }
}

fn jobs_table(jobs: &[RunnerJob], caption: &str) -> El {
    let rows = jobs.iter().map(|job| {
        let id_cell = link_or_text(
            job.web_url.as_deref(),
            &format!("#{}", job.id),
            Some(&format!("Job #{} in GitLab", job.id)),
        );
        let pipeline = job.pipeline.as_ref().map(|p| {
            link_or_text(
                p.web_url.as_deref(),
                &format!("#{}", p.id),
                Some(&format!("Pipeline #{} in GitLab", p.id)),
            )
        });
        let project = job.project.as_ref().map(|p| {
            let text = if p.path_with_namespace.is_empty() {
                &p.name
            } else {
                &p.path_with_namespace
            };
            link_or_text(p.web_url.as_deref(), text, None)
        });
        let user = job.user.as_ref().map(|u| {
            if u.name.is_empty() {
                u.username.as_str()
            } else {
                u.name.as_str()
            }
        });
        let duration = job
            .duration
            .map(time_text::duration)
            .unwrap_or_else(|| "—".into());
        let git_ref = el("td")
            .class("mono")
            .text(job.git_ref.as_deref().unwrap_or_default());
        let git_ref = if job.tag {
            git_ref.text(" (tag)")
        } else {
            git_ref
        };
        el("tr")
            .attr("data-job-id", &job.id.to_string())
            .child(el("td").class("num").child(id_cell))
            .child(
                el("td").child(
                    el("span")
                        .class(&format!("job-status job-{}", job.status))
                        .text(&status_label(&job.status)),
                ),
            )
            .child(el("td").text(job.name.as_deref().unwrap_or_default()))
            .child(el("td").text(job.stage.as_deref().unwrap_or_default()))
            .child(git_ref)
            .child(el("td").class("num").maybe(pipeline))
            .child(el("td").class("project").maybe(project))
            .child(el("td").text(user.unwrap_or_default()))
            .child(el("td").class("num").text(&duration))
            .child(el("td").child(relative_time(job.created_at.clone(), "—")))
            .child(el("td").child(relative_time(job.started_at.clone(), "not started")))
            .child(el("td").child(relative_time(job.finished_at.clone(), "not finished")))
    });
    let head = [
        "ID", "Status", "Name", "Stage", "Ref", "Pipeline", "Project", "User", "Duration",
        "Created", "Started", "Finished",
    ]
    .map(|h| el("th").attr("scope", "col").text(h));
    el("div").class("table-wrap").child(
        el("table")
            .class("jobs")
            .child(el("caption").text(caption))
            .child(el("thead").child(el("tr").children(head)))
            .child(el("tbody").children(rows)),
    )
}
