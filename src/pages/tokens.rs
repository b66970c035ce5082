//! `/tokens`: token tools. Verify or delete a runner by its authentication token,
//! reset a runner's authentication token (by id or by the current token), and reset
//! the registration token of the instance, a group or a project. Every reset and the
//! delete ask first; a new token is shown once. Tokens typed are cleared after use.

use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::{request, ApiError, ProjectRef, TokenResponse};
use crate::components::choose_or_type::{group_choices, project_choices, ChooseOrType};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::fields::SecretField;
use crate::components::refusal::Refusal;
use crate::components::token_reveal::TokenReveal;
use crate::links;
use crate::refusals::{registration_reset_refusal, runner_token_refusal, verified_runner_id};
use crate::session::use_session;

/// What a tool's last run came to.
#[derive(Clone)]
enum Outcome {
    /// Plain words, and a runner to link to.
    Done(String, Option<u64>),
    Refused(String, ApiError),
}

/// One tool's state in the view: busy while its action runs, and the words of
/// its last result (or of a problem found before sending anything).
#[derive(Clone, Copy)]
struct Tool {
    busy: Signal<bool>,
    outcome: RwSignal<Option<Outcome>>,
}

impl Tool {
    fn new(busy: impl Into<Signal<bool>>) -> Self {
        Tool {
            busy: busy.into(),
            outcome: RwSignal::new(None),
        }
    }

    fn view(self, busy_text: &'static str) -> impl IntoView {
        view! {
            <Show when=move || { self.busy.get() }><p class="loading" role="status">{busy_text}</p></Show>
            {move || self.outcome.get().map(|o| match o {
                Outcome::Done(text, runner) => Either::Left(view! {
                    <p class="success" role="status">
                        {text}
                        {runner.map(|id| view! {
                            " " <a href=links::href(&links::runner(id))>{format!("Open runner #{id}")}</a>
                        })}
                    </p>
                }),
                Outcome::Refused(words, error) => Either::Right(view! { <Refusal words=words error=error /> }),
            })}
        }
    }
}

/// A confirmed token reset: the call, and the words for its result.
#[derive(Clone)]
struct Reset {
    req: request::ApiRequest,
    /// Above the new token.
    heading: String,
    /// What happened, for the toast and the result line.
    what: String,
    /// Whose token it is ("group 3"), for the refusal's words.
    subject: String,
}

type ResetAction = Action<Reset, (Reset, Result<TokenResponse, ApiError>)>;

/// Which tool shows the one token currently revealed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    ById,
    ByToken,
    Instance,
    Group,
    Project,
}

#[derive(Clone)]
struct Revealed {
    slot: Slot,
    heading: String,
    expires_at: Option<String>,
}

/// The destructive step waiting for confirmation. Tokens stay in their inputs
/// until then; they are never copied here.
#[derive(Clone, Debug, PartialEq)]
enum Pending {
    DeleteByToken(Option<u64>),
    ResetById(u64),
    ResetByToken,
    ResetInstance,
    ResetGroup(u64),
    ResetProject(ProjectRef),
}

impl Pending {
    fn title(&self) -> String {
        match self {
            Pending::DeleteByToken(Some(id)) => format!("Delete runner #{id}?"),
            Pending::DeleteByToken(None) => "Delete the runner that uses this token?".into(),
            Pending::ResetById(id) => format!("Reset the authentication token of runner #{id}?"),
            Pending::ResetByToken => "Reset this runner's authentication token?".into(),
            Pending::ResetInstance => "Reset the instance's registration token?".into(),
            Pending::ResetGroup(id) => format!("Reset the registration token of group {id}?"),
            Pending::ResetProject(p) => format!("Reset the registration token of project {p}?"),
        }
    }

    fn confirm_label(&self) -> String {
        match self {
            Pending::DeleteByToken(Some(id)) => format!("Delete runner #{id}"),
            Pending::DeleteByToken(None) => "Delete this runner".into(),
            Pending::ResetById(id) => format!("Reset the token of runner #{id}"),
            Pending::ResetByToken => "Reset the runner token now".into(),
            Pending::ResetInstance => "Reset the instance token now".into(),
            Pending::ResetGroup(id) => format!("Reset the token of group {id}"),
            Pending::ResetProject(p) => format!("Reset the token of project {p}"),
        }
    }

    fn body(&self) -> String {
        match self {
            Pending::DeleteByToken(_) => "The runner is removed from GitLab for good and stops taking jobs. This cannot be undone.".into(),
            Pending::ResetById(_) | Pending::ResetByToken => "The old authentication token stops working at once: the runner cannot take jobs until its config.toml holds the new token.".into(),
            Pending::ResetInstance | Pending::ResetGroup(_) | Pending::ResetProject(_) => "The old registration token stops working at once: anything that registers runners with it must be given the new one. Runners already registered keep working.".into(),
        }
    }
}

#[component]
pub fn TokensPage() -> impl IntoView {
    let session = use_session();
    let is_admin = session.is_admin();
    let client = StoredValue::new(session.client.clone());

    // One new token at a time, shown in the section that produced it.
    let shown_token = RwSignal::new(None::<String>);
    let revealed = RwSignal::new(None::<Revealed>);
    let reveal = move |slot: Slot, heading: String, t: TokenResponse| {
        revealed.set(Some(Revealed {
            slot,
            heading,
            expires_at: t.token_expires_at,
        }));
        shown_token.set(Some(t.token));
    };
    let reveal_in = move |slot: Slot| {
        move || {
            revealed.get().filter(|r| r.slot == slot).map(|r| {
                view! { <TokenReveal token=shown_token expires_at=r.expires_at heading=r.heading /> }
            })
        }
    };

    let pending = RwSignal::new(None::<Pending>);
    let confirm_open = RwSignal::new(false);
    let ask = move |p: Pending| {
        pending.set(Some(p));
        confirm_open.set(true);
    };

    // Inputs.
    let verify_token = RwSignal::new(String::new());
    let delete_token = RwSignal::new(String::new());
    let reset_id = RwSignal::new(String::new());
    let reset_token = RwSignal::new(String::new());
    let group_id = RwSignal::new(String::new());
    let project_ref = RwSignal::new(String::new());

    // Each call is an action; a tool's Effect turns its answer into words.
    let verify_call = Action::new_local(move |token: &String| {
        let (c, req) = (client.get_value(), request::verify_runner(token));
        async move { c.send(&req, None).await }
    });
    // Delete by token verifies first, to name the runner in the confirmation.
    let delete_check = Action::new_local(move |token: &String| {
        let (c, req) = (client.get_value(), request::verify_runner(token));
        async move { c.send(&req, None).await }
    });
    let delete_call = Action::new_local(move |(token, id): &(String, Option<u64>)| {
        let (c, req, id) = (
            client.get_value(),
            request::delete_runner_by_token(token),
            *id,
        );
        async move { (id, c.empty(&req, None).await) }
    });
    let reset_action = move || -> ResetAction {
        Action::new_local(move |reset: &Reset| {
            let (c, reset) = (client.get_value(), reset.clone());
            async move {
                let answer = c.json::<TokenResponse>(&reset.req, None).await;
                (reset, answer)
            }
        })
    };
    let (by_id_call, by_token_call) = (reset_action(), reset_action());
    let (instance_call, group_call, project_call) =
        (reset_action(), reset_action(), reset_action());

    let verify = Tool::new(verify_call.pending());
    let (checking, deleting) = (delete_check.pending(), delete_call.pending());
    let delete = Tool::new(Signal::derive(move || checking.get() || deleting.get()));
    let by_id = Tool::new(by_id_call.pending());
    let by_token = Tool::new(by_token_call.pending());
    let instance = Tool::new(instance_call.pending());
    let group = Tool::new(group_call.pending());
    let project = Tool::new(project_call.pending());

    // Verify.
    let on_verify = move |ev: SubmitEvent| {
        ev.prevent_default();
        let token = verify_token.get_untracked();
        if token.trim().is_empty() {
            verify.outcome.set(Some(Outcome::Done(
                "Enter a runner authentication token first.".into(),
                None,
            )));
            return;
        }
        verify.outcome.set(None);
        verify_call.dispatch_local(token.trim().to_string());
    };
    Effect::new(move || {
        let Some(r) = verify_call.value().get() else {
            return;
        };
        verify.outcome.set(Some(match r {
            Ok(raw) => {
                verify_token.set(String::new());
                match verified_runner_id(&raw.text) {
                    Some(id) => Outcome::Done(
                        format!(
                            "The token is valid: it is the authentication token of runner #{id}."
                        ),
                        Some(id),
                    ),
                    None => Outcome::Done(
                        "The token is valid (this GitLab does not say which runner it belongs to)."
                            .into(),
                        None,
                    ),
                }
            }
            Err(e) => Outcome::Refused(runner_token_refusal(&e), e),
        }));
    });

    let on_delete = move |ev: SubmitEvent| {
        ev.prevent_default();
        let token = delete_token.get_untracked();
        if token.trim().is_empty() {
            delete.outcome.set(Some(Outcome::Done(
                "Enter the runner's authentication token first.".into(),
                None,
            )));
            return;
        }
        delete.outcome.set(None);
        delete_check.dispatch_local(token.trim().to_string());
    };
    Effect::new(move || match delete_check.value().get() {
        Some(Ok(raw)) => ask(Pending::DeleteByToken(verified_runner_id(&raw.text))),
        Some(Err(e)) => delete
            .outcome
            .set(Some(Outcome::Refused(runner_token_refusal(&e), e))),
        None => {}
    });

    // Reset a runner's authentication token by id.
    let id_problem = RwSignal::new(None::<String>);
    let on_reset_by_id = move |ev: SubmitEvent| {
        ev.prevent_default();
        match reset_id.get_untracked().trim().parse::<u64>() {
            Ok(id) if id > 0 => {
                id_problem.set(None);
                ask(Pending::ResetById(id));
            }
            _ => id_problem.set(Some("Enter the runner's numeric ID.".into())),
        }
    };

    // Reset by the current token.
    let on_reset_by_token = move |ev: SubmitEvent| {
        ev.prevent_default();
        if reset_token.get_untracked().trim().is_empty() {
            by_token.outcome.set(Some(Outcome::Done(
                "Enter the runner's current authentication token first.".into(),
                None,
            )));
            return;
        }
        ask(Pending::ResetByToken);
    };

    // Registration tokens.
    let group_problem = RwSignal::new(None::<String>);
    let on_reset_group = move |ev: SubmitEvent| {
        ev.prevent_default();
        match group_id.get_untracked().trim().parse::<u64>() {
            Ok(id) if id > 0 => {
                group_problem.set(None);
                ask(Pending::ResetGroup(id));
            }
            _ => group_problem.set(Some("Choose a group or enter its numeric ID.".into())),
        }
    };
    let project_problem = RwSignal::new(None::<String>);
    let on_reset_project = move |ev: SubmitEvent| {
        ev.prevent_default();
        match ProjectRef::parse(&project_ref.get_untracked()) {
            Some(p) => {
                project_problem.set(None);
                ask(Pending::ResetProject(p));
            }
            None => project_problem.set(Some(
                "Choose a project or enter its ID or full path.".into(),
            )),
        }
    };

    let toasts = crate::components::toasts::use_toasts();
    Effect::new(move || match delete_call.value().get() {
        Some((id, Ok(()))) => {
            delete_token.set(String::new());
            let name = id
                .map(|id| format!("Runner #{id}"))
                .unwrap_or_else(|| "The runner".into());
            toasts.success(format!("{name} deleted"));
            delete
                .outcome
                .set(Some(Outcome::Done(format!("{name} is deleted."), None)));
        }
        Some((_, Err(e))) => delete
            .outcome
            .set(Some(Outcome::Refused(runner_token_refusal(&e), e))),
        None => {}
    });
    // A reset's answer: the new token in the tool's slot, or GitLab's refusal in words.
    let on_reset_answer = move |call: ResetAction,
                                tool: Tool,
                                slot: Slot,
                                clear: Option<RwSignal<String>>,
                                refusal: fn(&ApiError, &str) -> String| {
        Effect::new(move || {
            let Some((reset, answer)) = call.value().get() else {
                return;
            };
            match answer {
                Ok(t) => {
                    if let Some(input) = clear {
                        input.set(String::new());
                    }
                    toasts.success(reset.what.clone());
                    tool.outcome.set(Some(Outcome::Done(
                        format!("{}: the old token no longer works.", reset.what),
                        None,
                    )));
                    reveal(slot, reset.heading, t);
                }
                Err(e) => tool
                    .outcome
                    .set(Some(Outcome::Refused(refusal(&e, &reset.subject), e))),
            }
        });
    };
    on_reset_answer(by_id_call, by_id, Slot::ById, Some(reset_id), |e, _| {
        match e.status() {
            Some(403) => "You cannot reset this runner's token: that needs an administrator, or a maintainer of the runner's project or group (instance runners: administrators only).".into(),
            Some(404) => "There is no runner with this ID.".into(),
            _ => e.user_message(),
        }
    });
    on_reset_answer(
        by_token_call,
        by_token,
        Slot::ByToken,
        Some(reset_token),
        |e, _| runner_token_refusal(e),
    );
    on_reset_answer(
        instance_call,
        instance,
        Slot::Instance,
        None,
        registration_reset_refusal,
    );
    on_reset_answer(
        group_call,
        group,
        Slot::Group,
        None,
        registration_reset_refusal,
    );
    on_reset_answer(
        project_call,
        project,
        Slot::Project,
        None,
        registration_reset_refusal,
    );

    // The confirmed step.
    let on_confirm = Callback::new(move |_| {
        let Some(p) = pending.get_untracked() else {
            return;
        };
        let reset = move |call: ResetAction,
                          tool: Tool,
                          heading: String,
                          what: String,
                          subject: String,
                          req| {
            tool.outcome.set(None);
            call.dispatch_local(Reset {
                req,
                heading,
                what,
                subject,
            });
        };
        match p {
            Pending::DeleteByToken(id) => {
                delete.outcome.set(None);
                delete_call.dispatch_local((delete_token.get_untracked().trim().to_string(), id));
            }
            Pending::ResetById(id) => reset(
                by_id_call,
                by_id,
                format!("New authentication token of runner #{id}"),
                format!("The authentication token of runner #{id} is reset"),
                format!("runner #{id}"),
                request::reset_runner_token_by_id(id),
            ),
            Pending::ResetByToken => reset(
                by_token_call,
                by_token,
                "New authentication token of the runner".into(),
                "The runner's authentication token is reset".into(),
                "the runner".into(),
                request::reset_runner_token_by_token(reset_token.get_untracked().trim()),
            ),
            Pending::ResetInstance => reset(
                instance_call,
                instance,
                "New registration token of the instance".into(),
                "The instance's registration token is reset".into(),
                "the instance".into(),
                request::reset_instance_registration_token(),
            ),
            Pending::ResetGroup(id) => reset(
                group_call,
                group,
                format!("New registration token of group {id}"),
                format!("The registration token of group {id} is reset"),
                format!("group {id}"),
                request::reset_group_registration_token(id),
            ),
            Pending::ResetProject(p) => reset(
                project_call,
                project,
                format!("New registration token of project {p}"),
                format!("The registration token of project {p} is reset"),
                format!("project {p}"),
                request::reset_project_registration_token(&p),
            ),
        }
    });

    // Pickers for groups (owners may reset) and projects (maintainers may reset).
    let group_choices = group_choices(client, (!is_admin).then_some(50));
    let project_choices = project_choices(client, 40);

    let dialog_title = move || pending.get().map(|p| p.title()).unwrap_or_default();
    let dialog_label = move || pending.get().map(|p| p.confirm_label()).unwrap_or_default();
    let dialog_body = move || pending.get().map(|p| p.body()).unwrap_or_default();
    let busy = move |tool: Tool| move || tool.busy.get();

    view! {
        <section class="tokens-page" aria-labelledby="tokens-title">
            <h1 id="tokens-title">"Token tools"</h1>
            <p class="lead">"Tokens you type here go only to GitLab, are never kept, and are cleared from the inputs once used."</p>

            <section class="tool" aria-labelledby="verify-title">
                <h2 id="verify-title">"Verify a runner's authentication token"</h2>
                <form on:submit=on_verify>
                    <SecretField id="verify-token" label="Token to verify" value=verify_token />
                    <button type="submit" disabled=busy(verify)>"Verify token"</button>
                </form>
                {verify.view("Asking GitLab…")}
            </section>

            <section class="tool" aria-labelledby="delete-title">
                <h2 id="delete-title">"Delete a runner by its authentication token"</h2>
                <form on:submit=on_delete>
                    <SecretField id="delete-token" label="Token of the runner to delete" value=delete_token />
                    <button type="submit" class="danger" disabled=busy(delete)>"Delete the runner…"</button>
                </form>
                {delete.view("Asking GitLab…")}
            </section>

            <section class="tool" aria-labelledby="reset-id-title">
                <h2 id="reset-id-title">"Reset a runner's authentication token by its ID"</h2>
                <form on:submit=on_reset_by_id>
                    <div class="field">
                        <label for="reset-runner-id">"Runner ID"</label>
                        <input id="reset-runner-id" type="number" min="1" step="1" inputmode="numeric" bind:value=reset_id />
                    </div>
                    <button type="submit" disabled=busy(by_id)>"Reset token by ID…"</button>
                </form>
                {move || id_problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
                {by_id.view("Resetting the token…")}
                {reveal_in(Slot::ById)}
            </section>

            <section class="tool" aria-labelledby="reset-token-title">
                <h2 id="reset-token-title">"Reset a runner's authentication token with its current token"</h2>
                <form on:submit=on_reset_by_token>
                    <SecretField id="reset-current-token" label="Current authentication token" value=reset_token />
                    <button type="submit" disabled=busy(by_token)>"Reset this token…"</button>
                </form>
                {by_token.view("Resetting the token…")}
                {reveal_in(Slot::ByToken)}
            </section>

            <section class="tool" aria-labelledby="instance-title">
                <h2 id="instance-title">"Reset the instance's registration token"</h2>
                {if is_admin {
                    Either::Left(view! {
                        <p class="help">"Used to register instance runners."</p>
                        <button type="button" disabled=busy(instance) on:click=move |_| ask(Pending::ResetInstance)>
                            "Reset instance registration token…"
                        </button>
                    })
                } else {
                    Either::Right(view! {
                        <p class="note">"Only GitLab administrators can reset the instance's registration token. Ask one if instance runners need a new one."</p>
                    })
                }}
                {instance.view("Resetting the token…")}
                {reveal_in(Slot::Instance)}
            </section>

            <section class="tool" aria-labelledby="group-title">
                <h2 id="group-title">"Reset a group's registration token"</h2>
                <form on:submit=on_reset_group>
                    <ChooseOrType
                        id="group"
                        choose_label="Your groups"
                        choose_help="Groups you own: GitLab lets only group owners reset this token."
                        what="groups you own"
                        type_label="Group ID"
                        numeric=true
                        value=group_id
                        choices=group_choices
                    />
                    <button type="submit" disabled=busy(group)>"Reset group registration token…"</button>
                </form>
                {move || group_problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
                {group.view("Resetting the token…")}
                {reveal_in(Slot::Group)}
            </section>

            <section class="tool" aria-labelledby="project-title">
                <h2 id="project-title">"Reset a project's registration token"</h2>
                <form on:submit=on_reset_project>
                    <ChooseOrType
                        id="project"
                        choose_label="Your projects"
                        choose_help="Projects you maintain."
                        what="projects you maintain"
                        type_label="Project ID or path"
                        value=project_ref
                        choices=project_choices
                    />
                    <button type="submit" disabled=busy(project)>"Reset project registration token…"</button>
                </form>
                {move || project_problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
                {project.view("Resetting the token…")}
                {reveal_in(Slot::Project)}
            </section>

            <ConfirmDialog
                open=confirm_open
                title=Signal::derive(dialog_title)
                confirm_label=Signal::derive(dialog_label)
                on_confirm=on_confirm
                danger=true
            >
                <p>{dialog_body}</p>
            </ConfirmDialog>
        </section>
    }
}
