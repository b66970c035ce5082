//! `/register`: register a runner with a registration token (`POST /runners`).
//! The new authentication token is shown once, with the config.toml entry to paste;
//! a refusal keeps the form as typed.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::{request, ApiError, RegisteredRunner};
use crate::components::copy_block::CopyBlock;
use crate::components::fields::{SecretField, TextField};
use crate::components::loading::Loading;
use crate::components::refusal::Refusal;
use crate::components::relative_time::RelativeTime;
use crate::components::runner_settings::{RunnerSettingsFields, SettingsInputs};
use crate::components::token_reveal::TokenReveal;
use crate::links;
use crate::refusals::register_refusal;
use crate::register_form::{config_toml, field_message, Field, RegisterForm};
use crate::session::use_session;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let session = use_session();
    let client = session.client.clone();
    let gitlab_url = session.gitlab_url.clone();

    let token = RwSignal::new(String::new());
    let settings = SettingsInputs::default();
    let info_name = RwSignal::new(String::new());
    let info_version = RwSignal::new(String::new());
    let info_revision = RwSignal::new(String::new());
    let info_platform = RwSignal::new(String::new());
    let info_architecture = RwSignal::new(String::new());

    let form = move || RegisterForm {
        token: token.get_untracked(),
        settings: settings.read(),
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
                settings.description.get_untracked(),
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
    let field_message =
        move |field: Field| move || field_message(&problems.read(), failure.read().as_ref(), field);
    let field_error = move |field: Field, id: &'static str| {
        let message = field_message(field);
        view! {
            {move || message().map(|m| view! { <p class="field-error" id=id role="alert">{m}</p> })}
        }
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
                        view! {
                            <CopyBlock
                                id="config-snippet"
                                title="For gitlab-runner's config.toml"
                                intro="Add this entry to the runner's config.toml (choose the executor you use):"
                                text=snippet
                                button="Copy config.toml entry"
                            />
                        }
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
                <RunnerSettingsFields prefix="reg" inputs=settings message=Callback::new(move |f| field_message(f)()) />
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
