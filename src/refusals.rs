//! GitLab's refusals on the runner tools, said in plain words. GitLab's own
//! message stays visible next to these (the page shows it); this only decides
//! what to tell the user and what to suggest. Pure, so native tests cover it.

use crate::api::ApiError;

fn message(e: &ApiError) -> String {
    match e {
        ApiError::Http { message, .. } => message.to_lowercase(),
        _ => String::new(),
    }
}

/// What to say when disabling a runner in a project failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DisableRefusal {
    /// This is the runner's only project: GitLab wants it deleted instead.
    OnlyProject(String),
    Other(String),
}

pub fn disable_refusal(e: &ApiError, runner_id: u64, project: &str) -> DisableRefusal {
    let msg = message(e);
    match e.status() {
        Some(403) if msg.contains("only one project") => DisableRefusal::OnlyProject(format!(
            "GitLab will not disable runner #{runner_id} in {project}: it is the only project \
             the runner belongs to, and a project runner cannot be left without a project. \
             If the runner is no longer needed, delete it instead."
        )),
        Some(403) => DisableRefusal::Other(format!(
            "You cannot disable runners in {project}: that needs the Maintainer role in the project."
        )),
        Some(404) if msg.contains("project") => DisableRefusal::Other(format!(
            "Project {project} was not found, or you cannot see it."
        )),
        Some(404) => DisableRefusal::Other(format!(
            "Runner #{runner_id} is not enabled in {project} (any more): reload the list."
        )),
        _ => DisableRefusal::Other(e.user_message()),
    }
}

/// What to say when enabling a runner in a project failed.
pub fn enable_refusal(e: &ApiError, runner_id: u64, project: &str) -> String {
    let msg = message(e);
    match e.status() {
        Some(403) if msg.contains("group runner") => format!(
            "Runner #{runner_id} is a group runner: it already serves every project of its \
             group and cannot be enabled in a single project."
        ),
        Some(403) if msg.contains("locked") => format!(
            "Runner #{runner_id} is locked to its current projects. Unlock it on its edit page \
             (as a maintainer of one of its projects) or ask an administrator, then try again."
        ),
        Some(403) if msg.contains("no access") => format!(
            "You cannot enable runner #{runner_id}: you must be a maintainer of one of the \
             projects it already belongs to."
        ),
        Some(403) => format!(
            "You cannot enable runners in {project}: that needs the Maintainer role in the project."
        ),
        Some(409) => format!("Runner #{runner_id} is already enabled in {project}."),
        Some(400) if msg.contains("already") => {
            format!("Runner #{runner_id} is already enabled in {project}.")
        }
        Some(400) if msg.contains("instance runner") => format!(
            "Runner #{runner_id} is an instance runner: it is available to every project \
             already and cannot be assigned to one."
        ),
        Some(404) if msg.contains("project") => {
            format!("Project {project} was not found, or you cannot see it.")
        }
        Some(404) => format!("There is no runner #{runner_id}, or you cannot see it."),
        _ => e.user_message(),
    }
}

/// A registration (`POST /runners`) that failed.
pub fn register_refusal(e: &ApiError) -> String {
    match e.status() {
        Some(410) => REGISTRATION_OFF.into(),
        Some(403) => "GitLab did not accept this registration token. Check that it was copied \
            whole and has not been reset since; you can reset it on the Token tools page to get \
            a new one."
            .into(),
        Some(400) => format!(
            "GitLab did not accept some of the values: {}",
            e.user_message()
        ),
        _ => e.user_message(),
    }
}

/// GitLab's 410 on a registration-token call (17.0 turns them off by default).
pub const REGISTRATION_OFF: &str = "This GitLab has registration tokens turned off (its \
    allow_runner_registration_token setting), so no runner can be registered with one. \
    Create the runner on the New runner page instead: GitLab then gives it its own glrt- token.";

/// A runner authentication token that GitLab refused (verify, delete, reset).
pub fn runner_token_refusal(e: &ApiError) -> String {
    match e.status() {
        Some(403) => "GitLab does not know this runner authentication token: it is mistyped, \
            was reset, or its runner was deleted."
            .into(),
        _ => e.user_message(),
    }
}

/// A registration-token reset of a group or project that failed.
pub fn registration_reset_refusal(e: &ApiError, what: &str) -> String {
    match e.status() {
        Some(410) => REGISTRATION_OFF.into(),
        Some(403) => format!(
            "You cannot reset the registration token of {what}: projects need the Maintainer \
             role, groups the Owner role, the instance an administrator."
        ),
        Some(404) => format!("{what} was not found, or you cannot see it."),
        _ => e.user_message(),
    }
}

/// The runner id in a `POST /runners/verify` answer. Newer GitLab sends
/// `{"id", "token", "token_expires_at"}`; older GitLab answers 200 with no JSON
/// at all (the body may be empty or `"200"`), which still means the token is valid.
pub fn verified_runner_id(body: &str) -> Option<u64> {
    let value: serde_json::Value = serde_json::from_str(body.trim()).ok()?;
    value.get("id")?.as_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, body: &str) -> ApiError {
        ApiError::from_response(status, body, None)
    }

    #[test]
    fn registration_tokens_turned_off_point_to_creating_a_runner() {
        let gone = err(
            410,
            r#"{"message":"410 Gone - runner registration disallowed"}"#,
        );
        assert!(gone.is_gone());
        assert!(register_refusal(&gone).contains("registration tokens turned off"));
        assert!(register_refusal(&gone).contains("New runner"));
        assert_eq!(
            registration_reset_refusal(&gone, "group 3"),
            REGISTRATION_OFF
        );
        assert!(!err(403, "{}").is_gone());
    }

    #[test]
    fn grapes_catch_all_is_a_missing_route_but_a_missing_runner_is_not() {
        assert!(err(404, r#"{"error":"404 Not Found"}"#).is_missing_route());
        assert!(!err(404, r#"{"message":"404 Runner Not Found"}"#).is_missing_route());
        assert!(!err(403, r#"{"message":"403 Forbidden"}"#).is_missing_route());
    }

    #[test]
    fn last_project_refusal_suggests_deleting() {
        let e = err(
            403,
            r#"{"message":"403 Forbidden - Only one project associated with the runner. Please remove the runner instead"}"#,
        );
        match disable_refusal(&e, 3, "platform/api") {
            DisableRefusal::OnlyProject(words) => {
                assert!(words.contains("runner #3"), "{words}");
                assert!(words.contains("only project"), "{words}");
                assert!(words.contains("delete it instead"), "{words}");
            }
            other => panic!("{other:?}"),
        }
        let e = err(404, r#"{"message":"404 Runner Not Found"}"#);
        assert!(matches!(
            disable_refusal(&e, 3, "platform/api"),
            DisableRefusal::Other(w) if w.contains("not enabled")
        ));
    }

    #[test]
    fn enable_refusals_in_words() {
        let said = |status, body: &str| enable_refusal(&err(status, body), 2, "platform/api");
        assert!(said(
            403,
            r#"{"message":"403 Forbidden - Runner is a group runner"}"#
        )
        .contains("is a group runner"));
        assert!(said(403, r#"{"message":"403 Forbidden - Runner is locked"}"#).contains("locked"));
        assert!(
            said(403, r#"{"message":"403 Forbidden - No access granted"}"#)
                .contains("must be a maintainer")
        );
        assert!(said(
            409,
            r#"{"message":"Runner was already enabled for this project"}"#
        )
        .contains("already enabled"));
        assert!(said(
            400,
            r#"{"message":{"runner_projects.runner_id":["has already been taken"]}}"#
        )
        .contains("already enabled"));
        assert!(said(
            400,
            r#"{"message":{"assign_to":["Runner is an instance runner and cannot be assigned to a project"]}}"#
        )
        .contains("instance runner"));
        assert!(said(404, r#"{"message":"404 Runner Not Found"}"#).contains("no runner #2"));
        assert!(
            said(404, r#"{"message":"404 Project Not Found"}"#).contains("Project platform/api")
        );
    }

    #[test]
    fn token_refusals_never_repeat_the_token() {
        let e = err(403, r#"{"message":"403 Forbidden"}"#);
        assert!(runner_token_refusal(&e).contains("does not know"));
        assert!(register_refusal(&e).contains("registration token"));
        assert!(registration_reset_refusal(&e, "group 3").contains("Owner"));
    }

    #[test]
    fn verify_answers_old_and_new() {
        assert_eq!(
            verified_runner_id(r#"{"id":7,"token":"glrt-x","token_expires_at":null}"#),
            Some(7)
        );
        assert_eq!(verified_runner_id(""), None);
        assert_eq!(verified_runner_id("200"), None);
        assert_eq!(verified_runner_id("\"200\""), None);
        assert_eq!(verified_runner_id("OK"), None);
    }
}
