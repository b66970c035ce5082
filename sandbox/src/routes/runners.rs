//! `lib/api/ci/runners.rb`: the user-token endpoints about runners.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use time::OffsetDateTime;

use crate::context::{AppState, Ctx};
use crate::entities;
use crate::error::{ApiError, ApiResult};
use crate::jobs::{jobs_of, JOB_STATUSES};
use crate::model::{Runner, User, World, REPORTER};
use crate::paginate;

pub const TYPES: [&str; 3] = ["instance_type", "group_type", "project_type"];
pub const STATUSES: [&str; 6] = [
    "active",
    "paused",
    "online",
    "offline",
    "never_contacted",
    "stale",
];
/// `AVAILABLE_SCOPES`: legacy types, types and statuses.
pub const ALL_SCOPES: [&str; 11] = [
    "specific",
    "shared",
    "instance_type",
    "group_type",
    "project_type",
    "active",
    "paused",
    "online",
    "offline",
    "never_contacted",
    "stale",
];
const ACCESS_LEVELS: [&str; 2] = ["not_protected", "ref_protected"];

/// The list filters every runner list shares; `scopes` is the allowed `scope` values
/// (None where the endpoint has no `scope`).
pub struct ListQuery {
    scope: Option<String>,
    runner_type: Option<String>,
    status: Option<String>,
    paused: Option<bool>,
    tags: Vec<String>,
    version_prefix: Option<String>,
    pub page: u64,
    pub per_page: u64,
}

impl ListQuery {
    pub fn read(ctx: &Ctx, scopes: Option<&[&str]>) -> ApiResult<Self> {
        let mut c = ctx.params.check();
        let scope = scopes.and_then(|values| c.one_of("scope", values));
        let runner_type = c.one_of("type", &TYPES);
        let paused = c.boolean("paused");
        let status = c.one_of("status", &STATUSES);
        let tags = c.string_list("tag_list").unwrap_or_default();
        let version_prefix = c.string("version_prefix");
        if let Some(prefix) = &version_prefix {
            let ok = prefix.starts_with(|ch: char| ch.is_ascii_digit())
                && prefix.chars().all(|ch| ch.is_ascii_digit() || ch == '.');
            if !ok {
                c.invalid("version_prefix");
            }
        }
        let (page, per_page) = c.pagination();
        c.finish()?;
        Ok(Self {
            scope,
            runner_type,
            status,
            paused,
            tags: tags.into_iter().filter(|t| !t.is_empty()).collect(),
            version_prefix,
            page,
            per_page,
        })
    }

    pub fn matches(&self, r: &Runner, now: OffsetDateTime) -> bool {
        self.scope
            .as_deref()
            .is_none_or(|s| r.matches_scope(s, now))
            && self
                .runner_type
                .as_deref()
                .is_none_or(|t| r.runner_type.as_str() == t)
            && self
                .status
                .as_deref()
                .is_none_or(|s| r.matches_scope(s, now))
            && self.paused.is_none_or(|p| r.paused() == p)
            && r.has_all_tags(&self.tags)
            && self
                .version_prefix
                .as_deref()
                .is_none_or(|v| r.version.as_deref().is_some_and(|rv| rv.starts_with(v)))
    }

    /// Filters the runners `keep` admits and answers one page of them.
    pub fn respond(&self, ctx: &Ctx, world: &World, keep: impl Fn(&Runner) -> bool) -> Response {
        let now = OffsetDateTime::now_utc();
        let found: Vec<&Runner> = world
            .runners
            .values()
            .filter(|r| keep(r) && self.matches(r, now))
            .collect();
        paginate::respond(ctx, &found, self.page, self.per_page, |r| {
            entities::runner(r, now)
        })
    }
}

/// `GET /runners`: the caller's own runners.
pub async fn list_owned(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Response> {
    let world = state.read();
    let user = ctx.authenticate(&world)?;
    let query = ListQuery::read(&ctx, Some(&STATUSES))?;
    Ok(query.respond(&ctx, &world, |r| world.owns_runner(user, r)))
}

/// `GET /runners/all`: administrators only.
pub async fn list_all(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Response> {
    let world = state.read();
    let user = ctx.authenticate(&world)?;
    let query = ListQuery::read(&ctx, Some(&ALL_SCOPES))?;
    if !user.is_admin {
        return Err(ApiError::forbidden());
    }
    Ok(query.respond(&ctx, &world, |_| true))
}

fn runner_id(ctx: &Ctx, raw: &str) -> ApiResult<u64> {
    let mut c = ctx.params.check();
    let id = c.path_integer("id", raw);
    c.finish()?;
    Ok(id.unwrap_or_default())
}

fn no_access() -> ApiError {
    ApiError::forbidden_because("No access granted")
}

/// `get_runner`: the runner, or GitLab's `404 Runner Not Found`.
fn find_runner(world: &World, id: u64) -> ApiResult<&Runner> {
    world
        .runners
        .get(&id)
        .ok_or_else(|| ApiError::not_found("Runner"))
}

/// A runner the user may read (`read_runner`), else 404 or `No access granted`.
fn readable_runner<'w>(world: &'w World, user: &User, id: u64) -> ApiResult<&'w Runner> {
    let runner = find_runner(world, id)?;
    if world.can_read_runner(user, runner) {
        Ok(runner)
    } else {
        Err(no_access())
    }
}

pub async fn show(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Response> {
    let world = state.read();
    let user = ctx.authenticate(&world)?;
    let id = runner_id(&ctx, &raw_id)?;
    let runner = readable_runner(&world, user, id)?;
    let now = OffsetDateTime::now_utc();
    Ok(axum::Json(entities::runner_details(
        &world,
        runner,
        user,
        &ctx.base_url,
        now,
    ))
    .into_response())
}

/// The model validations GitLab runs on save.
pub fn validate(r: &Runner) -> ApiResult<()> {
    let mut errors = vec![];
    if r.maximum_timeout.is_some_and(|t| t < 600) {
        errors.push((
            "maximum_timeout",
            "needs to be at least 10 minutes".to_string(),
        ));
    }
    if !r.run_untagged && r.tag_list.is_empty() {
        errors.push((
            "tags_list",
            "can not be empty when runner is not allowed to pick untagged jobs".to_string(),
        ));
    }
    if r.maintenance_note
        .as_ref()
        .is_some_and(|n| n.chars().count() > 1024)
    {
        errors.push((
            "maintenance_note",
            "is too long (maximum is 1024 characters)".to_string(),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errors))
    }
}

/// acts_as_taggable: trimmed, blanks dropped, duplicates removed, order kept.
pub fn normalize_tags(tags: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for tag in tags {
        let tag = tag.trim().to_string();
        if !tag.is_empty() && !out.contains(&tag) {
            out.push(tag);
        }
    }
    out
}

pub async fn update(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Response> {
    let mut world = state.write();
    let user = ctx.authenticate(&world)?.clone();
    let mut c = ctx.params.check();
    let id = c.path_integer("id", &raw_id);
    let description = c.string("description");
    let active = c.boolean("active");
    // GitLab before 14.8 does not declare `paused`: Grape drops undeclared parameters.
    let legacy = state.legacy_pause;
    let paused = if legacy { None } else { c.boolean("paused") };
    let tag_list = c.string_list("tag_list");
    let run_untagged = c.boolean("run_untagged");
    let locked = c.boolean("locked");
    let access_level = c.one_of("access_level", &ACCESS_LEVELS);
    let maximum_timeout = c.integer("maximum_timeout");
    let maintenance_note = c.string("maintenance_note");
    const LISTED: [&str; 8] = [
        "description",
        "active",
        "paused",
        "tag_list",
        "run_untagged",
        "locked",
        "access_level",
        "maximum_timeout",
    ];
    let listed: Vec<&str> = LISTED
        .into_iter()
        .filter(|k| !(legacy && *k == "paused"))
        .collect();
    let mut accepted = listed.clone();
    accepted.push("maintenance_note");
    c.at_least_one_of(&accepted, &listed);
    if !legacy {
        c.mutually_exclusive("active", "paused");
    }
    c.finish()?;

    let id = id.unwrap_or_default();
    let runner = find_runner(&world, id)?;
    if !world.can_update_runner(&user, runner) {
        return Err(no_access());
    }
    let mut next = runner.clone();
    if ctx.params.has("description") {
        next.description = description;
    }
    if let Some(active) = active {
        next.active = active;
    }
    if let Some(paused) = paused {
        next.active = !paused;
    }
    if let Some(tags) = tag_list {
        next.tag_list = normalize_tags(tags);
    }
    if let Some(v) = run_untagged {
        next.run_untagged = v;
    }
    if let Some(v) = locked {
        next.locked = v;
    }
    if let Some(level) = access_level {
        next.ref_protected = level == "ref_protected";
    }
    if let Some(timeout) = maximum_timeout {
        next.maximum_timeout = timeout;
    }
    if ctx.params.has("maintenance_note") {
        next.maintenance_note = maintenance_note;
    }
    validate(&next)?;
    let now = OffsetDateTime::now_utc();
    next.updated_at = now;
    let body = entities::runner_details(&world, &next, &user, &ctx.base_url, now);
    world.runners.insert(id, next);
    Ok(axum::Json(body).into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Response> {
    let mut world = state.write();
    let user = ctx.authenticate(&world)?.clone();
    let id = runner_id(&ctx, &raw_id)?;
    let runner = find_runner(&world, id)?;
    if !user.is_admin {
        if runner.projects.len() > 1 {
            return Err(ApiError::forbidden_because(
                "Runner associated with more than one project",
            ));
        }
        if !world.can_update_runner(&user, runner) {
            return Err(no_access());
        }
    }
    world.runners.remove(&id);
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn jobs(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Response> {
    let world = state.read();
    let user = ctx.authenticate(&world)?;
    let mut c = ctx.params.check();
    let id = c.path_integer("id", &raw_id);
    let _system_id = c.string("system_id");
    let status = c.one_of("status", &JOB_STATUSES);
    let _order_by = c.one_of("order_by", &["id"]);
    let sort = c.one_of("sort", &["asc", "desc"]);
    let (page, per_page) = c.pagination();
    c.finish()?;

    let runner = readable_runner(&world, user, id.unwrap_or_default())?;
    let mut jobs: Vec<_> = jobs_of(&world, runner)
        .into_iter()
        .filter(|j| status.as_deref().is_none_or(|s| j.status == s))
        .filter(|j| user.is_admin || world.project_access_by_id(user, j.project_id) >= REPORTER)
        .collect();
    if sort.as_deref() != Some("asc") {
        jobs.reverse();
    }
    Ok(paginate::respond(&ctx, &jobs, page, per_page, |j| {
        entities::job(&world, j, &ctx.base_url)
    }))
}

/// `GET /runners/:id/managers` (newer GitLab): who may read the runner may list them.
pub async fn managers(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Response> {
    let world = state.read();
    let user = ctx.authenticate(&world)?;
    let id = runner_id(&ctx, &raw_id)?;
    let runner = readable_runner(&world, user, id)?;
    let now = OffsetDateTime::now_utc();
    Ok(axum::Json(entities::runner_managers(runner, now)).into_response())
}

pub fn token_body(token: &str, expires: Option<OffsetDateTime>) -> serde_json::Value {
    json!({ "token": token, "token_expires_at": expires.map(entities::timestamp) })
}

/// `POST /runners/:id/reset_authentication_token`.
pub async fn reset_token_by_id(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Response> {
    let mut world = state.write();
    let user = ctx.authenticate(&world)?.clone();
    let id = runner_id(&ctx, &raw_id)?;
    let runner = find_runner(&world, id)?;
    if !world.can_update_runner(&user, runner) {
        return Err(no_access());
    }
    let token = world.new_token("glrt-");
    let runner = world.runners.get_mut(&id).expect("checked above");
    runner.token = token.clone();
    let body = token_body(&token, runner.token_expires_at);
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

/// `POST /runners/reset_registration_token`: the instance's, administrators only.
pub async fn reset_instance_registration_token(
    State(state): State<AppState>,
    ctx: Ctx,
) -> ApiResult<Response> {
    let mut world = state.write();
    let user = ctx.authenticate(&world)?;
    if !user.is_admin {
        return Err(ApiError::forbidden());
    }
    let token = world.new_token("GR1348941");
    world.instance_registration_token = token.clone();
    Ok((StatusCode::CREATED, axum::Json(token_body(&token, None))).into_response())
}
