//! The fleet dashboard's counts: every status (and paused) of every runner
//! type, one `per_page=1` request each, from GitLab's `X-Total`. GitLab's
//! statuses overlap (a stale runner is also offline or never contacted; a
//! paused one has a contact status too), so no row is the sum of others. Pure.

use crate::api::request::{RunnerFilter, RunnerType};
use crate::list_query::ListQuery;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::request::StatusFilter;

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
}
