//! The facts GitLab's runner lists leave out (version, machines, last contact),
//! loaded for the runners a table shows, a few at a time, and their cells.

use std::collections::HashMap;

use futures::StreamExt;
use leptos::prelude::*;

use crate::api::client::{abort_on_cleanup, Client};
use crate::api::{request, ApiError, RunnerDetails, RunnerManager};
use crate::components::fleet_view::CONCURRENCY;
use crate::components::relative_time::RelativeTime;
use crate::runner_facts::RunnerFacts;

#[derive(Clone, Debug, PartialEq)]
pub enum FactState {
    Ready(RunnerFacts),
    /// GitLab's refusal or the network's, in words.
    Failed(String),
}

/// Facts by runner id, kept while the page lives so a refetched list (after a
/// pause, say) does not ask again.
#[derive(Clone, Copy)]
pub struct FactsStore {
    facts: RwSignal<HashMap<u64, FactState>>,
    /// From `/runners/:id/managers` (GitLab 17.1+, with a machine count), else
    /// from `/runners/:id`.
    pub from_machines: bool,
}

impl FactsStore {
    pub fn new(from_machines: bool) -> Self {
        FactsStore {
            facts: RwSignal::new(HashMap::new()),
            from_machines,
        }
    }

    pub fn get(&self, id: u64) -> Option<FactState> {
        self.facts.with(|f| f.get(&id).cloned())
    }

    /// The last contact of a runner whose facts are in: `Some(None)` is never.
    pub fn contacted_at(&self, id: u64) -> Option<Option<String>> {
        match self.get(id)? {
            FactState::Ready(f) => Some(f.contacted_at),
            FactState::Failed(_) => None,
        }
    }

    /// Loads the facts of `ids` not known yet, `CONCURRENCY` at a time, as a
    /// resource of the calling component: a newer list or leaving the page
    /// aborts what is still on its way.
    pub fn follow(self, client: Client, ids: Signal<Vec<u64>>) {
        LocalResource::new(move || {
            let wanted: Vec<u64> = ids.get();
            let missing: Vec<u64> = self.facts.with_untracked(|f| {
                wanted
                    .into_iter()
                    .filter(|id| !f.contains_key(id))
                    .collect()
            });
            let client = client.clone();
            let signal = abort_on_cleanup();
            async move {
                let from_machines = self.from_machines;
                futures::stream::iter(missing)
                    .map(|id| {
                        let (client, signal) = (client.clone(), signal.clone());
                        async move { (id, fetch(&client, id, from_machines, signal.as_ref()).await) }
                    })
                    .buffer_unordered(CONCURRENCY)
                    .for_each(|(id, state)| {
                        if let Some(state) = state {
                            self.facts.try_update(|f| f.insert(id, state));
                        }
                        async {}
                    })
                    .await;
            }
        });
    }
}

/// The machines behind runner `id` (`GET /runners/:id/managers`, GitLab 17.1+),
/// as a resource of the calling component.
pub fn machines_of(client: Client, id: u64) -> LocalResource<Result<Vec<RunnerManager>, ApiError>> {
    LocalResource::new(move || {
        let client = client.clone();
        let signal = abort_on_cleanup();
        async move {
            client
                .json::<Vec<RunnerManager>>(&request::runner_managers(id), signal.as_ref())
                .await
        }
    })
}

/// `None` when the request was aborted (a newer list took over).
async fn fetch(
    client: &Client,
    id: u64,
    from_machines: bool,
    signal: Option<&web_sys::AbortSignal>,
) -> Option<FactState> {
    let result = if from_machines {
        client
            .json::<Vec<RunnerManager>>(&request::runner_managers(id), signal)
            .await
            .map(|m| RunnerFacts::from_managers(&m))
    } else {
        client
            .json::<RunnerDetails>(&request::get_runner_without_projects(id), signal)
            .await
            .map(|d| RunnerFacts::from_details(&d))
    };
    match result {
        Ok(facts) => Some(FactState::Ready(facts)),
        Err(e) if e.is_aborted() => None,
        Err(e) => Some(FactState::Failed(e.user_message())),
    }
}

#[component]
pub fn FactsHeaderCells(store: FactsStore) -> impl IntoView {
    view! {
        <th scope="col">"Version"</th>
        {store.from_machines.then(|| view! { <th scope="col">"Machines"</th> })}
        <th scope="col">"Last contact"</th>
    }
}

/// A runner's version, machine count and last contact, or what keeps them.
#[component]
pub fn FactsCells(store: FactsStore, id: u64) -> impl IntoView {
    let state = Memo::new(move |_| store.get(id));
    let cell = move |show: fn(&RunnerFacts) -> AnyView| {
        move || match state.get() {
            None => view! { <span class="muted" aria-label="Loading">"…"</span> }.into_any(),
            Some(FactState::Failed(why)) => {
                view! { <span class="muted" title=why>"Unknown"</span> }.into_any()
            }
            Some(FactState::Ready(f)) => show(&f),
        }
    };
    view! {
        <td class="version">{cell(|f| version_text(f).into_any())}</td>
        {store.from_machines.then(|| view! {
            <td class="num">{cell(|f| f.machines.unwrap_or_default().to_string().into_any())}</td>
        })}
        <td>{cell(|f| view! { <RelativeTime iso=f.contacted_at.clone() none="Never" /> }.into_any())}</td>
    }
}

/// "18.11.0", or "18.11.0 (and 18.9.1)" when its machines differ.
fn version_text(f: &RunnerFacts) -> String {
    let Some(v) = &f.version else {
        return "Unknown".into();
    };
    let others: Vec<&str> = f
        .versions
        .iter()
        .filter(|o| *o != v)
        .map(String::as_str)
        .collect();
    if others.is_empty() {
        v.clone()
    } else {
        format!("{v} (and {})", others.join(", "))
    }
}
