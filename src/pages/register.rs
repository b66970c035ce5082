//! `/register`: register a runner with a registration token (`POST /runners`).
//! The new authentication token is shown once, with the config.toml entry to paste;
//! a refusal keeps the form as typed.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::{request, AccessLevel, ApiError, RegisteredRunner};
use crate::components::fields::{SecretField, TextField};
use crate::components::loading::Loading;
use crate::components::refusal::Refusal;
use crate::components::relative_time::RelativeTime;
use crate::components::token_reveal::{copy_to_clipboard, TokenReveal};
use crate::links;
use crate::refusals::register_refusal;
use crate::register_form::{config_toml, Field, RegisterForm};
use crate::session::use_session;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let session = use_session();
    let client = session.client.clone();
    let gitlab_url = session.gitlab_url.clone();

    let defaults = RegisterForm::default();
    let token = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let tags = RwSignal::new(String::new());
    let paused = RwSignal::new(defaults.paused);
    let locked = RwSignal::new(defaults.locked);
    let run_untagged = RwSignal::new(defaults.run_untagged);
    let access_level = RwSignal::new(defaults.access_level.as_str().to_string());
    let maximum_timeout = RwSignal::new(String::new());
    let maintenance_note = RwSignal::new(String::new());
    let info_name = RwSignal::new(String::new());
    let info_version = RwSignal::new(String::new());
    let info_revision = RwSignal::new(String::new());
    let info_platform = RwSignal::new(String::new());
    let info_architecture = RwSignal::new(String::new());

    let form = move || RegisterForm {
        token: token.get_untracked(),
        description: description.get_untracked(),
        tags: tags.get_untracked(),
        paused: paused.get_untracked(),
        locked: locked.get_untracked(),
        run_untagged: run_untagged.get_untracked(),
        access_level: AccessLevel::parse(&access_level.get_untracked())
            .unwrap_or(AccessLevel::NotProtected),
        maximum_timeout: maximum_timeout.get_untracked(),
        maintenance_note: maintenance_note.get_untracked(),
        info_name: info_name.get_untracked(),
        info_version: info_version.get_untracked(),
        info_revision: info_revision.get_untracked(),
        info_platform: info_platform.get_untracked(),
        info_architecture: info_architecture.get_untracked(),
    };

    // Client-side problems (shown next to their fields) and GitLab's answer.
    let problems = RwSignal::new(Vec::<(Field, String)>::new());
    let failure = RwSignal::new(None::<ApiError>);
    // The new runner: its token lives only in `new_token` until dismissed.
    let new_token = RwSignal::new(None::<String>);
    let registered = RwSignal::new(None::<(u64, Option<String>, String)>);

    let register = Action::new_local(move |form: &RegisterForm| {
        let client = client.clone();
        let req = request::register_runner(&form.to_request());
        async move { client.json::<RegisteredRunner>(&req, None).await }
    });
    let pending = register.pending();
    let toasts = crate::components::toasts::use_toasts();
    Effect::new(move || match register.value().get() {
        Some(Ok(runner)) => {
            failure.set(None);
            toasts.success(format!("Runner #{} registered", runner.id));
            registered.set(Some((
                runner.id,
                runner.token_expires_at.clone(),
                description.get_untracked(),
            )));
            new_token.set(Some(runner.token));
            // The action's copy of the answer would keep the token after the
            // reveal is dismissed: drop it, so `new_token` is the only copy.
            register.clear();
        }
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    });

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let f = form();
        let found = f.problems();
        problems.set(found.clone());
        if found.is_empty() {
            failure.set(None);
            register.dispatch(f);
        }
    };

    // The message for one field: ours first, else GitLab's validation message.
    let field_message = move |field: Field| {
        move || {
            problems
                .read()
                .iter()
                .find(|(f, _)| *f == field)
                .map(|(_, m)| m.clone())
                .or_else(|| {
                    failure.read().as_ref().and_then(|e| {
                        let msgs = e.field_errors(field.gitlab_key());
                        (!msgs.is_empty()).then(|| format!("GitLab: {}", msgs.join(", ")))
                    })
                })
        }
    };
    let field_error = move |field: Field, id: &'static str| {
        let message = field_message(field);
        view! {
            {move || message().map(|m| view! { <p class="field-error" id=id role="alert">{m}</p> })}
        }
    };
    let invalid = move |field: Field| {
        let message = field_message(field);
        move || message().is_some().to_string()
    };

    let result = move || {
        registered.get().map(|(id, expires, desc)| {
            let gitlab_url = gitlab_url.clone();
            view! {
                <section class="register-result" aria-labelledby="register-result-title">
                    <h2 id="register-result-title">{format!("Runner #{id} is registered")}</h2>
                    <p>
                        <a href=links::href(&links::runner(id))>{format!("Open runner #{id}")}</a>
                        {match expires.clone() {
                            Some(at) => view! { " · its token expires " <RelativeTime iso=Some(at) none="" /> }.into_any(),
                            None => view! { " · its token does not expire" }.into_any(),
                        }}
                    </p>
                    <TokenReveal token=new_token expires_at=expires heading=format!("Authentication token of runner #{id}") />
                    {move || new_token.get().map(|t| {
                        let snippet = config_toml(&desc, &gitlab_url, &t);
                        view! { <ConfigSnippet snippet=snippet /> }
                    })}
                </section>
            }
        })
    };

    view! {
        <section class="register-page" aria-labelledby="register-title">
            <h1 id="register-title">"Register a runner"</h1>
            <p class="lead">
                "Creates a runner with a registration token. The token decides the runner's kind: the instance's token makes an instance runner, a group's a group runner, a project's a runner of that project."
            </p>
            {result}
            <form class="register-form" on:submit=submit novalidate>
                <SecretField
                    id="reg-token"
                    label="Registration token"
                    value=token
                    required=true
                    described_by="reg-token-help reg-token-error"
                    invalid=Signal::derive({
                        let message = field_message(Field::Token);
                        move || message().is_some()
                    })
                >
                    <p class="help" id="reg-token-help">
                        "GitLab's API cannot list registration tokens. Find one in GitLab under Admin Area → CI/CD → Runners (instance), or Settings → CI/CD → Runners of a group or project; or reset one on the "
                        <a href=links::href(links::TOKENS)>"Token tools"</a>
                        " page, which shows the new token."
                    </p>
                    {field_error(Field::Token, "reg-token-error")}
                </SecretField>
                <TextField id="reg-description" label="Description" value=description />
                <div class="field">
                    <label for="reg-tags">"Tags"</label>
                    <input
                        id="reg-tags"
                        type="text"
                        spellcheck="false"
                        aria-describedby="reg-tags-help reg-tags-error"
                        aria-invalid=invalid(Field::Tags)
                        bind:value=tags
                    />
                    <p class="help" id="reg-tags-help">"Comma-separated, e.g. docker, linux."</p>
                    {field_error(Field::Tags, "reg-tags-error")}
                </div>
                <fieldset class="checks">
                    <legend>"Behaviour"</legend>
                    <div class="check">
                        <input id="reg-run-untagged" type="checkbox" bind:checked=run_untagged />
                        <label for="reg-run-untagged">"Run untagged jobs"</label>
                    </div>
                    <div class="check">
                        <input id="reg-paused" type="checkbox" bind:checked=paused />
                        <label for="reg-paused">"Paused"</label>
                        <span class="help">" (takes no new jobs until resumed)"</span>
                    </div>
                    <div class="check">
                        <input id="reg-locked" type="checkbox" bind:checked=locked />
                        <label for="reg-locked">"Locked to its current projects"</label>
                    </div>
                </fieldset>
                <div class="field">
                    <label for="reg-access">"Protected refs"</label>
                    <select id="reg-access" prop:value=move || access_level.get() on:change=move |ev| access_level.set(event_target_value(&ev))>
                        <option value="not_protected">"Jobs of any branch or tag"</option>
                        <option value="ref_protected">"Only jobs of protected branches and tags"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="reg-timeout">"Maximum job timeout (seconds)"</label>
                    <input
                        id="reg-timeout"
                        type="text"
                        inputmode="numeric"
                        aria-describedby="reg-timeout-help reg-timeout-error"
                        aria-invalid=invalid(Field::MaximumTimeout)
                        bind:value=maximum_timeout
                    />
                    <p class="help" id="reg-timeout-help">"At least 600 (10 minutes); empty for no limit."</p>
                    {field_error(Field::MaximumTimeout, "reg-timeout-error")}
                </div>
                <div class="field">
                    <label for="reg-note">"Maintenance note"</label>
                    <textarea
                        id="reg-note"
                        rows="3"
                        aria-describedby="reg-note-help reg-note-error"
                        aria-invalid=invalid(Field::MaintenanceNote)
                        prop:value=move || maintenance_note.get()
                        on:input=move |ev| maintenance_note.set(event_target_value(&ev))
                    ></textarea>
                    <p class="help" id="reg-note-help">
                        {move || format!("{} of 1024 characters.", maintenance_note.read().chars().count())}
                    </p>
                    {field_error(Field::MaintenanceNote, "reg-note-error")}
                </div>
                <fieldset>
                    <legend>"Runner information (optional, normally sent by gitlab-runner)"</legend>
                    <TextField id="reg-info-name" label="Name" value=info_name placeholder="gitlab-runner" />
                    <TextField id="reg-info-version" label="Version" value=info_version placeholder="16.11.1" />
                    <TextField id="reg-info-revision" label="Revision" value=info_revision />
                    <TextField id="reg-info-platform" label="Platform" value=info_platform placeholder="linux" />
                    <TextField id="reg-info-architecture" label="Architecture" value=info_architecture placeholder="amd64" />
                </fieldset>
                <button type="submit" aria-busy=move || pending.get().to_string() disabled=move || pending.get()>
                    "Register runner"
                </button>
                <Show when=move || { pending.get() }><Loading text="Registering with GitLab…" /></Show>
                {move || (!problems.read().is_empty()).then(|| view! {
                    <p class="error" role="alert">"Some fields need a change before GitLab would accept them (see above)."</p>
                })}
                {move || failure.get().map(|e| view! { <Refusal words=register_refusal(&e) error=e /> })}
            </form>
        </section>
    }
}

/// The config.toml entry, with its own copy button.
#[component]
fn ConfigSnippet(snippet: String) -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    let text = StoredValue::new(snippet.clone());
    let copy = move |_| copy_to_clipboard(text.get_value(), copied);
    view! {
        <div class="config-snippet">
            <h3 id="config-snippet-title">"For gitlab-runner's config.toml"</h3>
            <p>"Add this entry to the runner's config.toml (choose the executor you use):"</p>
            <pre aria-labelledby="config-snippet-title" tabindex="0"><code>{snippet}</code></pre>
            <button type="button" on:click=copy>"Copy config.toml entry"</button>
            <p role="status" class="copy-status">
                {move || match copied.get() {
                    Some(true) => "Copied to the clipboard.",
                    Some(false) => "Copying failed: select the text and copy it by hand.",
                    None => "",
                }}
            </p>
        </div>
    }
}
