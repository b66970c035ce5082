//! `lib/api/user_runners.rb`: `POST /user/runners` (GitLab 15.11+), creating a
//! runner owned by the caller, as `Ci::Runners::CreateRunnerService` and its
//! `RunnerCreationStrategies` do it.

use axum::extract::State;
use axum::response::Response;

use crate::context::{Allow, AppState, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::model::{Runner, RunnerType, MAINTAINER, OWNER};
use crate::routes::runner_auth::{store_new_runner, NewRunner};
use crate::routes::runners::{full_messages_sentence, validation_errors, ACCESS_LEVELS, TYPES};

pub async fn create(State(state): State<AppState>, ctx: Ctx) -> ApiResult<Response> {
    let mut world = state.write();
    let user = ctx.authenticate_for(&world, Allow::CreateRunner)?.clone();

    // The parameters, in the order Grape declares (and reports) them.
    let mut c = ctx.params.check();
    let runner_type = c.required_one_of("runner_type", &TYPES);
    let mut group_id = None;
    let mut project_id = None;
    match runner_type.as_deref() {
        Some("group_type") => {
            c.require("group_id");
            group_id = c.integer("group_id").flatten();
        }
        Some("project_type") => {
            c.require("project_id");
            project_id = c.integer("project_id").flatten();
        }
        _ => {}
    }
    let description = c.string("description");
    let maintenance_note = c.string("maintenance_note");
    let paused = c.boolean("paused");
    let locked = c.boolean("locked");
    let access_level = c.one_of("access_level", &ACCESS_LEVELS);
    let run_untagged = c.boolean("run_untagged");
    let tag_list = c.string_list("tag_list");
    let maximum_timeout = c.integer("maximum_timeout");
    c.finish()?;

    // The strategy: `validate_params` (the scope must exist), then `authorized_user?`.
    let insufficient = || ApiError::forbidden_because("Insufficient permissions");
    let (kind, group_id, projects) = match runner_type.as_deref() {
        Some("group_type") => {
            let group = group_id
                .and_then(|id| u64::try_from(id).ok())
                .and_then(|id| world.group(id))
                .ok_or_else(|| ApiError::bad_request("Missing/invalid group"))?;
            // `create_runners` on a group: its owners.
            if !user.is_admin && world.group_access(&user, group.id) < OWNER {
                return Err(insufficient());
            }
            (RunnerType::Group, Some(group.id), vec![])
        }
        Some("project_type") => {
            let project = project_id
                .and_then(|id| u64::try_from(id).ok())
                .and_then(|id| world.project(id))
                .ok_or_else(|| ApiError::bad_request("Missing/invalid project"))?;
            // `create_runners` on a project: maintainers and owners.
            if !user.is_admin && world.project_access(&user, project) < MAINTAINER {
                return Err(insufficient());
            }
            (RunnerType::Project, None, vec![project.id])
        }
        _ => {
            // `create_instance_runner`: administrators.
            if !user.is_admin {
                return Err(insufficient());
            }
            (RunnerType::Instance, None, vec![])
        }
    };

    let runner = Runner {
        creator_id: Some(user.id),
        ..NewRunner {
            runner_type: kind,
            group_id,
            projects,
            description,
            active: !paused.unwrap_or(false),
            tag_list,
            run_untagged,
            locked,
            maximum_timeout,
            access_level,
            maintenance_note,
        }
        .build(&mut world)
    };
    // `runner.save!` failing: `bad_request!(errors.full_messages.to_sentence)`.
    let errors = validation_errors(&runner);
    if !errors.is_empty() {
        return Err(ApiError::bad_request(&full_messages_sentence(&errors)));
    }
    Ok(store_new_runner(&mut world, runner))
}
