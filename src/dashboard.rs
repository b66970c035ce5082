//! The fleet dashboard's counts: every status (and paused) of every runner
//! type, one `per_page=1` request each, from GitLab's `X-Total`. GitLab's
//! statuses overlap (a stale runner is also offline or never contacted; a
//! paused one has a contact status too), so no row is the sum of others. Pure.

use std::collections::BTreeMap;

use crate::api::request::{RunnerFilter, RunnerType};
use crate::api::{Runner, RunnerJob};
use crate::list_query::ListQuery;
use crate::outdated::VersionGroup;
use crate::status_summary::Part;

/// The columns of the counts table: every runner, then each type.
pub const COLUMNS: [Option<RunnerType>; 4] = [
    None,
    Some(RunnerType::InstanceType),
    Some(RunnerType::GroupType),
    Some(RunnerType::ProjectType),
];

/// The rows: every runner of the column, then each status and paused.
pub fn rows() -> Vec<Option<Part>> {
    std::iter::once(None).chain(Part::ALL.map(Some)).collect()
}

/// One count of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    pub part: Option<Part>,
    pub runner_type: Option<RunnerType>,
}

impl Cell {
    /// Every cell, row by row.
    pub fn all() -> Vec<Cell> {
        rows()
            .into_iter()
            .flat_map(|part| COLUMNS.map(|runner_type| Cell { part, runner_type }))
            .collect()
    }

    pub fn filter(self) -> RunnerFilter {
        let base = RunnerFilter {
            runner_type: self.runner_type,
            ..Default::default()
        };
        match self.part {
            Some(p) => p.filter(&base),
            None => base,
        }
    }

    /// The runner list showing this cell's runners.
    pub fn list(self) -> ListQuery {
        ListQuery {
            filter: self.filter(),
            ..Default::default()
        }
    }

    /// `stale-group_type`, `all-all`: a stable name for the cell.
    pub fn key(self) -> String {
        format!(
            "{}-{}",
            self.part.map_or("all", Part::css),
            self.runner_type.map_or("all", RunnerType::as_str)
        )
    }
}

pub fn column_label(t: Option<RunnerType>) -> &'static str {
    match t {
        None => "All types",
        Some(RunnerType::InstanceType) => "Instance",
        Some(RunnerType::GroupType) => "Group",
        Some(RunnerType::ProjectType) => "Project",
    }
}

pub fn row_label(p: Option<Part>) -> &'static str {
    p.map_or("All runners", Part::label)
}

/// Whether a loaded runner is one GitLab's filters would count in `cell`,
/// for counting a fleet GitLab no longer counts (above 10,000): `online` is
/// true within two hours, false when contacted longer ago (GitLab's `offline`
/// takes stale runners in too), null when never contacted.
impl Cell {
    pub fn holds(self, r: &Runner) -> bool {
        let type_ok = self
            .runner_type
            .is_none_or(|t| t.as_str() == r.runner_type.as_str());
        type_ok
            && match self.part {
                None => true,
                Some(Part::Online) => r.online == Some(true),
                Some(Part::Offline) => r.online == Some(false),
                Some(Part::NeverContacted) => r.online.is_none(),
                Some(Part::Stale) => r.status == "stale",
                Some(Part::Paused) => r.is_paused(),
            }
    }
}

/// Every cell counted over loaded runners.
pub fn tally(runners: &[Runner]) -> Vec<(Cell, u64)> {
    Cell::all()
        .into_iter()
        .map(|c| (c, runners.iter().filter(|r| c.holds(r)).count() as u64))
        .collect()
}

/// Tags and how many runners carry each, most used first, then by name.
pub fn tags_in_use<'a>(tag_lists: impl IntoIterator<Item = &'a [String]>) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for tags in tag_lists {
        for t in tags {
            *counts.entry(t.as_str()).or_default() += 1;
        }
    }
    let mut out: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(t, n)| (t.to_string(), n))
        .collect();
    out.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    out
}

/// One runner as the dashboard's version pass reads it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunnerRead {
    pub id: u64,
    pub tags: Vec<String>,
    /// The version of its last contact (details, or its newest machine).
    pub version: Option<String>,
    /// Each machine's version (GitLab 17.1+; empty before).
    pub machines: Vec<Option<String>>,
}

/// A version group's runners and machines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionRow {
    pub group: VersionGroup,
    pub runners: usize,
    pub machines: usize,
}

/// Runners (by their version) and machines (by theirs) per version group,
/// newest first, and how many of each reported no version.
pub fn version_rows(read: &[RunnerRead]) -> (Vec<VersionRow>, usize, usize) {
    let mut rows: BTreeMap<VersionGroup, (usize, usize)> = BTreeMap::new();
    let (mut runners_unknown, mut machines_unknown) = (0, 0);
    for r in read {
        match r.version.as_deref().and_then(VersionGroup::of) {
            Some(g) => rows.entry(g).or_default().0 += 1,
            None => runners_unknown += 1,
        }
        for m in &r.machines {
            match m.as_deref().and_then(VersionGroup::of) {
                Some(g) => rows.entry(g).or_default().1 += 1,
                None => machines_unknown += 1,
            }
        }
    }
    let rows = rows
        .into_iter()
        .rev()
        .map(|(group, (runners, machines))| VersionRow {
            group,
            runners,
            machines,
        })
        .collect();
    (rows, runners_unknown, machines_unknown)
}

/// One runner's last jobs, summed up.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunnerLoad {
    pub id: u64,
    pub name: String,
    pub jobs: usize,
    /// Time spent running them (`duration`), in seconds.
    pub seconds: f64,
    pub failed: usize,
    /// Succeeded or failed: what a failure rate counts (canceled and
    /// unfinished jobs say nothing about the runner).
    pub finished: usize,
}

impl RunnerLoad {
    pub fn of(id: u64, name: String, jobs: &[RunnerJob]) -> RunnerLoad {
        let failed = jobs.iter().filter(|j| j.status == "failed").count();
        let succeeded = jobs.iter().filter(|j| j.status == "success").count();
        RunnerLoad {
            id,
            name,
            jobs: jobs.len(),
            seconds: jobs.iter().filter_map(|j| j.duration).sum(),
            failed,
            finished: failed + succeeded,
        }
    }

    /// Failed of finished, as a share from 0 to 1.
    pub fn failure_rate(&self) -> Option<f64> {
        (self.finished > 0).then(|| self.failed as f64 / self.finished as f64)
    }
}

/// The busiest first: most jobs, then most time.
pub fn busiest(loads: &mut [RunnerLoad]) {
    loads.sort_by(|a, b| {
        b.jobs
            .cmp(&a.jobs)
            .then(b.seconds.total_cmp(&a.seconds))
            .then(a.id.cmp(&b.id))
    });
}

/// The value below which `p` (0 to 1) of `values` fall, by nearest rank.
pub fn percentile(values: &mut [f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let rank = (p * values.len() as f64).ceil() as usize;
    Some(values[rank.clamp(1, values.len()) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::request::StatusFilter;
    use crate::api::RunnerKind;

    #[test]
    fn every_status_of_every_type_is_one_cell() {
        let cells = Cell::all();
        assert_eq!(cells.len(), 6 * 4);
        assert_eq!(cells[0].filter(), RunnerFilter::default());
        let stale_groups = Cell {
            part: Some(Part::Stale),
            runner_type: Some(RunnerType::GroupType),
        };
        assert!(cells.contains(&stale_groups));
        assert_eq!(stale_groups.filter().status, Some(StatusFilter::Stale));
        assert_eq!(
            stale_groups.filter().runner_type,
            Some(RunnerType::GroupType)
        );
        assert_eq!(stale_groups.key(), "stale-group_type");
        assert_eq!(
            stale_groups.list().to_query_string(),
            "?type=group_type&status=stale"
        );
        let paused = Cell {
            part: Some(Part::Paused),
            runner_type: None,
        };
        assert_eq!(paused.filter().paused, Some(true));
        assert_eq!(paused.key(), "paused-all");
    }

    fn runner(id: u64, kind: RunnerKind, online: Option<bool>, status: &str) -> Runner {
        Runner {
            id,
            runner_type: kind,
            online,
            status: status.into(),
            ..Default::default()
        }
    }

    #[test]
    fn loaded_runners_are_counted_as_gitlabs_filters_count_them() {
        let mut paused = runner(4, RunnerKind::GroupType, Some(true), "online");
        paused.paused = Some(true);
        let fleet = [
            runner(1, RunnerKind::InstanceType, Some(true), "online"),
            runner(2, RunnerKind::ProjectType, Some(false), "offline"),
            // Contacted long ago: stale and, for GitLab's filter, offline too.
            runner(3, RunnerKind::ProjectType, Some(false), "stale"),
            paused,
            runner(5, RunnerKind::ProjectType, None, "never_contacted"),
        ];
        let n = |part, runner_type| {
            tally(&fleet)
                .into_iter()
                .find(|(c, _)| *c == Cell { part, runner_type })
                .unwrap()
                .1
        };
        assert_eq!(n(None, None), 5);
        assert_eq!(n(Some(Part::Online), None), 2);
        assert_eq!(n(Some(Part::Offline), None), 2);
        assert_eq!(n(Some(Part::Offline), Some(RunnerType::ProjectType)), 2);
        assert_eq!(n(Some(Part::Stale), None), 1);
        assert_eq!(n(Some(Part::NeverContacted), None), 1);
        assert_eq!(n(Some(Part::Paused), None), 1);
        assert_eq!(n(Some(Part::Paused), Some(RunnerType::InstanceType)), 0);
    }

    #[test]
    fn tags_are_counted_most_used_first() {
        let lists = [
            vec!["linux".to_string(), "docker".into()],
            vec!["docker".into()],
            vec![],
            vec!["arm".into(), "docker".into(), "linux".into()],
        ];
        assert_eq!(
            tags_in_use(lists.iter().map(Vec::as_slice)),
            vec![("docker".into(), 3), ("linux".into(), 2), ("arm".into(), 1)]
        );
    }

    #[test]
    fn runners_and_machines_are_grouped_by_version_newest_first() {
        let read = [
            RunnerRead {
                id: 1,
                version: Some("18.11.0".into()),
                machines: vec![Some("18.11.0".into()), Some("18.9.2".into())],
                ..Default::default()
            },
            RunnerRead {
                id: 2,
                version: Some("16.4.1".into()),
                machines: vec![Some("16.4.1".into())],
                ..Default::default()
            },
            RunnerRead {
                id: 3,
                ..Default::default()
            },
        ];
        let (rows, runners_unknown, machines_unknown) = version_rows(&read);
        let g = |a, b| VersionGroup::Minor(a, b);
        assert_eq!(
            rows,
            vec![
                VersionRow {
                    group: g(18, 11),
                    runners: 1,
                    machines: 1
                },
                VersionRow {
                    group: g(18, 9),
                    runners: 0,
                    machines: 1
                },
                VersionRow {
                    group: g(16, 4),
                    runners: 1,
                    machines: 1
                },
            ]
        );
        assert_eq!((runners_unknown, machines_unknown), (1, 0));
    }

    fn job(status: &str, duration: f64) -> RunnerJob {
        RunnerJob {
            status: status.into(),
            duration: Some(duration),
            ..Default::default()
        }
    }

    #[test]
    fn a_runners_load_counts_its_jobs_time_and_failures() {
        let jobs = [
            job("success", 60.0),
            job("failed", 30.0),
            job("failed", 30.0),
            job("success", 120.0),
            job("canceled", 10.0),
        ];
        let load = RunnerLoad::of(7, "#7".into(), &jobs);
        assert_eq!((load.jobs, load.failed, load.finished), (5, 2, 4));
        assert_eq!(load.seconds, 250.0);
        assert_eq!(load.failure_rate(), Some(0.5));
        assert_eq!(RunnerLoad::of(8, "#8".into(), &[]).failure_rate(), None);

        let mut loads = vec![
            RunnerLoad {
                id: 1,
                jobs: 3,
                seconds: 10.0,
                ..Default::default()
            },
            RunnerLoad {
                id: 2,
                jobs: 5,
                seconds: 1.0,
                ..Default::default()
            },
            RunnerLoad {
                id: 3,
                jobs: 3,
                seconds: 90.0,
                ..Default::default()
            },
        ];
        busiest(&mut loads);
        assert_eq!(loads.iter().map(|l| l.id).collect::<Vec<_>>(), [2, 3, 1]);
    }

    #[test]
    fn percentiles_are_by_nearest_rank() {
        let mut v: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        assert_eq!(percentile(&mut v, 0.5), Some(50.0));
        assert_eq!(percentile(&mut v, 0.95), Some(95.0));
        assert_eq!(percentile(&mut [4.0], 0.95), Some(4.0));
        assert_eq!(percentile(&mut [3.0, 1.0, 2.0], 0.5), Some(2.0));
        assert_eq!(percentile(&mut [], 0.5), None);
    }
}
