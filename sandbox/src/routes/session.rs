//! `GET /user` and `GET /version`: who is signed in, and what GitLab this is.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::context::{AppState, Ctx};
use crate::entities;
use crate::error::ApiResult;

pub async fn user(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Response> {
    let world = state.read();
    let user = ctx.authenticate(&world)?;
    Ok(axum::Json(entities::current_user(user, &ctx.base_url)).into_response())
}

pub async fn version(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Response> {
    let world = state.read();
    ctx.authenticate(&world)?;
    let version = format!("{}.0", world.gitlab_version);
    Ok(
        axum::Json(json!({"version": version, "revision": "sandbox", "enterprise": false}))
            .into_response(),
    )
}
