//! `lib/api/ci/runner.rb`: endpoints a runner calls with its own token in the body.
//! No user token is involved; a wrong token answers `403 Forbidden`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use time::OffsetDateTime;

use crate::context::{AppState, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::model::{Runner, RunnerManager, RunnerType, World};
use crate::routes::runners::{normalize_tags, token_body, validate};

fn required_token(ctx: &Ctx) -> ApiResult<String> {
    let mut c = ctx.params.check();
    c.require("token");
    let token = c.string("token");
    c.finish()?;
    Ok(token.unwrap_or_default())
}

fn runner_by_token(world: &World, token: &str) -> ApiResult<u64> {
    world
        .runners
        .values()
        .find(|r| !token.is_empty() && r.token == token)
        .map(|r| r.id)
        .ok_or_else(ApiError::forbidden)
}

/// `POST /runners`: the registration token decides the new runner's type and owner.
pub async fn register(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Response> {
    let mut c = ctx.params.check();
    c.require("token");
    let token = c.string("token").unwrap_or_default();
    let description = c.string("description");
    let maintainer_note = c.string("maintainer_note");
    let maintenance_note = c.string("maintenance_note");
    let info = c.hash("info").unwrap_or_default();
    let active = c.boolean("active");
    let paused = c.boolean("paused");
    let locked = c.boolean("locked");
    let run_untagged = c.boolean("run_untagged");
    let tag_list = c.string_list("tag_list");
    let access_level = c.one_of("access_level", &["not_protected", "ref_protected"]);
    let maximum_timeout = c.integer("maximum_timeout");
    c.mutually_exclusive("maintainer_note", "maintenance_note");
    c.mutually_exclusive("active", "paused");
    c.finish()?;

    let mut world = state.write();
    let allowed = world.registration_tokens_allowed();
    let owner = if !token.is_empty() && token == world.instance_registration_token {
        Some((RunnerType::Instance, None, vec![]))
    } else if let Some(g) = world.groups.iter().find(|g| g.registration_token == token) {
        Some((RunnerType::Group, Some(g.id), vec![]))
    } else {
        world
            .projects
            .iter()
            .find(|p| p.registration_token == token)
            .map(|p| (RunnerType::Project, None, vec![p.id]))
    };
    // `RegisterRunnerService`: with registration tokens off, any token but an
    // empty one answers 410 (whether it is valid is not told); otherwise an
    // unknown token is refused, with a reason from 16.0.
    let (runner_type, group_id, projects) = match owner {
        _ if !allowed && !token.is_empty() => {
            return Err(ApiError::gone("runner registration disallowed"))
        }
        Some(owner) => owner,
        None if world.gitlab_version.says_invalid_token_supplied() => {
            return Err(ApiError::forbidden_because("invalid token supplied"))
        }
        None => return Err(ApiError::forbidden()),
    };

    let info_text = |key: &str| info.get(key).and_then(|v| v.as_str()).map(str::to_string);
    let runner = Runner {
        ip_address: Some("127.0.0.1".into()),
        name: info_text("name"),
        version: info_text("version"),
        revision: info_text("revision"),
        platform: info_text("platform"),
        architecture: info_text("architecture"),
        ..NewRunner {
            runner_type,
            group_id,
            projects,
            description,
            active: paused.map(|p| !p).or(active).unwrap_or(true),
            tag_list,
            run_untagged,
            locked,
            maximum_timeout,
            access_level,
            maintenance_note: maintenance_note.or(maintainer_note),
        }
        .build(&mut world)
    };
    validate(&runner)?;
    Ok(store_new_runner(&mut world, runner))
}

/// What both ways of adding a runner set (`POST /runners`, `POST /user/runners`),
/// as read from their parameters.
pub struct NewRunner {
    pub runner_type: RunnerType,
    pub group_id: Option<u64>,
    pub projects: Vec<u64>,
    pub description: Option<String>,
    pub active: bool,
    pub tag_list: Option<Vec<String>>,
    pub run_untagged: Option<bool>,
    pub locked: Option<bool>,
    pub maximum_timeout: Option<Option<i64>>,
    pub access_level: Option<String>,
    pub maintenance_note: Option<String>,
}

impl NewRunner {
    /// The runner as GitLab saves it, with the next id: never contacted, no
    /// machines, a `glrt-` token, GitLab's defaults for what was not given.
    pub fn build(self, world: &mut World) -> Runner {
        let now = OffsetDateTime::now_utc();
        Runner {
            id: world.next_runner_id,
            description: self.description,
            ip_address: None,
            active: self.active,
            runner_type: self.runner_type,
            name: None,
            created_at: now,
            updated_at: now,
            contacted_at: None,
            tag_list: normalize_tags(self.tag_list.unwrap_or_default()),
            run_untagged: self.run_untagged.unwrap_or(true),
            locked: self.locked.unwrap_or(false),
            maximum_timeout: self.maximum_timeout.flatten(),
            ref_protected: self.access_level.as_deref() == Some("ref_protected"),
            version: None,
            revision: None,
            platform: None,
            architecture: None,
            maintenance_note: self.maintenance_note,
            group_id: self.group_id,
            projects: self.projects,
            token: world.new_token("glrt-"),
            token_expires_at: None,
            job_count: 0,
            machines: 0,
            managers: vec![],
            creator_id: None,
        }
    }
}

/// Stores a validated new runner and answers 201 with
/// `Entities::Ci::RunnerRegistrationDetails` (the token's only showing).
pub fn store_new_runner(world: &mut World, runner: Runner) -> Response {
    let body = json!({
        "id": runner.id,
        "token": runner.token,
        "token_expires_at": runner.token_expires_at.map(crate::entities::timestamp),
    });
    world.next_runner_id = runner.id + 1;
    world.runners.insert(runner.id, runner);
    (StatusCode::CREATED, axum::Json(body)).into_response()
}

/// `DELETE /runners` with the runner's authentication token.
pub async fn delete_by_token(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Response> {
    let token = required_token(&ctx)?;
    let mut world = state.write();
    let id = runner_by_token(&world, &token)?;
    world.runners.remove(&id);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `ensure_manager`: runner `id`'s stored machine `system_id`, recorded (not yet
/// contacted) when new. `None` for one of its generated machines: those are
/// derived from the runner's own contact, and nothing is stored for them.
fn ensure_machine(
    world: &mut World,
    id: u64,
    system_id: String,
    now: OffsetDateTime,
) -> Option<&mut RunnerManager> {
    let all = world.runner_managers(&world.runners[&id]);
    let generated = all.len() - world.runners[&id].managers.len();
    if all[..generated].iter().any(|m| m.system_id == system_id) {
        return None;
    }
    let runner = world.runners.get_mut(&id).expect("a runner found by token");
    let at = match runner
        .managers
        .iter()
        .position(|m| m.system_id == system_id)
    {
        Some(at) => at,
        None => {
            runner.managers.push(RunnerManager {
                id: id * 10 + all.len() as u64,
                system_id,
                version: None,
                revision: None,
                platform: None,
                architecture: None,
                ip_address: Some("127.0.0.1".into()),
                created_at: now,
                contacted_at: None,
            });
            runner.managers.len() - 1
        }
    };
    Some(&mut runner.managers[at])
}

/// `POST /runners/verify`: 200 with the newer GitLab body. `system_id` is optional
/// in GitLab's code (the docs call it required for `glrt-` tokens); when given, the
/// machine is recorded (`ensure_manager`). A created runner's (`glrt-`) verify does
/// not count as contact, and the sandbox never counts it.
pub async fn verify(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Response> {
    let token = required_token(&ctx)?;
    let mut c = ctx.params.check();
    let system_id = c.string("system_id");
    c.finish()?;
    let mut world = state.write();
    let id = runner_by_token(&world, &token)?;
    if let Some(system_id) = system_id.filter(|s| !s.is_empty()) {
        ensure_machine(&mut world, id, system_id, OffsetDateTime::now_utc());
    }
    let runner = &world.runners[&id];
    let body = json!({
        "id": id,
        "token": runner.token,
        "token_expires_at": runner.token_expires_at.map(crate::entities::timestamp),
    });
    Ok((StatusCode::OK, axum::Json(body)).into_response())
}

/// `POST /jobs/request`: a runner asking for work, as `gitlab-runner run` does every
/// few seconds. As GitLab's `heartbeat`, the machine named by `system_id` is
/// recorded (or refreshed) with what `info` says of it (`name`, `version`,
/// `revision`, `platform`, `architecture`), and the runner and that machine
/// count as contacted now. The sandbox queues no jobs, so the answer is
/// GitLab's "nothing for you": 204 with `X-GitLab-Last-Update`.
pub async fn request_job(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Response> {
    let mut c = ctx.params.check();
    c.require("token");
    let token = c.string("token").unwrap_or_default();
    let system_id = c.string("system_id").filter(|s| !s.is_empty());
    let info = c.hash("info").unwrap_or_default();
    let _ = c.string("last_update");
    c.finish()?;
    let text = |key: &str| info.get(key).and_then(|v| v.as_str()).map(str::to_string);
    let mut world = state.write();
    let id = runner_by_token(&world, &token)?;
    let now = OffsetDateTime::now_utc();
    let runner = world.runners.get_mut(&id).expect("found above");
    runner.contacted_at = Some(now);
    for (field, key) in [
        (&mut runner.name, "name"),
        (&mut runner.version, "version"),
        (&mut runner.revision, "revision"),
        (&mut runner.platform, "platform"),
        (&mut runner.architecture, "architecture"),
    ] {
        if let Some(v) = text(key) {
            *field = Some(v);
        }
    }
    if let Some(m) = system_id.and_then(|sid| ensure_machine(&mut world, id, sid, now)) {
        m.contacted_at = Some(now);
        for (field, key) in [
            (&mut m.version, "version"),
            (&mut m.revision, "revision"),
            (&mut m.platform, "platform"),
            (&mut m.architecture, "architecture"),
        ] {
            if let Some(v) = text(key) {
                *field = Some(v);
            }
        }
    }
    let last_update = now.unix_timestamp().to_string();
    Ok((
        StatusCode::NO_CONTENT,
        [("x-gitlab-last-update", last_update)],
    )
        .into_response())
}

/// `POST /runners/reset_authentication_token`: the old token stops working at once.
pub async fn reset_token(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Response> {
    let token = required_token(&ctx)?;
    let mut world = state.write();
    let id = runner_by_token(&world, &token)?;
    let fresh = world.new_token("glrt-");
    let runner = world.runners.get_mut(&id).expect("found above");
    runner.token = fresh.clone();
    let body = token_body(&fresh, runner.token_expires_at);
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}
