//! Pick one of the user's own groups or projects from a list, or type its id/path:
//! one value, two ways to set it.

use leptos::prelude::*;

use crate::api::{request, ApiError, Client, Group, GroupsQuery, PageQuery, Project};
use crate::api::{ProjectsQuery, SortOrder};

/// `(value, text)` options; `None` while loading.
pub type Choices = Option<Result<Vec<(String, String)>, ApiError>>;

/// The user's groups (first 100 by path) as choices valued by id; `min_access_level`
/// (50 = Owner) limits them to where the user may act, `None` lists all (admins).
pub fn group_choices(
    client: StoredValue<Client>,
    min_access_level: Option<u32>,
) -> Signal<Choices> {
    let groups = LocalResource::new(move || {
        let c = client.get_value();
        let query = GroupsQuery {
            min_access_level,
            order_by: Some("path".into()),
            sort: Some(SortOrder::Asc),
            ..Default::default()
        };
        let req = request::list_groups(&query, PageQuery::new(1, 100));
        async move { c.page::<Group>(&req, None).await.map(|p| p.items) }
    });
    Signal::derive(move || {
        groups.get().map(|r| {
            r.map(|list| {
                list.into_iter()
                    .map(|g| {
                        let path = if g.full_path.is_empty() {
                            g.path
                        } else {
                            g.full_path
                        };
                        (g.id.to_string(), format!("{path} (ID {})", g.id))
                    })
                    .collect()
            })
        })
    })
}

/// The projects where the user has at least `min_access_level` (40 = Maintainer),
/// first 100 by path, valued by full path.
pub fn project_choices(client: StoredValue<Client>, min_access_level: u32) -> Signal<Choices> {
    let projects = LocalResource::new(move || {
        let c = client.get_value();
        let query = ProjectsQuery {
            min_access_level: Some(min_access_level),
            order_by: Some("path".into()),
            sort: Some(SortOrder::Asc),
            ..Default::default()
        };
        let req = request::list_projects(&query, PageQuery::new(1, 100));
        async move { c.page::<Project>(&req, None).await.map(|p| p.items) }
    });
    Signal::derive(move || {
        projects.get().map(|r| {
            r.map(|list| {
                list.into_iter()
                    .map(|p| (p.path_with_namespace.clone(), p.path_with_namespace))
                    .collect()
            })
        })
    })
}

#[component]
pub fn ChooseOrType(
    /// Prefix of the controls' ids.
    #[prop(into)]
    id: String,
    #[prop(into)] choose_label: String,
    #[prop(into)] choose_help: String,
    /// What the list is of, in the plural ("groups you own").
    #[prop(into)]
    what: String,
    #[prop(into)] type_label: String,
    #[prop(optional)] numeric: bool,
    value: RwSignal<String>,
    #[prop(into)] choices: Signal<Choices>,
) -> impl IntoView {
    let (select_id, help_id, input_id) = (
        format!("{id}-choice"),
        format!("{id}-choice-help"),
        format!("{id}-typed"),
    );
    let options = move || {
        match choices.get() {
        None => view! { <option value="" disabled>"Loading…"</option> }.into_any(),
        Some(Ok(list)) if list.is_empty() => {
            view! { <option value="" disabled>{format!("No {what}")}</option> }.into_any()
        }
        Some(Ok(list)) => list
            .into_iter()
            .map(|(value, text)| view! { <option value=value>{text}</option> })
            .collect_view()
            .into_any(),
        Some(Err(e)) => view! {
            <option value="" disabled>{format!("The list could not be loaded: {}", e.user_message())}</option>
        }
        .into_any(),
    }
    };
    view! {
        <div class="field">
            <label for=select_id.clone()>{choose_label}</label>
            <select id=select_id aria-describedby=help_id.clone() on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="">"Choose…"</option>
                {options}
            </select>
            <p class="help" id=help_id>{choose_help}</p>
        </div>
        <div class="field">
            <label for=input_id.clone()>{type_label}</label>
            {if numeric {
                view! { <input id=input_id type="number" min="1" step="1" inputmode="numeric" bind:value=value /> }.into_any()
            } else {
                view! { <input id=input_id type="text" autocomplete="off" spellcheck="false" bind:value=value /> }.into_any()
            }}
        </div>
    }
}
