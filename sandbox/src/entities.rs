//! JSON shapes of GitLab's Grape entities.

use serde_json::{json, Value};
use time::{format_description::well_known::Rfc3339, OffsetDateTime};

use crate::jobs::Job;
use crate::model::{Group, Project, Runner, User, World};

/// GitLab's timestamps: UTC with milliseconds, `2016-01-25T16:39:48.066Z`.
pub fn timestamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let t = t
        .replace_nanosecond(t.millisecond() as u32 * 1_000_000)
        .unwrap_or(t);
    let mut s = t.format(&Rfc3339).unwrap_or_default();
    // Rfc3339 drops a zero fraction; GitLab always has three digits.
    if !s.contains('.') {
        s = s.replacen('Z', ".000Z", 1);
    }
    s
}

fn opt_time(t: Option<OffsetDateTime>) -> Value {
    t.map(timestamp).map(Value::String).unwrap_or(Value::Null)
}

/// `Entities::Ci::Runner`, used by the list endpoints and enable, as the world's
/// GitLab version has it.
pub fn runner(world: &World, r: &Runner, now: OffsetDateTime) -> Value {
    let v = world.gitlab_version;
    let mut out = json!({
        "id": r.id,
        "description": r.description,
        // 17.0 and later: an empty string; the address is the manager's.
        "ip_address": if v.runner_fields_from_managers() {
            json!("")
        } else {
            json!(r.ip_address)
        },
        "active": r.active,
        "paused": r.paused(),
        "is_shared": r.runner_type == crate::model::RunnerType::Instance,
        "runner_type": r.runner_type.as_str(),
        "name": r.name,
        // Ruby's `contacted_at && contacted_at > deadline`: null when never contacted.
        "online": r.contacted_at.map(|_| r.is_online(now)),
        "status": r.status_for(now, v).as_str(),
        // GitLab 16 adds these to the entity; older clients ignore them.
        "created_at": timestamp(r.created_at),
    });
    if v.has_job_execution_status() {
        let active = world.runner_is_executing(r, now);
        merge(
            &mut out,
            json!({"job_execution_status": if active { "active" } else { "idle" }}),
        );
    }
    out
}

/// `Entities::Ci::RunnerManager`: the machines behind one runner.
pub fn runner_managers(world: &World, r: &Runner, now: OffsetDateTime) -> Vec<Value> {
    let executing = world.runner_is_executing(r, now);
    world
        .runner_managers(r)
        .iter()
        .enumerate()
        .map(|(k, m)| {
            let mut out = json!({
                "id": m.id,
                "system_id": m.system_id,
                "version": m.version,
                "revision": m.revision,
                "platform": m.platform,
                "architecture": m.architecture,
                "created_at": timestamp(m.created_at),
                "contacted_at": opt_time(m.contacted_at),
                "ip_address": m.ip_address,
                "status": m.status(now).as_str(),
            });
            if world.gitlab_version.has_job_execution_status() {
                // The first machine made the last contact and runs the newest job.
                let active = executing && k == 0 && m.is_online(now);
                merge(
                    &mut out,
                    json!({"job_execution_status": if active { "active" } else { "idle" }}),
                );
            }
            out
        })
        .collect()
}

/// `Entities::Ci::RunnerDetails`: projects and groups limited to what the user may
/// see; `projects` left out when `include_projects` is false (18.4+).
pub fn runner_details(
    world: &World,
    r: &Runner,
    user: &User,
    base_url: &str,
    now: OffsetDateTime,
    include_projects: bool,
) -> Value {
    let mut v = runner(world, r, now);
    let groups: Vec<Value> = r
        .group_id
        .and_then(|g| world.group(g))
        .filter(|g| user.is_admin || world.group_access(user, g.id) > 0)
        .map(|g| json!({"id": g.id, "web_url": format!("{base_url}/groups/{}", g.path), "name": g.name}))
        .into_iter()
        .collect();
    // 17.0 and later read these from the most recently contacted manager.
    let (version, revision, platform, architecture) =
        if world.gitlab_version.runner_fields_from_managers() {
            match world.latest_manager(r) {
                Some(m) => (m.version, m.revision, m.platform, m.architecture),
                None => (None, None, None, None),
            }
        } else {
            (
                r.version.clone(),
                r.revision.clone(),
                r.platform.clone(),
                r.architecture.clone(),
            )
        };
    let extra = json!({
        "tag_list": r.tag_list,
        "run_untagged": r.run_untagged,
        "locked": r.locked,
        "maximum_timeout": r.maximum_timeout,
        "access_level": if r.ref_protected { "ref_protected" } else { "not_protected" },
        "version": version,
        "revision": revision,
        "platform": platform,
        "architecture": architecture,
        "contacted_at": opt_time(r.contacted_at),
        "maintenance_note": r.maintenance_note,
        "groups": groups,
    });
    merge(&mut v, extra);
    if include_projects {
        let projects: Vec<Value> = visible_runner_projects(world, r, user)
            .map(|p| project_basic(world, p, base_url))
            .collect();
        merge(&mut v, json!({ "projects": projects }));
    }
    v
}

/// The runner's projects the user may see, in the runner's order.
pub fn visible_runner_projects<'w>(
    world: &'w World,
    r: &'w Runner,
    user: &'w User,
) -> impl Iterator<Item = &'w Project> + 'w {
    r.projects
        .iter()
        .filter_map(|id| world.project(*id))
        .filter(move |p| user.is_admin || world.project_access(user, p) > 0)
}

fn merge(into: &mut Value, from: Value) {
    if let (Value::Object(a), Value::Object(b)) = (into, from) {
        a.extend(b);
    }
}

/// `Entities::BasicProjectDetails` (the fields a console can use).
pub fn project_basic(world: &World, p: &Project, base_url: &str) -> Value {
    let full = world.project_full_path(p);
    json!({
        "id": p.id,
        "description": p.description,
        "name": p.name,
        "name_with_namespace": world.project_name_with_namespace(p),
        "path": p.path,
        "path_with_namespace": full,
        "created_at": timestamp(p.created_at),
        "default_branch": "main",
        "web_url": format!("{base_url}/{full}"),
    })
}

/// `Entities::Project` as `GET /projects` lists it, trimmed to what matters here.
pub fn project(world: &World, p: &Project, base_url: &str) -> Value {
    let mut v = project_basic(world, p, base_url);
    let group = world.group(p.group_id);
    merge(
        &mut v,
        json!({
            "visibility": "private",
            "namespace": group.map(|g| json!({
                "id": g.id, "name": g.name, "path": g.path, "kind": "group",
                "full_path": g.path, "web_url": format!("{base_url}/groups/{}", g.path),
            })),
        }),
    );
    v
}

pub fn group(g: &Group, base_url: &str) -> Value {
    json!({
        "id": g.id,
        "web_url": format!("{base_url}/groups/{}", g.path),
        "name": g.name,
        "path": g.path,
        "description": g.description,
        "visibility": "private",
        "full_name": g.name,
        "full_path": g.path,
        "parent_id": null,
        "created_at": timestamp(g.created_at),
    })
}

/// `Entities::UserBasic` (inside jobs).
pub fn user_basic(u: &User, base_url: &str) -> Value {
    json!({
        "id": u.id,
        "username": u.username,
        "name": u.name,
        "state": "active",
        "avatar_url": null,
        "web_url": format!("{base_url}/{}", u.username),
    })
}

/// `GET /user`: `is_admin` is present only when the caller is an admin
/// (GitLab switches to the `UserWithAdmin` entity).
pub fn current_user(u: &User, base_url: &str) -> Value {
    let mut v = user_basic(u, base_url);
    merge(
        &mut v,
        json!({
            "created_at": timestamp(u.created_at),
            "bio": "",
            "public_email": null,
            "bot": false,
        }),
    );
    if u.is_admin {
        merge(&mut v, json!({"is_admin": true}));
    }
    v
}

/// A job as `GET /runners/:id/jobs` lists it (`Entities::Ci::JobBasicWithProject`).
pub fn job(world: &World, j: &Job, base_url: &str) -> Value {
    let project = world.project(j.project_id);
    let full = project
        .map(|p| world.project_full_path(p))
        .unwrap_or_default();
    let user = world.users.iter().find(|u| u.id == j.user_id);
    let created = timestamp(j.created_at);
    json!({
        "id": j.id,
        "status": j.status,
        "stage": j.stage,
        "name": j.name,
        "ref": j.git_ref,
        "tag": j.tag,
        "coverage": j.coverage,
        "allow_failure": j.allow_failure,
        "created_at": created,
        "started_at": opt_time(j.started_at),
        "finished_at": opt_time(j.finished_at),
        "erased_at": null,
        "duration": j.duration,
        "queued_duration": j.queued_duration,
        "user": user.map(|u| user_basic(u, base_url)),
        "commit": {
            "id": j.sha,
            "short_id": &j.sha[..8],
            "title": j.commit_title,
            "created_at": created,
            "parent_ids": [],
            "message": j.commit_title,
            "author_name": user.map(|u| u.name.clone()),
            "author_email": user.map(|u| format!("{}@example.org", u.username)),
            "authored_date": created,
            "committer_name": user.map(|u| u.name.clone()),
            "committer_email": user.map(|u| format!("{}@example.org", u.username)),
            "committed_date": created,
        },
        "pipeline": {
            "id": j.pipeline_id,
            "project_id": j.project_id,
            "sha": j.sha,
            "ref": j.git_ref,
            "status": j.status,
            "web_url": format!("{base_url}/{full}/-/pipelines/{}", j.pipeline_id),
        },
        "web_url": format!("{base_url}/{full}/-/jobs/{}", j.id),
        "project": project.map(|p| json!({
            "id": p.id,
            "description": p.description,
            "name": p.name,
            "name_with_namespace": world.project_name_with_namespace(p),
            "path": p.path,
            "path_with_namespace": full,
            "created_at": timestamp(p.created_at),
        })),
    })
}
