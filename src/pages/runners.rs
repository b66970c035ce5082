//! `/runners`: one page of a runner list; source and page live in the URL.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{request, Runner};
use crate::components::error_notice::ErrorNotice;
use crate::components::pager::{Pager, PagerInfo};
use crate::components::runner_table::RunnerTable;
use crate::links;
use crate::list_query::{ListQuery, SourceChoice};
use crate::session::use_session;

#[component]
pub fn RunnersPage() -> impl IntoView {
    let session = use_session();
    let is_admin = session.is_admin();
    let client = session.client.clone();
    let query_map = use_query_map();
    let query = Memo::new(move |_| ListQuery::from_lookup(|k| query_map.read().get(k)));
    let navigate = use_navigate();
    let go = move |q: ListQuery| navigate(&links::runners(&q), Default::default());

    let runners = LocalResource::new(move || {
        let q = query.get();
        let req = request::list_runners(&q.api_source(is_admin), &q.filter, q.page_query());
        let client = client.clone();
        let abort = web_sys::AbortController::new().ok();
        let signal = abort.as_ref().map(|c| c.signal());
        on_cleanup(move || {
            if let Some(c) = abort {
                c.abort();
            }
        });
        async move { client.page::<Runner>(&req, signal.as_ref()).await }
    });

    let title = move || match query.read().api_source(is_admin) {
        request::RunnerSource::All => "All runners".to_string(),
        request::RunnerSource::Owned => "My runners".to_string(),
        request::RunnerSource::Group(id) => format!("Runners of group {id}"),
        request::RunnerSource::Project(p) => format!("Runners of project {p}"),
    };
    let source_value = move || match query.read().api_source(is_admin) {
        request::RunnerSource::All => "all",
        _ => "owned",
    };
    let go_source = go.clone();
    let on_source = move |ev: leptos::ev::Event| {
        let source = match event_target_value(&ev).as_str() {
            "all" => SourceChoice::All,
            _ => SourceChoice::Owned,
        };
        go_source(ListQuery {
            source,
            ..Default::default()
        });
    };
    let (refreshing, set_refreshing) = signal(false);

    view! {
        <section class="runners-page" aria-labelledby="runners-title">
            <div class="page-head">
                <h1 id="runners-title">{title}</h1>
                <div class="source">
                    <label for="runner-source">"Show"</label>
                    <select id="runner-source" on:change=on_source prop:value=source_value>
                        <option value="owned">"My runners"</option>
                        {is_admin.then(|| view! { <option value="all">"All runners"</option> })}
                    </select>
                </div>
            </div>
            <Show when=move || refreshing.get()>
                <p class="loading inline" role="status">"Loading…"</p>
            </Show>
            <Transition
                fallback=|| view! { <p class="loading" role="status">"Loading runners…"</p> }
                set_pending=set_refreshing
            >
                {move || Suspend::new({
                    let go = go.clone();
                    async move {
                    match runners.await {
                        Ok(page) => {
                            let q = query.get_untracked();
                            let info = PagerInfo {
                                page: page.page,
                                per_page: page.per_page,
                                total: page.total,
                                total_pages: page.total_pages,
                                has_prev: page.has_prev(),
                                has_next: page.has_next(),
                            };
                            let empty = page.items.is_empty();
                            let caption = title();
                            let href_q = q.clone();
                            let go = go.clone();
                            Either::Left(view! {
                                {empty.then(|| view! {
                                    <p class="empty" role="status">"No runners here. Register one, or choose another list."</p>
                                })}
                                <RunnerTable runners=page.items caption=caption />
                                <Pager
                                    info=info
                                    noun="runners"
                                    href_for=move |p| links::href(&links::runners(&href_q.with_page(p)))
                                    on_per_page=Callback::new(move |n| go(ListQuery { per_page: n, page: 1, ..q.clone() }))
                                />
                            })
                        }
                        Err(error) => Either::Right(view! {
                            <ErrorNotice error=error retry=Callback::new(move |_| runners.refetch()) />
                        }),
                    }
                }})}
            </Transition>
        </section>
    }
}
