//! Jobs are derived on demand from (seed, runner, index): 100,000 runners with jobs
//! would not fit in memory as stored rows, and nothing ever changes a job.

use time::{Duration, OffsetDateTime};

use crate::generate::mix;
use crate::model::{Runner, RunnerType, World};

pub const JOB_STATUSES: [&str; 11] = [
    "created",
    "waiting_for_resource",
    "preparing",
    "pending",
    "running",
    "success",
    "failed",
    "canceled",
    "skipped",
    "manual",
    "scheduled",
];

const STAGES: [(&str, &[&str]); 3] = [
    ("build", &["compile", "docker-image", "assets"]),
    ("test", &["rspec", "unit", "lint", "integration"]),
    ("deploy", &["staging", "production"]),
];
const REFS: [&str; 4] = ["main", "develop", "feature/runners", "v2.4.0"];
const TITLES: [&str; 5] = [
    "Update configuration",
    "Fix flaky integration test",
    "Bump dependencies",
    "Add runner metrics",
    "Refactor pipeline cache",
];

pub struct Job {
    pub id: u64,
    pub status: &'static str,
    pub stage: &'static str,
    pub name: String,
    pub git_ref: &'static str,
    pub tag: bool,
    pub allow_failure: bool,
    pub created_at: OffsetDateTime,
    pub started_at: Option<OffsetDateTime>,
    pub finished_at: Option<OffsetDateTime>,
    pub duration: Option<f64>,
    pub queued_duration: Option<f64>,
    pub user_id: u64,
    pub project_id: u64,
    pub pipeline_id: u64,
    pub sha: String,
    pub commit_title: &'static str,
    pub coverage: Option<f64>,
    /// Which of the runner's generated machines ran it (the newest job: the first,
    /// which made the last contact); None for runners without machines.
    pub manager: Option<usize>,
}

/// Every job of the runner, oldest first.
pub fn jobs_of(world: &World, runner: &Runner) -> Vec<Job> {
    (0..runner.job_count)
        .map(|k| job(world, runner, k))
        .collect()
}

fn job(world: &World, runner: &Runner, k: u32) -> Job {
    let per = world.jobs_per_runner.max(1) as u64;
    let id = (runner.id - 1) * per + k as u64 + 1;
    let h = mix(world.seed ^ id.wrapping_mul(0x9e37));
    let project_id = job_project(world, runner, k, h);
    let newest = runner.job_count.saturating_sub(1) == k;
    // The newest job of an online runner runs; the others cycle through every status.
    let status = if newest {
        "running"
    } else {
        JOB_STATUSES[((runner.id + k as u64) % JOB_STATUSES.len() as u64) as usize]
    };
    let (stage, names) = STAGES[(h % 3) as usize];
    let name = match world.job_names.len() {
        0 => names[((h >> 8) % names.len() as u64) as usize].to_string(),
        n => world.job_names[(id % n as u64) as usize].clone(),
    };
    let anchor = runner.contacted_at.unwrap_or(runner.created_at);
    let age = (runner.job_count - k) as i64;
    let created_at = anchor - Duration::minutes(age * 37 + (h % 30) as i64);
    let queued = 2.0 + (h % 40) as f64 / 4.0;
    let started = !matches!(
        status,
        "created" | "waiting_for_resource" | "pending" | "skipped" | "manual" | "scheduled"
    );
    let started_at = started.then(|| created_at + Duration::seconds_f64(queued));
    let finished = matches!(status, "success" | "failed" | "canceled");
    let run_secs = 30.0 + (h >> 16) as f64 % 900.0;
    let finished_at = match (finished, started_at) {
        (true, Some(s)) => Some(s + Duration::seconds_f64(run_secs)),
        _ => None,
    };
    let duration = match (started_at, finished_at) {
        (Some(_), Some(_)) => Some(run_secs),
        (Some(s), None) => Some(((anchor - s).as_seconds_f64()).max(1.0)),
        _ => None,
    };
    let allow_failure = name == "lint";
    Job {
        allow_failure,
        id,
        status,
        stage,
        name,
        git_ref: REFS[((h >> 24) % REFS.len() as u64) as usize],
        tag: (h >> 24) % REFS.len() as u64 == 3,
        created_at,
        started_at,
        finished_at,
        duration,
        queued_duration: started.then_some(queued),
        user_id: 1 + (h >> 32) % world.users.len() as u64,
        project_id,
        pipeline_id: 1000 + id / 3,
        sha: format!(
            "{:016x}{:016x}{:08x}",
            mix(h),
            mix(h ^ 1),
            mix(h ^ 2) as u32
        ),
        commit_title: TITLES[((h >> 40) % TITLES.len() as u64) as usize],
        coverage: (stage == "test" && status == "success").then(|| 60.0 + (h % 400) as f64 / 10.0),
        manager: match runner.machines as u64 {
            0 => None,
            _ if newest => Some(0),
            n => Some(((h >> 48) % n) as usize),
        },
    }
}

/// Jobs run in projects the runner serves: its own projects, its group's projects,
/// or any project for an instance runner (cycling so every project appears).
fn job_project(world: &World, runner: &Runner, k: u32, h: u64) -> u64 {
    match runner.runner_type {
        RunnerType::Project => runner.projects[(h % runner.projects.len() as u64) as usize],
        RunnerType::Group => {
            let group = runner.group_id.unwrap_or(1);
            let ids: Vec<u64> = world
                .projects
                .iter()
                .filter(|p| p.group_id == group)
                .map(|p| p.id)
                .collect();
            if ids.is_empty() {
                1
            } else {
                ids[(h % ids.len() as u64) as usize]
            }
        }
        RunnerType::Instance => {
            world.projects[((runner.id + k as u64) % world.projects.len() as u64) as usize].id
        }
    }
}
