//! `/projects`: the runner endpoints of a project, and the project look-ups a console needs.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use time::OffsetDateTime;

use crate::context::{AppState, Ctx};
use crate::entities;
use crate::error::{ApiError, ApiResult};
use crate::model::{Project, RunnerType, User, World, MAINTAINER};
use crate::paginate;
use crate::routes::runners::{token_body, ListQuery, ALL_SCOPES};

/// `user_project`: by id or full path; invisible projects are "not found".
fn user_project<'w>(world: &'w World, user: &User, id: &str) -> ApiResult<&'w Project> {
    world
        .find_project(id)
        .filter(|p| world.can_see_project(user, p))
        .ok_or_else(|| ApiError::not_found("Project"))
}

/// `authorize_admin_project`: maintainers and administrators.
fn admin_project<'w>(world: &'w World, user: &User, id: &str) -> ApiResult<&'w Project> {
    let project = user_project(world, user, id)?;
    if user.is_admin || world.project_access(user, project) >= MAINTAINER {
        Ok(project)
    } else {
        Err(ApiError::forbidden())
    }
}

// GitLab authorizes these in the resource's `before` block, which Grape runs ahead of
// parameter validation: a project one may not administer answers 403/404 whatever
// the parameters say.

/// `GET /projects/:id/runners`: the project's runners plus instance runners.
pub async fn list_runners(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Response> {
    let world = state.read();
    let user = ctx.authenticate(&world)?;
    let project = admin_project(&world, user, &id)?;
    let query = ListQuery::read(&ctx, Some(&ALL_SCOPES), world.gitlab_version)?;
    Ok(query.respond(&ctx, &world, |r| {
        r.runner_type == RunnerType::Instance || r.projects.contains(&project.id)
    }))
}

/// `POST /projects/:id/runners`: enable a project runner here too.
pub async fn enable_runner(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Response> {
    let mut world = state.write();
    let user = ctx.authenticate(&world)?.clone();
    let project_id = admin_project(&world, &user, &id)?.id;
    let mut c = ctx.params.check();
    c.require("runner_id");
    let runner_id = c.integer("runner_id").flatten();
    c.finish()?;
    let runner = runner_id
        .and_then(|r| world.runners.get(&(r as u64)))
        .ok_or_else(|| ApiError::not_found("Runner"))?;
    if runner.runner_type == RunnerType::Group {
        return Err(ApiError::forbidden_because("Runner is a group runner"));
    }
    if !user.is_admin {
        if runner.locked {
            return Err(ApiError::forbidden_because("Runner is locked"));
        }
        if !world.owns_runner(&user, runner) {
            return Err(ApiError::forbidden_because("No access granted"));
        }
    }
    if runner.runner_type == RunnerType::Instance {
        return Err(ApiError::validation(vec![(
            "assign_to",
            "Runner is an instance runner and cannot be assigned to a project".into(),
        )]));
    }
    if runner.projects.contains(&project_id) {
        return Err(ApiError::conflict(
            "Runner was already enabled for this project",
        ));
    }
    let rid = runner.id;
    let runner = world.runners.get_mut(&rid).expect("found above");
    runner.projects.push(project_id);
    let runner = &world.runners[&rid];
    let body = entities::runner(&world, runner, OffsetDateTime::now_utc());
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

/// `DELETE /projects/:id/runners/:runner_id`: refused for the runner's last project.
pub async fn disable_runner(
    State(state): State<AppState>,
    Path((id, raw_runner_id)): Path<(String, String)>,
    ctx: Ctx,
) -> ApiResult<Response> {
    let mut world = state.write();
    let user = ctx.authenticate(&world)?.clone();
    let project_id = admin_project(&world, &user, &id)?.id;
    let mut c = ctx.params.check();
    let runner_id = c.path_integer("runner_id", &raw_runner_id);
    c.finish()?;
    let runner = runner_id
        .and_then(|r| world.runners.get_mut(&r))
        .filter(|r| r.projects.contains(&project_id))
        .ok_or_else(|| ApiError::not_found("Runner"))?;
    if runner.projects.len() == 1 {
        return Err(ApiError::forbidden_because(
            "Only one project associated with the runner. Please remove the runner instead",
        ));
    }
    runner.projects.retain(|p| *p != project_id);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /projects/:id/runners/reset_registration_token`: maintainers.
pub async fn reset_registration_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Response> {
    let mut world = state.write();
    let user = ctx.authenticate(&world)?.clone();
    let project_id = admin_project(&world, &user, &id)?.id;
    let token = world.new_token("GR1348941");
    if let Some(p) = world.projects.iter_mut().find(|p| p.id == project_id) {
        p.registration_token = token.clone();
    }
    Ok((StatusCode::CREATED, axum::Json(token_body(&token, None))).into_response())
}

/// `GET /projects`: what the caller can see, newest first.
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Response> {
    let world = state.read();
    let user = ctx.authenticate(&world)?;
    let mut c = ctx.params.check();
    let search = c.string("search").map(|s| s.to_lowercase());
    let min_access = c.one_of("min_access_level", &["10", "20", "30", "40", "50"]);
    let membership = c.boolean("membership").unwrap_or(false);
    let _simple = c.boolean("simple");
    let (page, per_page) = c.pagination();
    c.finish()?;
    let min_access: u32 = min_access.and_then(|m| m.parse().ok()).unwrap_or(0);
    let mut found: Vec<&Project> = world
        .projects
        .iter()
        .filter(|p| {
            let access = world.project_access(user, p);
            let member_only = membership || min_access > 0 || !user.is_admin;
            (!member_only || access > 0)
                && access >= min_access
                && search.as_deref().is_none_or(|s| {
                    p.name.to_lowercase().contains(s)
                        || world.project_full_path(p).to_lowercase().contains(s)
                })
        })
        .collect();
    found.sort_by_key(|p| std::cmp::Reverse(p.id));
    Ok(paginate::respond(&ctx, &found, page, per_page, |p| {
        entities::project(&world, p, &ctx.base_url)
    }))
}

/// `GET /projects/:id`.
pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Response> {
    let world = state.read();
    let user = ctx.authenticate(&world)?;
    let project = user_project(&world, user, &id)?;
    Ok(axum::Json(entities::project(&world, project, &ctx.base_url)).into_response())
}
