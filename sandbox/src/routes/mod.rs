//! The `/api/v4` route table. Routes a GitLab version lacks are left out, so they
//! answer Grape's `404 {"error":"404 Not Found"}` like any unknown path.

use axum::routing::{get, post};
use axum::Router;

use crate::context::AppState;
use crate::error::ApiError;
use crate::version::GitLabVersion;

mod groups;
pub mod oauth;
mod projects;
mod runner_auth;
pub mod runners;
mod session;
mod user_runners;

pub fn api(version: GitLabVersion) -> Router<AppState> {
    let mut router = Router::new();
    if version.has_runner_managers() {
        router = router.route("/runners/{id}/managers", get(runners::managers));
    }
    if version.has_runner_projects() {
        router = router.route("/runners/{id}/projects", get(runners::projects));
    }
    if version.has_user_runners() {
        router = router.route("/user/runners", post(user_runners::create));
    }
    router
        .route(
            "/runners",
            get(runners::list_owned)
                .post(runner_auth::register)
                .delete(runner_auth::delete_by_token),
        )
        .route("/runners/all", get(runners::list_all))
        .route("/runners/verify", post(runner_auth::verify))
        .route("/jobs/request", post(runner_auth::request_job))
        .route(
            "/runners/reset_registration_token",
            post(runners::reset_instance_registration_token),
        )
        .route(
            "/runners/reset_authentication_token",
            post(runner_auth::reset_token),
        )
        .route(
            "/runners/{id}",
            get(runners::show)
                .put(runners::update)
                .delete(runners::delete),
        )
        .route("/runners/{id}/jobs", get(runners::jobs))
        .route(
            "/runners/{id}/reset_authentication_token",
            post(runners::reset_token_by_id),
        )
        .route("/projects", get(projects::list))
        .route("/projects/{id}", get(projects::show))
        .route(
            "/projects/{id}/runners",
            get(projects::list_runners).post(projects::enable_runner),
        )
        .route(
            "/projects/{id}/runners/reset_registration_token",
            post(projects::reset_registration_token),
        )
        .route(
            "/projects/{id}/runners/{runner_id}",
            axum::routing::delete(projects::disable_runner),
        )
        .route("/groups", get(groups::list))
        .route("/groups/{id}", get(groups::show))
        .route("/groups/{id}/runners", get(groups::list_runners))
        .route(
            "/groups/{id}/runners/reset_registration_token",
            post(groups::reset_registration_token),
        )
        .route("/user", get(session::user))
        .route("/version", get(session::version))
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .fallback(|| async { ApiError::no_route() })
}
