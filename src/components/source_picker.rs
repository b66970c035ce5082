//! Which runner list to show: mine, all (admins), a group's or a project's. Groups and
//! projects come from the user's own (maintainer or more), or are typed as id or path.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::request::{self, GroupsQuery, PageQuery, ProjectsQuery};
use crate::api::{Group, Project};
use crate::list_query::SourceChoice;
use crate::session::use_session;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Owned,
    All,
    Group,
    Project,
}

fn kind_of(choice: &SourceChoice, is_admin: bool) -> Kind {
    match choice {
        SourceChoice::Default if is_admin => Kind::All,
        SourceChoice::Default | SourceChoice::Owned => Kind::Owned,
        SourceChoice::All => Kind::All,
        SourceChoice::Group(_) => Kind::Group,
        SourceChoice::Project(_) => Kind::Project,
    }
}

const MAINTAINER: u32 = 40;

#[component]
pub fn SourcePicker(
    #[prop(into)] choice: Signal<SourceChoice>,
    #[prop(into)] on_change: Callback<SourceChoice>,
) -> impl IntoView {
    let session = use_session();
    let is_admin = session.is_admin();
    let kind = RwSignal::new(kind_of(&choice.get_untracked(), is_admin));
    Effect::new(move || kind.set(kind_of(&choice.get(), is_admin)));
    let typed = RwSignal::new(String::new());
    Effect::new(move || {
        typed.set(match choice.get() {
            SourceChoice::Group(id) => id.to_string(),
            SourceChoice::Project(p) => p,
            _ => String::new(),
        })
    });

    // The user's groups and projects, fetched only when those kinds are picked.
    let client = session.client.clone();
    let groups = LocalResource::new(move || {
        let wanted = kind.get() == Kind::Group;
        let client = client.clone();
        async move {
            if !wanted {
                return Ok(vec![]);
            }
            let q = GroupsQuery {
                min_access_level: (!is_admin).then_some(MAINTAINER),
                ..Default::default()
            };
            client
                .page::<Group>(&request::list_groups(&q, PageQuery::new(1, 100)), None)
                .await
                .map(|p| p.items)
        }
    });
    let client = session.client.clone();
    let projects = LocalResource::new(move || {
        let wanted = kind.get() == Kind::Project;
        let client = client.clone();
        async move {
            if !wanted {
                return Ok(vec![]);
            }
            let q = ProjectsQuery {
                min_access_level: Some(MAINTAINER),
                simple: true,
                ..Default::default()
            };
            client
                .page::<Project>(&request::list_projects(&q, PageQuery::new(1, 100)), None)
                .await
                .map(|p| p.items)
        }
    });

    let on_kind = move |ev: leptos::ev::Event| match event_target_value(&ev).as_str() {
        "all" => on_change.run(SourceChoice::All),
        "group" => kind.set(Kind::Group),
        "project" => kind.set(Kind::Project),
        _ => on_change.run(SourceChoice::Owned),
    };
    let submit_typed = move |ev: SubmitEvent| {
        ev.prevent_default();
        let text = typed.get_untracked().trim().to_string();
        if text.is_empty() {
            return;
        }
        match kind.get_untracked() {
            Kind::Group => {
                if let Ok(id) = text.parse() {
                    on_change.run(SourceChoice::Group(id));
                }
            }
            _ => on_change.run(SourceChoice::Project(text)),
        }
    };
    let kind_value = move || match kind.get() {
        Kind::Owned => "owned",
        Kind::All => "all",
        Kind::Group => "group",
        Kind::Project => "project",
    };
    let chosen_group = move || match choice.get() {
        SourceChoice::Group(id) => id.to_string(),
        _ => String::new(),
    };
    let chosen_project = move || match choice.get() {
        SourceChoice::Project(p) => p,
        _ => String::new(),
    };
    let list_error = |e: crate::api::ApiError| view! { <p class="error-inline" role="alert">{e.user_message()}</p> };

    view! {
        <form class="source" on:submit=submit_typed>
            <div class="field">
                <label for="runner-source">"Show"</label>
                <select id="runner-source" on:change=on_kind prop:value=kind_value>
                    <option value="owned">"My runners"</option>
                    {is_admin.then(|| view! { <option value="all">"All runners"</option> })}
                    <option value="group">"A group's runners"</option>
                    <option value="project">"A project's runners"</option>
                </select>
            </div>
            <Show when=move || { kind.get() == Kind::Group }><div class="field">
                    <label for="source-group">"Group"</label>
                    <select
                        id="source-group"
                        prop:value=chosen_group
                        on:change=move |ev| {
                            if let Ok(id) = event_target_value(&ev).parse() {
                                on_change.run(SourceChoice::Group(id));
                            }
                        }
                    >
                        <option value="">"Choose a group…"</option>
                        {move || match groups.get() {
                            Some(Ok(list)) => list
                                .into_iter()
                                .map(|g| view! { <option value=g.id.to_string()>{format!("{} ({})", g.full_name, g.full_path)}</option> })
                                .collect_view()
                                .into_any(),
                            _ => ().into_any(),
                        }}
                    </select>
                    {move || match groups.get() {
                        None => Some(view! { <p class="loading" role="status">"Loading your groups…"</p> }.into_any()),
                        Some(Err(e)) => Some(list_error(e).into_any()),
                        _ => None,
                    }}
                </div>
                <div class="field">
                    <label for="source-typed">"or group ID"</label>
                    <div class="inline">
                        <input id="source-typed" type="text" inputmode="numeric" bind:value=typed />
                        <button type="submit" class="secondary">"Show group"</button>
                    </div>
                </div></Show>
            <Show when=move || { kind.get() == Kind::Project }><div class="field">
                    <label for="source-project">"Project"</label>
                    <select
                        id="source-project"
                        prop:value=chosen_project
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if !v.is_empty() {
                                on_change.run(SourceChoice::Project(v));
                            }
                        }
                    >
                        <option value="">"Choose a project…"</option>
                        {move || match projects.get() {
                            Some(Ok(list)) => list
                                .into_iter()
                                .map(|p| view! { <option value=p.path_with_namespace.clone()>{p.name_with_namespace.clone()}</option> })
                                .collect_view()
                                .into_any(),
                            _ => ().into_any(),
                        }}
                    </select>
                    {move || match projects.get() {
                        None => Some(view! { <p class="loading" role="status">"Loading your projects…"</p> }.into_any()),
                        Some(Err(e)) => Some(list_error(e).into_any()),
                        _ => None,
                    }}
                </div>
                <div class="field">
                    <label for="source-typed-project">"or project ID or path"</label>
                    <div class="inline">
                        <input id="source-typed-project" type="text" bind:value=typed />
                        <button type="submit" class="secondary">"Show project"</button>
                    </div>
                </div></Show>
        </form>
    }
}
