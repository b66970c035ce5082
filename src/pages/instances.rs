//! `/instances`, "GitLab instances": the GitLab instances this console knows,
//! who is signed in on each and whether that session is still good; adding one
//! (by token or "Sign in with GitLab"), renaming, signing out of and removing
//! one. A link naming an instance this browser does not know comes here to add it.

use std::collections::HashMap;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{request, User};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::error_notice::ErrorNotice;
use crate::components::fields::SecretField;
use crate::components::loading::Loading;
use crate::components::round_trip_note::RoundTripNote;
use crate::instances::{self, Instance, SignInWith};
use crate::links;
use crate::navigation::use_navigation;
use crate::session::{self, use_session_store, Connection, Known, SignInError, TokenStorage};

#[component]
pub fn InstancesPage() -> impl IntoView {
    let store = use_session_store();
    let query = use_query_map();
    let asked = move || query.with(|q| q.get("add"));
    view! {
        <section class="instances" aria-labelledby="instances-title">
            <h1 id="instances-title">"GitLab instances"</h1>
            {move || asked().map(|label| view! {
                <p class="notice" role="status">
                    "A link names the GitLab instance “" {label} "”, which this browser does not know yet. "
                    "Add it below to open the link."
                </p>
            })}
            <Show
                when=move || store.known.with(|k| !k.is_empty())
                fallback=|| view! { <p>"No GitLab instance yet: add one below."</p> }
            >
                <InstanceTable />
            </Show>
            <AddInstance />
        </section>
    }
}

/// Every instance, with who is signed in and what can be done.
#[component]
fn InstanceTable() -> impl IntoView {
    let store = use_session_store();
    let removing = RwSignal::new(None::<Known>);
    let confirm_open = RwSignal::new(false);
    // "Check sessions": GitLab's answer to `GET /user` now, by label.
    let checked = RwSignal::new(HashMap::<String, Checked>::new());
    let check = move |_| {
        for k in store.known.get_untracked() {
            let Some(session) = k.session().cloned() else {
                continue;
            };
            let label = k.label().to_string();
            checked.update(|c| drop(c.insert(label.clone(), Checked::Asking)));
            leptos::task::spawn_local(async move {
                let answer = session
                    .client
                    .json::<User>(&request::current_user(), None)
                    .await;
                let result = match answer {
                    Ok(u) => Checked::Good(u.username),
                    Err(e) => Checked::Refused(e.user_message()),
                };
                checked.try_update(|c| drop(c.insert(label, result)));
            });
        }
    };
    let rows = move || {
        store
            .known
            .get()
            .into_iter()
            .map(|k| view! { <InstanceRow known=k removing=removing confirm_open=confirm_open checked=checked /> })
            .collect_view()
    };
    let title = Signal::derive(move || {
        removing
            .get()
            .map(|k| format!("Remove {}?", k.label()))
            .unwrap_or_default()
    });
    let confirm_label = Signal::derive(move || {
        removing
            .get()
            .map(|k| format!("Remove {} from this console", k.label()))
            .unwrap_or_default()
    });
    view! {
        <table class="instances-table">
            <caption class="visually-hidden">"GitLab instances this console knows"</caption>
            <thead>
                <tr>
                    <th scope="col">"Label"</th>
                    <th scope="col">"GitLab"</th>
                    <th scope="col">"Signed in as"</th>
                    <th scope="col">"Session"</th>
                    <th scope="col">"Credentials kept in"</th>
                    <th scope="col">"Actions"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <p>
            <button type="button" class="secondary" on:click=check>"Check sessions"</button>
            <span class="help">" asks each GitLab now whether it still accepts the console's token."</span>
        </p>
        <ConfirmDialog
            open=confirm_open
            title=title
            confirm_label=confirm_label
            danger=true
            on_confirm=Callback::new(move |_| {
                if let Some(k) = removing.get_untracked() {
                    store.remove(k.label());
                }
            })
        >
            {move || removing.get().map(|k| view! {
                <p>
                    "The console forgets " <strong>{k.label().to_string()}</strong> " ("
                    <span class="gitlab-url">{k.instance.gitlab_url.clone()}</span>
                    "): it signs out there and wipes its credentials from this browser. "
                    "Nothing changes on GitLab."
                </p>
            })}
        </ConfirmDialog>
    }
}

/// A session checked on request.
#[derive(Clone, Debug, PartialEq)]
enum Checked {
    Asking,
    Good(String),
    Refused(String),
}

#[component]
fn InstanceRow(
    known: Known,
    removing: RwSignal<Option<Known>>,
    confirm_open: RwSignal<bool>,
    checked: RwSignal<HashMap<String, Checked>>,
) -> impl IntoView {
    let store = use_session_store();
    let label = known.label().to_string();
    let (who, status) = match &known.connection {
        Connection::SignedIn(s) => (
            s.user.username.clone(),
            match &known.grant {
                Some(g) => {
                    let left = g.expires_at as f64 - js_sys::Date::now() / 1000.0;
                    format!(
                        "Signed in with GitLab ({}); the token is renewed before it expires in {}",
                        g.scope,
                        crate::time_text::duration(left.max(0.0))
                    )
                }
                None => "Signed in with a token".to_string(),
            },
        ),
        Connection::Restoring => (String::new(), "Checking the kept token…".into()),
        Connection::SignedOut(why) => (
            String::new(),
            match why {
                Some(why) => format!("Signed out: {why}"),
                None => "Signed out".into(),
            },
        ),
    };
    let refused = {
        let label = label.clone();
        move || store.reauth_for.get().as_deref() == Some(label.as_str())
    };
    let check_result = {
        let label = label.clone();
        move || {
            checked.with(|c| c.get(&label).cloned()).map(|c| match c {
                Checked::Asking => "Asking GitLab…".to_string(),
                Checked::Good(who) => format!("Checked just now: GitLab accepts it (as {who})."),
                Checked::Refused(why) => format!("Checked just now: ⚠ {why}"),
            })
        }
    };
    let signed_in = known.session().is_some();
    let renaming = RwSignal::new(false);
    let open_href = links::href(&links::on(&label, links::RUNNERS));
    let sign_out = {
        let label = label.clone();
        move |_| store.sign_out(&label)
    };
    let ask_remove = {
        let known = known.clone();
        move |_| {
            removing.set(Some(known.clone()));
            confirm_open.set(true);
        }
    };
    view! {
        <tr>
            <th scope="row">{label.clone()}</th>
            <td class="gitlab-url">{known.instance.gitlab_url.clone()}</td>
            <td>{who}</td>
            <td>
                {move || if refused() {
                    "GitLab refused the token: sign in again".to_string()
                } else {
                    status.clone()
                }}
                {move || check_result().map(|t| view! { <br /><span class="checked">{t}</span> })}
            </td>
            <td>{known.kept_in.short()}</td>
            <td class="actions">
                <a href=open_href>{if signed_in { format!("Open {label}") } else { format!("Sign in to {label}") }}</a>
                " "
                <button type="button" class="secondary" on:click=move |_| renaming.set(true)>
                    {format!("Rename {label}")}
                </button>
                " "
                <Show when=move || signed_in>
                    <button type="button" class="secondary" on:click=sign_out.clone()>
                        {format!("Sign out of {}", known.label())}
                    </button>
                    " "
                </Show>
                <button type="button" class="secondary danger" on:click=ask_remove>
                    {format!("Remove {label}")}
                </button>
                <Show when=move || renaming.get()>
                    <RenameForm old=label.clone() renaming=renaming />
                </Show>
            </td>
        </tr>
    }
}

#[component]
fn RenameForm(old: String, renaming: RwSignal<bool>) -> impl IntoView {
    let store = use_session_store();
    let nav = use_navigation();
    let typed = RwSignal::new(old.clone());
    let problem = RwSignal::new(None::<String>);
    let id = format!("rename-{old}");
    let submit = {
        let old = old.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let new = typed.get_untracked().trim().to_string();
            if new == old {
                renaming.set(false);
                return;
            }
            let labels = store.labels();
            let taken: Vec<&str> = labels.iter().map(String::as_str).collect();
            if let Some(why) = instances::label_problem(&new, &taken) {
                problem.set(Some(why));
                return;
            }
            store.rename(&old, &new);
            renaming.set(false);
            // The page's own address names no instance: stay.
            nav.replace(links::INSTANCES);
        }
    };
    view! {
        <form class="rename" on:submit=submit>
            <label for=id.clone()>{format!("New label for {old}")}</label>
            <input id=id type="text" bind:value=typed autocomplete="off" />
            <button type="submit">"Save label"</button>
            <button type="button" class="secondary" on:click=move |_| renaming.set(false)>"Cancel"</button>
            {move || problem.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
        </form>
    }
}

/// How a new instance signs in, as the form's radio buttons.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Method {
    Token,
    OAuth,
}

/// Adds an instance: URL, label, and a token or "Sign in with GitLab".
#[component]
fn AddInstance() -> impl IntoView {
    let store = use_session_store();
    let nav = use_navigation();
    let query = use_query_map();
    let url = RwSignal::new(String::new());
    let label = RwSignal::new(query.with_untracked(|q| q.get("add")).unwrap_or_default());
    // Suggested from the URL until the person types a label of their own.
    let label_typed = RwSignal::new(!label.get_untracked().is_empty());
    let method = RwSignal::new(Method::Token);
    let token = RwSignal::new(String::new());
    let client_id = RwSignal::new(String::new());
    let read_only = RwSignal::new(false);
    let kept_in = RwSignal::new(TokenStorage::Tab);
    let problem = RwSignal::new(None::<SignInError>);
    let added = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // The deployer's application id for its GitLab, as a start.
    leptos::task::spawn_local(async move {
        if let Some(config) = crate::deploy_config::load().await {
            if let Some(id) = config.oauth_client_id {
                let _ = client_id.try_set(id);
            }
        }
    });
    let then = move || {
        query
            .with_untracked(|q| q.get("then"))
            .filter(|t| t.starts_with('/'))
            .unwrap_or_else(|| links::RUNNERS.to_string())
    };
    let on_url = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        if !label_typed.get_untracked() {
            let labels = store.labels();
            let taken: Vec<&str> = labels.iter().map(String::as_str).collect();
            label.set(instances::suggest_label(&typed, &taken));
        }
        url.set(typed);
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        problem.set(None);
        added.set(None);
        let gitlab_url = match crate::gitlab_url::normalize(&url.get_untracked()) {
            Ok(u) => u,
            Err(m) => return problem.set(Some(SignInError::BadUrl(m))),
        };
        let new_label = label.get_untracked().trim().to_string();
        let labels = store.labels();
        let taken: Vec<&str> = labels.iter().map(String::as_str).collect();
        if let Some(why) = instances::label_problem(&new_label, &taken) {
            return problem.set(Some(SignInError::BadUrl(why)));
        }
        let kind = kept_in.get_untracked();
        busy.set(true);
        match method.get_untracked() {
            Method::Token => {
                let typed = token.get_untracked();
                leptos::task::spawn_local(async move {
                    match session::sign_in(&new_label, &gitlab_url, &typed).await {
                        Ok(s) => {
                            token.set(String::new());
                            let who = s.user.username.clone();
                            let instance = Instance {
                                label: new_label.clone(),
                                gitlab_url: s.gitlab_url.clone(),
                                sign_in: SignInWith::Token,
                            };
                            store.keep(instance, s, &typed, None, kind);
                            if query.with_untracked(|q| q.get("then")).is_some() {
                                nav.navigate(&links::on(&new_label, &then()));
                            } else {
                                url.set(String::new());
                                label.set(String::new());
                                label_typed.set(false);
                                added.set(Some(format!("Added {new_label}: signed in as {who}.")));
                            }
                        }
                        Err(e) => problem.set(Some(e)),
                    }
                    busy.set(false);
                });
            }
            Method::OAuth => {
                let id = client_id.get_untracked().trim().to_string();
                if id.is_empty() {
                    busy.set(false);
                    return problem.set(Some(SignInError::BadUrl(
                        "Enter the Application ID of the console's OAuth application in that GitLab."
                            .into(),
                    )));
                }
                let instance = Instance {
                    label: new_label,
                    gitlab_url,
                    sign_in: SignInWith::OAuth { client_id: id },
                };
                let ro = read_only.get_untracked();
                let then = then();
                leptos::task::spawn_local(async move {
                    if let Err(m) = crate::oauth_flow::start(instance, kind, ro, then).await {
                        problem.set(Some(SignInError::BadUrl(m)));
                        busy.set(false);
                    }
                });
            }
        }
    };
    let method_choice = move |m: Method, id: &'static str, text: &'static str| {
        view! {
            <div class="choice">
                <input type="radio" name="add-method" id=id
                    prop:checked=move || method.get() == m
                    on:change=move |_| method.set(m) />
                <label for=id>{text}</label>
            </div>
        }
    };
    let storage_choices = TokenStorage::ALL
        .into_iter()
        .map(|kind| {
            let id = format!("add-keep-{}", kind.value());
            view! {
                <div class="choice">
                    <input type="radio" name="add-keep" id=id.clone()
                        prop:checked=move || kept_in.get() == kind
                        on:change=move |_| kept_in.set(kind) />
                    <label for=id>{kind.label()}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="add-instance" aria-labelledby="add-instance-title">
            <h2 id="add-instance-title">"Add an instance"</h2>
            <form on:submit=submit>
                <div class="field">
                    <label for="add-url">"GitLab URL"</label>
                    <input id="add-url" type="url" inputmode="url" required prop:value=move || url.get() on:input=on_url />
                </div>
                <div class="field">
                    <label for="add-label">"Label"</label>
                    <input id="add-label" type="text" required autocomplete="off" aria-describedby="add-label-help"
                        prop:value=move || label.get()
                        on:input=move |ev| { label_typed.set(true); label.set(event_target_value(&ev)); } />
                    <p class="help" id="add-label-help">"Names the instance in addresses (/i/LABEL/runners) and in the switcher: lower-case letters, digits and dashes."</p>
                </div>
                <fieldset>
                    <legend>"Sign in with"</legend>
                    {method_choice(Method::Token, "add-with-token", "An access token")}
                    {method_choice(Method::OAuth, "add-with-oauth", "Sign in with GitLab (OAuth)")}
                </fieldset>
                <Show
                    when=move || method.get() == Method::OAuth
                    fallback=move || view! { <SecretField id="add-token" label="Access token" value=token required=true /> }
                >
                    <div class="field">
                        <label for="add-client-id">"OAuth application ID"</label>
                        <input id="add-client-id" type="text" autocomplete="off" bind:value=client_id aria-describedby="add-client-help" />
                        <p class="help" id="add-client-help">"The Application ID of the console registered in that GitLab (Admin area or User settings, Applications; not confidential; scopes api and read_api)."</p>
                    </div>
                    <div class="choice">
                        <input type="checkbox" id="add-read-only" bind:checked=read_only />
                        <label for="add-read-only">"Read-only session (read_api scope)"</label>
                    </div>
                    <RoundTripNote />
                </Show>
                <fieldset class="keep-token">
                    <legend>"Keep the credentials"</legend>
                    {storage_choices}
                </fieldset>
                <button type="submit" disabled=move || busy.get()>"Add instance"</button>
                <Show when=move || busy.get()><Loading text="Checking with GitLab…" /></Show>
                {move || match problem.get() {
                    Some(SignInError::BadUrl(m)) => view! { <p class="error" role="alert">{m}</p> }.into_any(),
                    Some(SignInError::Api(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                    None => ().into_any(),
                }}
                {move || added.get().map(|m| view! { <p class="success" role="status">{m}</p> })}
            </form>
        </section>
    }
}

/// A link names an instance this browser does not know.
#[component]
pub fn UnknownInstance(label: String, then: String) -> impl IntoView {
    let add = links::href(&links::add_instance(&label, &then));
    view! {
        <section class="empty" aria-labelledby="unknown-title">
            <h1 id="unknown-title">"Unknown GitLab instance"</h1>
            <p>
                "This link is for the GitLab instance “" {label.clone()} "”, which this browser does not know."
            </p>
            <p><a href=add>{format!("Add {label}")}</a></p>
        </section>
    }
}
