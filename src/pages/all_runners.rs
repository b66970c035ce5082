//! `/i/all/runners`: the runners of every signed-in instance in one list, with
//! an Instance column, GitLab's filters (sent to each instance) and the quick
//! filter; each instance's pages load at once (at most 6 in flight each), with
//! a progress bar each. An administrator sees every runner of an instance, any
//! other user their own. Bulk actions send each request to the runner's own
//! instance with its credentials.

use leptos::context::Provider;
use leptos::prelude::*;

use crate::api::request::RunnerSource;
use crate::components::fleet_view::FleetView;
use crate::components::runner_filters::RunnerFilters;
use crate::instances::ALL;
use crate::links;
use crate::list_query::ListQuery;
use crate::navigation::use_navigation;
use crate::session::{use_session_store, PagesSession, Session};

#[component]
pub fn AllRunnersPage() -> impl IntoView {
    let store = use_session_store();
    let router = use_navigation();
    let query_map = leptos_router::hooks::use_query_map();
    let query = Memo::new(move |_| ListQuery::from_lookup(|k| query_map.read().get(k)));
    let filter = Memo::new(move |_| query.read().filter.clone());
    // Always every page (`view=all`, which also keeps the quick filter).
    let to = move |q: &ListQuery| {
        let every = ListQuery {
            all: true,
            ..q.clone()
        };
        links::on(ALL, &links::runners(&every))
    };
    let on_filter = Callback::new(move |filter| {
        router.navigate(&to(&ListQuery {
            filter,
            ..query.get_untracked()
        }))
    });
    let sessions: Vec<Session> = store.signed_in();
    // The shell shows this page only with an instance signed in.
    let first = sessions[0].clone();
    let names = sessions
        .iter()
        .map(|s| s.label.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let signed_out: Vec<String> = store.known.with_untracked(|k| {
        k.iter()
            .filter(|k| k.session().is_none())
            .map(|k| k.label().to_string())
            .collect()
    });
    view! {
        <section class="runners-page" aria-labelledby="runners-title">
            <div class="page-head">
                <h1 id="runners-title">"Runners of all instances"</h1>
            </div>
            <p class="lead">{format!("Every runner of {names}, loaded together.")}</p>
            {(!signed_out.is_empty()).then(|| view! {
                <p class="help">
                    {format!("Not listed (signed out): {}. ", signed_out.join(", "))}
                    <a href=links::href(links::INSTANCES)>"Sign in on the instances page"</a>
                </p>
            })}
            // The filters offer what the first instance's GitLab has (version prefix: 16.6+).
            <Provider value=PagesSession(first)>
                <RunnerFilters filter=filter source=Signal::derive(|| RunnerSource::All) on_change=on_filter />
            </Provider>
            <FleetView
                source=Signal::derive(|| RunnerSource::All)
                filter=filter
                initial_quick=query.get_untracked().quick
                on_quick=Callback::new(move |quick: String| {
                    router.replace(&to(&ListQuery { quick, ..query.get_untracked() }));
                })
                across=sessions
            />
        </section>
    }
}
