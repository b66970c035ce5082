//! `/groups`: a group's runners and token, and the group look-ups a console needs.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::context::{AppState, Ctx};
use crate::entities;
use crate::error::{ApiError, ApiResult};
use crate::model::{Group, RunnerType, User, World, MAINTAINER, OWNER};
use crate::paginate;
use crate::routes::runners::{token_body, ListQuery};

fn user_group<'w>(world: &'w World, user: &User, id: &str) -> ApiResult<&'w Group> {
    world
        .find_group(id)
        .filter(|g| world.can_see_group(user, g))
        .ok_or_else(|| ApiError::not_found("Group"))
}

/// `GET /groups/:id/runners`: the group's runners plus instance runners; no `scope`.
pub async fn list_runners(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Response> {
    let world = state.read();
    let user = ctx.authenticate(&world)?;
    // Authorized before the parameters are validated, as GitLab's `before` block is.
    let group = user_group(&world, user, &id)?;
    if !user.is_admin && world.group_access(user, group.id) < MAINTAINER {
        return Err(ApiError::forbidden());
    }
    let query = ListQuery::read(&ctx, None, world.gitlab_version)?;
    Ok(query.respond(&ctx, &world, |r| {
        r.runner_type == RunnerType::Instance || r.group_id == Some(group.id)
    }))
}

/// `POST /groups/:id/runners/reset_registration_token`: group owners.
pub async fn reset_registration_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Response> {
    let mut world = state.write();
    let user = ctx.authenticate(&world)?.clone();
    let group_id = user_group(&world, &user, &id)?.id;
    if !user.is_admin && world.group_access(&user, group_id) < OWNER {
        return Err(ApiError::forbidden());
    }
    let token = world.new_token("GR1348941");
    if let Some(g) = world.groups.iter_mut().find(|g| g.id == group_id) {
        g.registration_token = token.clone();
    }
    Ok((StatusCode::CREATED, axum::Json(token_body(&token, None))).into_response())
}

/// `GET /groups`: groups the caller can see, by name.
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Response> {
    let world = state.read();
    let user = ctx.authenticate(&world)?;
    let mut c = ctx.params.check();
    let search = c.string("search").map(|s| s.to_lowercase());
    let min_access = c.one_of("min_access_level", &["10", "20", "30", "40", "50"]);
    let _all_available = c.boolean("all_available");
    let owned = c.boolean("owned").unwrap_or(false);
    let (page, per_page) = c.pagination();
    c.finish()?;
    let min_access: u32 = min_access.and_then(|m| m.parse().ok()).unwrap_or(0);
    let min_access = if owned { OWNER } else { min_access };
    let mut found: Vec<&Group> = world
        .groups
        .iter()
        .filter(|g| {
            world.can_see_group(user, g)
                && world.group_access(user, g.id) >= min_access
                && search.as_deref().is_none_or(|s| {
                    g.name.to_lowercase().contains(s) || g.path.to_lowercase().contains(s)
                })
        })
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(paginate::respond(&ctx, &found, page, per_page, |g| {
        entities::group(g, &ctx.base_url)
    }))
}

/// `GET /groups/:id`.
pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Response> {
    let world = state.read();
    let user = ctx.authenticate(&world)?;
    let group = user_group(&world, user, &id)?;
    Ok(axum::Json(entities::group(group, &ctx.base_url)).into_response())
}
