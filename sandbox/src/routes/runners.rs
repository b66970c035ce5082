//! `lib/api/ci/runners.rb`: the user-token endpoints about runners.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use time::OffsetDateTime;

use crate::context::{Allow, AppState, Ctx};
use crate::entities;
use crate::error::{ApiError, ApiResult};
use crate::jobs::{jobs_of, JOB_STATUSES};
use crate::model::{Runner, User, World, REPORTER};
use crate::paginate::{self, Cursor};
use crate::version::GitLabVersion;

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
pub const ACCESS_LEVELS: [&str; 2] = ["not_protected", "ref_protected"];

/// The list filters every runner list shares; `scopes` is the allowed `scope` values
/// (None where the endpoint has no `scope`).
pub struct ListQuery {
    scope: Option<String>,
    runner_type: Option<String>,
    status: Option<String>,
    paused: Option<bool>,
    tags: Vec<String>,
    version_prefix: Option<String>,
    version: GitLabVersion,
    pub page: u64,
    pub per_page: u64,
}

/// Grape's `regexp: /^[\d+.]+/`: Ruby's `^` is a line start, so some line must
/// begin with a digit, `+` or `.`.
pub fn valid_version_prefix(prefix: &str) -> bool {
    prefix
        .split('\n')
        .any(|line| line.starts_with(|ch: char| ch.is_ascii_digit() || ch == '+' || ch == '.'))
}

impl ListQuery {
    pub fn read(ctx: &Ctx, scopes: Option<&[&str]>, version: GitLabVersion) -> ApiResult<Self> {
        let mut c = ctx.params.check();
        let scope = scopes.and_then(|values| c.one_of("scope", values));
        let runner_type = c.one_of("type", &TYPES);
        let paused = c.boolean("paused");
        let status = c.one_of("status", &STATUSES);
        let tags = c.string_list("tag_list").unwrap_or_default();
        // Before 16.6 `version_prefix` is not declared: Grape ignores it.
        let version_prefix = if version.has_version_prefix() {
            c.string("version_prefix")
        } else {
            None
        };
        if let Some(prefix) = &version_prefix {
            if !valid_version_prefix(prefix) {
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
            version,
            page,
            per_page,
        })
    }

    pub fn matches(&self, world: &World, r: &Runner, now: OffsetDateTime) -> bool {
        let v = self.version;
        self.scope
            .as_deref()
            .is_none_or(|s| r.matches_scope_for(s, now, v))
            && self
                .runner_type
                .as_deref()
                .is_none_or(|t| r.runner_type.as_str() == t)
            && self
                .status
                .as_deref()
                .is_none_or(|s| r.matches_scope_for(s, now, v))
            && self.paused.is_none_or(|p| r.paused() == p)
            && r.has_all_tags(&self.tags)
            // `with_version_prefix` joins the runner's managers: any may match.
            && self.version_prefix.as_deref().is_none_or(|prefix| {
                world
                    .runner_managers(r)
                    .iter()
                    .any(|m| m.version.as_deref().is_some_and(|mv| mv.starts_with(prefix)))
            })
    }

    /// No filter at all: every runner is listed.
    fn filters_nothing(&self) -> bool {
        self.scope.is_none()
            && self.runner_type.is_none()
            && self.status.is_none()
            && self.paused.is_none()
            && self.tags.is_empty()
            && self.version_prefix.is_none()
    }

    /// Every runner, unfiltered: the page is found by position, without touching
    /// each runner, as GitLab's indexed query does; walking 100,000 runners per
    /// request made the sandbox, not the client, what a large benchmark measured.
    pub fn respond_all(&self, ctx: &Ctx, world: &World) -> Response {
        if !self.filters_nothing() {
            return self.respond(ctx, world, |_| true);
        }
        let now = OffsetDateTime::now_utc();
        let start = ((self.page - 1) * self.per_page) as usize;
        let on_page: Vec<&Runner> = world
            .runners
            .values()
            .skip(start)
            .take(self.per_page as usize)
            .collect();
        paginate::respond_page(
            ctx,
            &on_page,
            world.runners.len(),
            self.page,
            self.per_page,
            true,
            |r| entities::runner(world, r, now),
        )
    }

    /// Filters the runners `keep` admits and answers one page of them.
    pub fn respond(&self, ctx: &Ctx, world: &World, keep: impl Fn(&Runner) -> bool) -> Response {
        let now = OffsetDateTime::now_utc();
        let found: Vec<&Runner> = world
            .runners
            .values()
            .filter(|r| keep(r) && self.matches(world, r, now))
            .collect();
        paginate::respond(ctx, &found, self.page, self.per_page, |r| {
            entities::runner(world, r, now)
        })
    }
}

/// `GET /runners`: the caller's own runners.
pub async fn list_owned(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Response> {
    let world = state.read();
    let user = ctx.authenticate(&world)?;
    let query = ListQuery::read(&ctx, Some(&STATUSES), world.gitlab_version)?;
    Ok(query.respond(&ctx, &world, |r| world.owns_runner(user, r)))
}

/// `GET /runners/all`: administrators only.
pub async fn list_all(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Response> {
    let world = state.read();
    let user = ctx.authenticate(&world)?;
    let query = ListQuery::read(&ctx, Some(&ALL_SCOPES), world.gitlab_version)?;
    if !user.is_admin {
        return Err(ApiError::forbidden());
    }
    Ok(query.respond_all(&ctx, &world))
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
    let user = ctx.authenticate_for(&world, Allow::ManageRunner)?;
    let mut c = ctx.params.check();
    let id = c.path_integer("id", &raw_id);
    // 18.4: `optional :include_projects, type: Boolean, default: true`.
    let include_projects = if world.gitlab_version.has_runner_projects() {
        c.boolean("include_projects").unwrap_or(true)
    } else {
        true
    };
    c.finish()?;
    let runner = readable_runner(&world, user, id.unwrap_or_default())?;
    let now = OffsetDateTime::now_utc();
    Ok(axum::Json(entities::runner_details(
        &world,
        runner,
        user,
        &ctx.base_url,
        now,
        include_projects,
    ))
    .into_response())
}

/// `GET /runners/:id/projects` (18.4): the runner's projects the caller may see,
/// newest first (`ProjectsFinder`'s order), paged.
pub async fn projects(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Response> {
    let world = state.read();
    let user = ctx.authenticate_for(&world, Allow::ManageRunner)?;
    let mut c = ctx.params.check();
    let id = c.path_integer("id", &raw_id);
    let (page, per_page) = c.pagination();
    c.finish()?;
    let runner = readable_runner(&world, user, id.unwrap_or_default())?;
    let mut found: Vec<_> = entities::visible_runner_projects(&world, runner, user).collect();
    found.sort_by_key(|p| std::cmp::Reverse(p.id));
    Ok(paginate::respond(&ctx, &found, page, per_page, |p| {
        entities::project_basic(&world, p, &ctx.base_url)
    }))
}

/// The model validations GitLab runs on save, answered as `render_validation_error!`.
pub fn validate(r: &Runner) -> ApiResult<()> {
    let errors = validation_errors(r);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errors))
    }
}

/// The failed model validations: (attribute, message).
pub fn validation_errors(r: &Runner) -> Vec<(&'static str, String)> {
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
    errors
}

/// ActiveModel's `full_messages.to_sentence`: "Maximum timeout needs to be at
/// least 10 minutes and Tags list can not be empty ...".
pub fn full_messages_sentence(errors: &[(&str, String)]) -> String {
    let full: Vec<String> = errors
        .iter()
        .map(|(field, message)| {
            let human = field.replace('_', " ");
            let mut chars = human.chars();
            let human = match chars.next() {
                Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
                None => String::new(),
            };
            format!("{human} {message}")
        })
        .collect();
    match full.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
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
    let user = ctx.authenticate_for(&world, Allow::ManageRunner)?.clone();
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
    let body = entities::runner_details(&world, &next, &user, &ctx.base_url, now, true);
    world.runners.insert(id, next);
    Ok(axum::Json(body).into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Response> {
    let mut world = state.write();
    let user = ctx.authenticate_for(&world, Allow::ManageRunner)?.clone();
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
    let user = ctx.authenticate_for(&world, Allow::ManageRunner)?;
    let v = world.gitlab_version;
    let mut c = ctx.params.check();
    let id = c.path_integer("id", &raw_id);
    // 16.8 declares `system_id`; before, Grape ignores it.
    let system_id = if v.has_jobs_system_id() {
        c.string("system_id").filter(|s| !s.trim().is_empty())
    } else {
        None
    };
    let status = c.one_of("status", &JOB_STATUSES);
    let _order_by = c.one_of("order_by", &["id"]);
    let sort = c.one_of("sort", &["asc", "desc"]);
    // 18.4: `cursor`, read when `pagination=keyset`.
    let cursor_text = if v.has_jobs_keyset() {
        c.string("cursor")
    } else {
        None
    };
    let keyset = v.has_jobs_keyset() && ctx.params.raw("pagination") == Some(&json!("keyset"));
    let (page, per_page) = c.pagination();
    c.finish()?;
    // Keyset pages take `per_page` as given (no 100 cap).
    let keyset_per_page = match ctx.params.raw("per_page") {
        Some(serde_json::Value::Number(n)) => n.as_u64(),
        Some(serde_json::Value::String(s)) => s.parse::<u64>().ok(),
        _ => None,
    }
    .filter(|n| *n >= 1)
    .unwrap_or(20);

    let runner = readable_runner(&world, user, id.unwrap_or_default())?;
    // Some(None): a machine the runner does not have, so no jobs.
    let machine = system_id.as_ref().map(|sid| {
        world
            .runner_managers(runner)
            .iter()
            .position(|m| &m.system_id == sid)
    });
    let mut jobs: Vec<_> = jobs_of(&world, runner)
        .into_iter()
        .filter(|j| status.as_deref().is_none_or(|s| j.status == s))
        .filter(|j| machine.is_none_or(|m| m.is_some() && j.manager == m))
        .filter(|j| user.is_admin || world.project_access_by_id(user, j.project_id) >= REPORTER)
        .collect();
    let ascending = sort.as_deref() == Some("asc");
    if !ascending {
        jobs.reverse();
    }
    let render = |j: &crate::jobs::Job| entities::job(&world, j, &ctx.base_url);
    if keyset {
        // `Gitlab::Pagination::CursorBasedKeyset` supports jobs only as `id: :desc`.
        if ascending {
            return Err(ApiError::keyset_unavailable());
        }
        let cursor = match cursor_text.as_deref().filter(|t| !t.is_empty()) {
            None => None,
            Some(text) => {
                Some(Cursor::decode(text).ok_or_else(|| ApiError::invalid("cursor is invalid"))?)
            }
        };
        // The link repeats Grape's params, defaults included.
        let mut params = paginate::query_pairs(&ctx);
        let mut default = |key: &str, value: String| {
            if !params.iter().any(|(k, _)| k == key) {
                params.push((key.to_string(), value));
            }
        };
        default("id", raw_id.clone());
        default("page", "1".into());
        default("per_page", "20".into());
        default("sort", "desc".into());
        return Ok(paginate::respond_keyset(
            &ctx,
            &jobs,
            |j| j.id,
            cursor,
            keyset_per_page,
            params,
            render,
        ));
    }
    // Filtered by machine, GitLab pages without counting.
    let count = system_id.is_none();
    Ok(paginate::respond_counting(
        &ctx, &jobs, page, per_page, count, render,
    ))
}

/// `GET /runners/:id/managers` (newer GitLab): who may read the runner may list them.
pub async fn managers(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Response> {
    let world = state.read();
    let user = ctx.authenticate_for(&world, Allow::ManageRunner)?;
    let id = runner_id(&ctx, &raw_id)?;
    let runner = readable_runner(&world, user, id)?;
    let now = OffsetDateTime::now_utc();
    Ok(axum::Json(entities::runner_managers(&world, runner, now)).into_response())
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
    let user = ctx.authenticate_for(&world, Allow::ManageRunner)?.clone();
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
