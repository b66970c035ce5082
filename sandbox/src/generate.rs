//! Deterministic demo data: the same seed gives the same world (times are relative
//! to the start, so statuses come out the same on every run).

use std::collections::BTreeMap;

use rand::{rngs::StdRng, Rng, SeedableRng};
use time::{Duration, OffsetDateTime};

use crate::model::*;
use crate::version::GitLabVersion;

/// SplitMix64: a stateless hash for values derived on demand (jobs, tokens).
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

pub const ADMIN_TOKEN: &str = "glpat-sandbox-admin";
pub const MAINTAINER_TOKEN: &str = "glpat-sandbox-maintainer";
pub const REPORTER_TOKEN: &str = "glpat-sandbox-reporter";
pub const READONLY_TOKEN: &str = "glpat-sandbox-readonly";
/// The maintainer's token with only the `create_runner` scope (GitLab 16.1+).
pub const CREATE_RUNNER_TOKEN: &str = "glpat-sandbox-create-runner";
/// The administrator's token with only the `manage_runner` scope (GitLab 17.1+).
pub const MANAGE_RUNNER_TOKEN: &str = "glpat-sandbox-manage-runner";

const GROUPS: [(&str, &str, &str); 5] = [
    ("Platform", "platform", "Shared services and the public API"),
    ("Data", "data", "Warehouse and pipelines"),
    ("Mobile", "mobile", "iOS and Android apps"),
    ("Security", "security", "Scanners and audits"),
    ("Docs", "docs", "Handbook and guides"),
];

/// (group index, name, path)
const PROJECTS: [(usize, &str, &str); 10] = [
    (0, "API", "api"),
    (0, "Web", "web"),
    (0, "Infra", "infra"),
    (1, "Warehouse", "warehouse"),
    (1, "ETL", "etl"),
    (2, "iOS", "ios"),
    (2, "Android", "android"),
    (3, "Scanner", "scanner"),
    (3, "Audit", "audit"),
    (4, "Handbook", "handbook"),
];

const TAGS: [&str; 12] = [
    "docker",
    "linux",
    "arm64",
    "windows",
    "macos",
    "gpu",
    "kubernetes",
    "shell",
    "ruby",
    "postgres",
    "node",
    "deploy",
];
const PLATFORMS: [(&str, &str); 4] = [
    ("linux", "amd64"),
    ("linux", "arm64"),
    ("windows", "amd64"),
    ("darwin", "arm64"),
];
/// Runner versions follow the server's: the current minor and the three before it.
const VERSION_SPREAD: u64 = 4;
const WORDS: [&str; 8] = [
    "docker",
    "builder",
    "autoscale",
    "k8s",
    "metal",
    "spot",
    "fleet",
    "edge",
];

#[derive(Clone, Copy)]
enum Life {
    Online,
    Offline,
    Stale,
    Never,
}

/// `d` folded into `lo` minutes to 6 days.
fn within_six_days(d: Duration, lo: i64) -> Duration {
    let span = 6 * 24 * 60 - lo;
    Duration::minutes(lo + (d.whole_minutes() - lo).rem_euclid(span))
}

pub struct Settings {
    pub runners: u64,
    pub jobs_per_runner: u32,
    pub seed: u64,
    /// Runner versions are drawn from this version and the three minors before it.
    pub gitlab_version: GitLabVersion,
}

/// The `gitlab-runner` version `behind` minors before `server`, with a patch level
/// and a revision derived from `salt`: ("18.9.2", "1f0e5c3a").
pub fn runner_version(server: GitLabVersion, behind: u64, salt: u64) -> (String, String) {
    let mut v = server;
    for _ in 0..behind {
        v = v.previous();
    }
    let patch = mix(salt ^ 0x0070_6174_6368) % 4;
    let version = format!("{}.{}.{patch}", v.major, v.minor);
    let revision = format!(
        "{:08x}",
        mix(salt ^ ((v.major as u64) << 16 | v.minor as u64)) as u32
    );
    (version, revision)
}

/// How many minors `version` is behind `server` (0 to 3), if it is one of those.
fn minors_behind(server: GitLabVersion, version: &str) -> Option<u64> {
    let mut parts = version.split('.');
    let major: u32 = parts.next()?.parse().ok()?;
    let minor: u32 = parts.next()?.parse().ok()?;
    let mut v = server;
    for behind in 0..VERSION_SPREAD {
        if v == GitLabVersion::new(major, minor) {
            return Some(behind);
        }
        v = v.previous();
    }
    None
}

/// The generated machines of a runner (`Runner::machines` of them, none if it was
/// never contacted). The first made the runner's last contact and carries the
/// runner's own version fields and IP address; the others were seen a little
/// earlier and run other versions of the last four minors (always different on
/// the twelve fixed runners, mixed or alike on the others).
pub fn managers(seed: u64, server: GitLabVersion, r: &Runner) -> Vec<RunnerManager> {
    let Some(contacted) = r.contacted_at else {
        return vec![];
    };
    let base = r
        .version
        .as_deref()
        .and_then(|v| minors_behind(server, v))
        .unwrap_or(0);
    let h = mix(seed ^ r.id.wrapping_mul(0x6d61_6368));
    let alike = r.id > 12 && h.is_multiple_of(3);
    (0..r.machines as u64)
        .map(|k| {
            let salt = mix(h ^ k);
            let (version, revision, ip) = if k == 0 {
                (r.version.clone(), r.revision.clone(), r.ip_address.clone())
            } else {
                let behind = if alike {
                    base
                } else {
                    (base + k) % VERSION_SPREAD
                };
                let (v, rev) = runner_version(server, behind, salt);
                let ip = format!("10.{}.{}.{}", 100 + k, r.id / 256 % 256, r.id % 256);
                (Some(v), Some(rev), Some(ip))
            };
            // The others last spoke 35 minutes, 3 hours and 2 days before the first.
            let before = [0, 35, 180, 2 * 24 * 60][k as usize % 4];
            let seen = contacted - Duration::minutes(before);
            let created = (r.created_at + Duration::hours(k as i64)).min(seen);
            RunnerManager {
                id: r.id * 10 + k,
                system_id: format!("s_{:012x}", mix(r.id * 31 + k) & 0xffff_ffff_ffff),
                version,
                revision,
                platform: r.platform.clone(),
                architecture: r.architecture.clone(),
                ip_address: ip,
                created_at: created,
                contacted_at: Some(seen),
            }
        })
        .collect()
}

/// Adds `count` projects to the group of `runner_id`'s first project and assigns
/// the (project) runner to all of them, for tests of runners with very many
/// projects. Returns the new project ids.
pub fn add_projects_to_runner(
    world: &mut World,
    runner_id: u64,
    count: u32,
) -> Result<Vec<u64>, String> {
    let runner = world
        .runners
        .get(&runner_id)
        .ok_or_else(|| format!("there is no runner {runner_id}"))?;
    if runner.runner_type != RunnerType::Project {
        return Err(format!(
            "runner {runner_id} is not a project runner ({}); only project runners have projects",
            runner.runner_type.as_str()
        ));
    }
    let owner = runner.projects.first().and_then(|p| world.project(*p));
    let group_id = owner.map(|p| p.group_id).unwrap_or(1);
    let created_at = owner
        .map(|p| p.created_at)
        .unwrap_or_else(OffsetDateTime::now_utc);
    let first = world.projects.iter().map(|p| p.id).max().unwrap_or(0) + 1;
    let mut ids = Vec::with_capacity(count as usize);
    for n in 0..count as u64 {
        let id = first + n;
        let registration_token = world.new_token("GR1348941");
        world.projects.push(Project {
            id,
            group_id,
            name: format!("Service {id}"),
            path: format!("service-{id}"),
            description: None,
            registration_token,
            created_at,
        });
        ids.push(id);
    }
    if let Some(runner) = world.runners.get_mut(&runner_id) {
        runner.projects.extend(&ids);
    }
    Ok(ids)
}

pub fn world(settings: &Settings, now: OffsetDateTime) -> World {
    let mut rng = StdRng::seed_from_u64(settings.seed);
    let token = |rng: &mut StdRng, prefix: &str| -> String {
        let chars: String = (0..20)
            .map(|_| {
                let n = rng.gen_range(0..36u32);
                char::from_digit(n, 36).unwrap_or('0')
            })
            .collect();
        format!("{prefix}{chars}")
    };
    let year_ago = now - Duration::days(400);

    let users = vec![
        user(
            1,
            "root",
            "Administrator",
            true,
            ADMIN_TOKEN,
            TokenScope::Api,
            year_ago,
        ),
        user(
            2,
            "maria",
            "Maria Maintainer",
            false,
            MAINTAINER_TOKEN,
            TokenScope::Api,
            year_ago,
        ),
        user(
            3,
            "remy",
            "Remy Reporter",
            false,
            REPORTER_TOKEN,
            TokenScope::Api,
            year_ago,
        ),
        user(
            4,
            "audit-bot",
            "Audit Bot",
            true,
            READONLY_TOKEN,
            TokenScope::ReadApi,
            year_ago,
        ),
        user(
            5,
            "dev-alex",
            "Alex Developer",
            false,
            "glpat-sandbox-alex-unused",
            TokenScope::Api,
            year_ago,
        ),
    ];
    let groups: Vec<Group> = GROUPS
        .iter()
        .enumerate()
        .map(|(i, (name, path, description))| Group {
            id: i as u64 + 1,
            name: name.to_string(),
            path: path.to_string(),
            description: description.to_string(),
            registration_token: token(&mut rng, "GR1348941"),
            created_at: year_ago + Duration::days(i as i64),
        })
        .collect();
    let projects: Vec<Project> = PROJECTS
        .iter()
        .enumerate()
        .map(|(i, (g, name, path))| Project {
            id: i as u64 + 1,
            group_id: *g as u64 + 1,
            name: name.to_string(),
            path: path.to_string(),
            description: Some(format!("The {name} project")),
            registration_token: token(&mut rng, "GR1348941"),
            created_at: year_ago + Duration::days(10 + i as i64),
        })
        .collect();
    let access_tokens = vec![
        AccessToken {
            token: CREATE_RUNNER_TOKEN.into(),
            user_id: 2,
            scope: TokenScope::CreateRunner,
        },
        AccessToken {
            token: MANAGE_RUNNER_TOKEN.into(),
            user_id: 1,
            scope: TokenScope::ManageRunner,
        },
    ];
    let group_members = vec![(1, 1, OWNER), (1, 2, OWNER), (2, 1, MAINTAINER), (5, 1, 30)];
    let project_members = vec![(3, 4, REPORTER), (5, 4, 30)];
    let instance_registration_token = token(&mut rng, "GR1348941");

    let mut runners = BTreeMap::new();
    for id in 1..=settings.runners {
        let runner = runner(id, &mut rng, settings, now, &projects);
        let runner = Runner {
            token: token(&mut rng, "glrt-"),
            ..runner
        };
        runners.insert(id, runner);
    }

    World {
        users,
        groups,
        projects,
        group_members,
        project_members,
        runners,
        next_runner_id: settings.runners + 1,
        instance_registration_token,
        seed: settings.seed,
        jobs_per_runner: settings.jobs_per_runner,
        job_names: vec![],
        token_counter: 0,
        gitlab_version: settings.gitlab_version,
        allow_registration_token: settings
            .gitlab_version
            .registration_tokens_allowed_by_default(),
        access_tokens,
        oauth: Default::default(),
    }
}

fn user(
    id: u64,
    username: &str,
    name: &str,
    is_admin: bool,
    token: &str,
    scope: TokenScope,
    created_at: OffsetDateTime,
) -> User {
    User {
        id,
        username: username.into(),
        name: name.into(),
        is_admin,
        token: token.into(),
        scope,
        created_at,
    }
}

/// The first twelve runners are fixed so every type x status combination, paused,
/// locked, multi-project and untagged-refusing runners exist in any world of 12 or more;
/// the rest are drawn from the seeded generator.
fn runner(
    id: u64,
    rng: &mut StdRng,
    settings: &Settings,
    now: OffsetDateTime,
    projects: &[Project],
) -> Runner {
    let (kind, life) = if id <= 12 {
        let kind = match id % 3 {
            1 => RunnerType::Instance,
            2 => RunnerType::Group,
            _ => RunnerType::Project,
        };
        let life = match (id - 1) / 3 {
            0 => Life::Online,
            1 => Life::Offline,
            2 => Life::Stale,
            _ => Life::Never,
        };
        (kind, life)
    } else {
        let kind = match rng.gen_range(0..10) {
            0..=2 => RunnerType::Instance,
            3..=5 => RunnerType::Group,
            _ => RunnerType::Project,
        };
        let life = match rng.gen_range(0..10) {
            0..=3 => Life::Online,
            4..=5 => Life::Offline,
            6..=8 => Life::Stale,
            _ => Life::Never,
        };
        (kind, life)
    };

    let minutes = |rng: &mut StdRng, lo: i64, hi: i64| Duration::minutes(rng.gen_range(lo..hi));
    let (created_at, contacted_at) = match life {
        // Online runners were seen within the last 20 minutes, so a demo stays online a while.
        Life::Online => (
            now - minutes(rng, 2_000, 300_000),
            Some(now - minutes(rng, 0, 20)),
        ),
        // The fixed offline runners were seen within 6 days (and the fixed
        // never-contacted ones are younger), so they keep their status whether
        // stale means 3 months (before 17.1) or 7 days. The draws stay those of
        // the 3-month world, so the rest of the seeded data does not move.
        Life::Offline => {
            let created = now - minutes(rng, 2_000, 100_000);
            let seen = minutes(rng, 180, 60 * 24 * 60);
            let seen = if id <= 12 {
                within_six_days(seen, 180)
            } else {
                seen
            };
            (created, Some(now - seen))
        }
        Life::Stale => {
            let created = now - minutes(rng, 140 * 24 * 60, 700 * 24 * 60);
            let contacted = (rng.gen_range(0..4) != 0)
                .then(|| now - minutes(rng, 100 * 24 * 60, 130 * 24 * 60));
            (created, contacted)
        }
        Life::Never => {
            let age = minutes(rng, 10, 60 * 24 * 60);
            let age = if id <= 12 {
                within_six_days(age, 10)
            } else {
                age
            };
            (now - age, None)
        }
    };

    let (group_id, runner_projects) = match kind {
        RunnerType::Instance => (None, vec![]),
        RunnerType::Group => {
            let g = match id {
                2 | 8 => 1,
                5 => 2,
                11 => 3,
                _ => rng.gen_range(1..=GROUPS.len() as u64),
            };
            (Some(g), vec![])
        }
        RunnerType::Project => {
            let list = match id {
                3 | 12 => vec![1],
                6 => vec![2, 3],
                9 => vec![4, 5],
                _ => {
                    let first = &projects[rng.gen_range(0..projects.len())];
                    let mut list = vec![first.id];
                    if rng.gen_range(0..5) == 0 {
                        // A second project of the same group, as runners are shared in practice.
                        if let Some(other) = projects
                            .iter()
                            .find(|p| p.group_id == first.group_id && p.id != first.id)
                        {
                            list.push(other.id);
                        }
                    }
                    list
                }
            };
            (None, list)
        }
    };

    let tag_list: Vec<String> = match id {
        1 => vec!["docker", "linux"],
        2 => vec!["docker", "linux", "arm64"],
        3 => vec!["ruby", "postgres"],
        4 => vec!["windows"],
        5 => vec!["gpu"],
        6 => vec!["node"],
        7 | 10 | 11 => vec![],
        12 => vec!["deploy"],
        _ => {
            let n = rng.gen_range(0..4);
            let mut tags: Vec<&str> = (0..n).map(|_| TAGS[rng.gen_range(0..TAGS.len())]).collect();
            tags.sort_unstable();
            tags.dedup();
            tags
        }
    }
    .into_iter()
    .map(String::from)
    .collect();

    let paused = match id {
        4 | 8 => true,
        1..=12 => false,
        _ => rng.gen_range(0..100) < 15,
    };
    let locked = match id {
        3 | 12 => true,
        1..=12 => false,
        _ => kind == RunnerType::Project && rng.gen_range(0..4) == 0,
    };
    let run_untagged =
        id == 7 || !(id == 12 || (id > 12 && !tag_list.is_empty() && rng.gen_range(0..3) == 0));

    let contacted = contacted_at.is_some();
    let (platform, architecture) = PLATFORMS[rng.gen_range(0..PLATFORMS.len())];
    // Five ways as the old fixed table had, so the seeded draws do not move: the
    // current minor twice as often as the three before it.
    let behind = rng.gen_range(0..5u64) % VERSION_SPREAD;
    let (version, revision) = runner_version(settings.gitlab_version, behind, settings.seed ^ id);
    let word = WORDS[rng.gen_range(0..WORDS.len())];
    let prefix = match kind {
        RunnerType::Instance => "shared".to_string(),
        RunnerType::Group => GROUPS[group_id.unwrap_or(1) as usize - 1].1.to_string(),
        RunnerType::Project => projects[runner_projects[0] as usize - 1].path.clone(),
    };
    let maybe = |s: &str| contacted.then(|| s.to_string());
    // Machines behind it: runner 4 has two (the browser tests count them).
    const FIXED_MACHINES: [u8; 12] = [3, 2, 4, 2, 3, 2, 2, 3, 2, 0, 0, 0];
    let machines = match (contacted, id) {
        (false, _) => 0,
        (true, 1..=12) => FIXED_MACHINES[id as usize - 1],
        (true, _) => 2 + (mix(settings.seed ^ id ^ 0x6d) % 3) as u8,
    };

    Runner {
        id,
        description: Some(format!("{prefix}-{word}-{id}")),
        ip_address: contacted
            .then(|| format!("10.{}.{}.{}", id / 65536 % 256, id / 256 % 256, id % 256)),
        active: !paused,
        runner_type: kind,
        name: Some("gitlab-runner".into()),
        created_at,
        updated_at: contacted_at.unwrap_or(created_at),
        contacted_at,
        tag_list,
        run_untagged,
        locked,
        maximum_timeout: if rng.gen_range(0..3) == 0 {
            Some(3600)
        } else {
            None
        },
        ref_protected: id == 3 || (id > 12 && rng.gen_range(0..5) == 0),
        version: maybe(&version),
        revision: maybe(&revision),
        platform: maybe(platform),
        architecture: maybe(architecture),
        maintenance_note: (id == 8)
            .then(|| "Replaced by platform-k8s; delete after migration".into()),
        group_id,
        projects: runner_projects,
        token: String::new(),
        token_expires_at: None,
        job_count: if contacted {
            settings.jobs_per_runner
        } else {
            0
        },
        machines,
        managers: vec![],
        creator_id: None,
    }
}
