//! Stale-runner cleanup: the criteria as they live in the URL, which of them
//! GitLab filters itself, and which runners the rest keep, each with the
//! reasons it matched. Pure: times come in as milliseconds since 1970 (the page
//! reads them with the browser's `Date.parse`), so native tests cover it.

use crate::api::request::{RunnerFilter, RunnerType, StatusFilter};
use crate::api::Runner;
use crate::runner_facts::version_parts;

const DAY_MS: f64 = 86_400_000.0;

/// The statuses a cleanup offers: the ones dead runners have.
pub const STATUSES: [StatusFilter; 3] = [
    StatusFilter::Stale,
    StatusFilter::Offline,
    StatusFilter::NeverContacted,
];

pub fn status_label(s: StatusFilter) -> &'static str {
    match s {
        StatusFilter::Stale => "Stale",
        StatusFilter::Offline => "Offline",
        StatusFilter::NeverContacted => "Never contacted",
        _ => s.as_str(),
    }
}

/// Which runners to clean up. `status`, `runner_type`, `paused` and `tags` are
/// GitLab's own list filters and go to the server; the others are checked here.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Criteria {
    pub status: Option<StatusFilter>,
    /// Not contacted for at least this many days (never contacted counts).
    pub idle_days: Option<u32>,
    /// Created more than this many days ago.
    pub age_days: Option<u32>,
    pub runner_type: Option<RunnerType>,
    pub paused: Option<bool>,
    /// Runners having all these tags.
    pub tags: Vec<String>,
    /// Version older than this (`16.0`): numbers and dots.
    pub older_than: Option<String>,
}

/// Whether `text` is a version to compare against: `16`, `16.0`, `16.11.2`.
pub fn version_valid(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && t.split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// A whole number of days, at least 1.
pub fn days_valid(text: &str) -> Option<u32> {
    text.trim().parse().ok().filter(|d| *d >= 1)
}

impl Criteria {
    /// Reads the URL query through `get`; malformed values are left out.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        Criteria {
            status: get("status")
                .and_then(|s| StatusFilter::parse(&s))
                .filter(|s| STATUSES.contains(s)),
            idle_days: get("contacted_days").and_then(|d| days_valid(&d)),
            age_days: get("created_days").and_then(|d| days_valid(&d)),
            runner_type: get("type").and_then(|t| RunnerType::parse(&t)),
            paused: match get("paused").as_deref() {
                Some("true") => Some(true),
                Some("false") => Some(false),
                _ => None,
            },
            tags: get("tags")
                .map(|t| crate::runner_rules::parse_tags(&t))
                .unwrap_or_default(),
            older_than: get("older_than")
                .map(|v| v.trim().to_string())
                .filter(|v| version_valid(v)),
        }
    }

    /// `?status=stale&...`, only what is set (empty when nothing is).
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = vec![];
        if let Some(s) = self.status {
            pairs.push(("status", s.as_str().into()));
        }
        if let Some(d) = self.idle_days {
            pairs.push(("contacted_days", d.to_string()));
        }
        if let Some(d) = self.age_days {
            pairs.push(("created_days", d.to_string()));
        }
        if let Some(t) = self.runner_type {
            pairs.push(("type", t.as_str().into()));
        }
        if let Some(p) = self.paused {
            pairs.push(("paused", p.to_string()));
        }
        if !self.tags.is_empty() {
            pairs.push(("tags", self.tags.join(",")));
        }
        if let Some(v) = &self.older_than {
            pairs.push(("older_than", v.clone()));
        }
        if pairs.is_empty() {
            return String::new();
        }
        format!(
            "?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    }

    /// The criteria in a file name: `stale-idle90d-project_type`.
    pub fn name(&self) -> String {
        let mut parts: Vec<String> = vec![];
        parts.extend(self.status.map(|s| s.as_str().to_string()));
        parts.extend(self.idle_days.map(|d| format!("idle{d}d")));
        parts.extend(self.age_days.map(|d| format!("age{d}d")));
        parts.extend(self.runner_type.map(|t| t.as_str().to_string()));
        parts.extend(
            self.paused
                .map(|p| if p { "paused" } else { "active" }.to_string()),
        );
        if !self.tags.is_empty() {
            parts.push(format!("tags-{}", self.tags.join("+")));
        }
        parts.extend(self.older_than.as_ref().map(|v| format!("before{v}")));
        parts.join("-")
    }

    /// Nothing chosen: the page never offers to delete every runner at once.
    pub fn is_empty(&self) -> bool {
        *self == Criteria::default()
    }

    /// What GitLab filters itself.
    pub fn server_filter(&self) -> RunnerFilter {
        RunnerFilter {
            runner_type: self.runner_type,
            status: self.status,
            paused: self.paused,
            tag_list: self.tags.clone(),
            ..Default::default()
        }
    }

    /// Whether `r` matches, from the list entry and, where that is not enough,
    /// its details (`seen`). `now` and what `parse` makes of GitLab's times are
    /// milliseconds since 1970.
    pub fn judge(
        &self,
        r: &Runner,
        seen: Option<&Seen>,
        now: f64,
        parse: impl Fn(&str) -> Option<f64>,
    ) -> Verdict {
        let mut why = vec![];
        // GitLab's own filters chose these runners; their reasons are said as it sent them.
        if self.status.is_some() {
            why.push(format!("Status: {}", r.status.replace('_', " ")));
        }
        if self.runner_type.is_some() {
            why.push(format!("{} runner", r.runner_type.label()));
        }
        if let Some(p) = self.paused {
            why.push(if p { "Paused" } else { "Not paused" }.into());
        }
        if !self.tags.is_empty() {
            why.push(format!("Tagged {}", self.tags.join(", ")));
        }

        if let Some(days) = self.idle_days {
            // `online` is null only when never contacted, and true within the
            // last two hours: both answer this without the details.
            let contacted = match (r.online, seen) {
                (None, _) => None,
                (Some(true), _) => return Verdict::NoMatch,
                (_, Some(s)) => s.contacted_at.as_deref(),
                (_, None) => return Verdict::NeedsDetails,
            };
            match contacted {
                None => why.push("Never contacted".into()),
                Some(at) => {
                    let Some(at) = parse(at) else {
                        return Verdict::NoMatch;
                    };
                    let idle = whole_days(now - at);
                    if idle < days {
                        return Verdict::NoMatch;
                    }
                    why.push(format!("Last contact {} ago", days_text(idle)));
                }
            }
        }
        if let Some(days) = self.age_days {
            let created = r
                .created_at
                .as_deref()
                .or_else(|| seen.and_then(|s| s.created_at.as_deref()));
            let created = match (created.and_then(&parse), seen) {
                (Some(at), _) => at,
                (None, None) => return Verdict::NeedsDetails,
                // GitLab does not say when it was created: it does not match.
                (None, Some(_)) => return Verdict::NoMatch,
            };
            let age = whole_days(now - created);
            if age <= days {
                return Verdict::NoMatch;
            }
            why.push(format!("Created {} ago", days_text(age)));
        }
        if let Some(limit) = &self.older_than {
            let version = match seen {
                Some(s) => s.version.as_deref(),
                // Never contacted: no version to compare, and no need to ask.
                None if r.online.is_none() => None,
                None => return Verdict::NeedsDetails,
            };
            match version {
                Some(v) if version_parts(v) < version_parts(limit) => {
                    why.push(format!("Version {v}, older than {limit}"))
                }
                _ => return Verdict::NoMatch,
            }
        }
        Verdict::Matches(why)
    }
}

/// The form's fields as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub status: String,
    pub idle_days: String,
    pub age_days: String,
    pub runner_type: String,
    pub paused: String,
    pub tags: String,
    pub older_than: String,
}

/// A field of the form whose text was refused, with why.
pub type FieldError = (&'static str, String);

impl Draft {
    pub fn from_criteria(c: &Criteria) -> Draft {
        Draft {
            status: c.status.map(|s| s.as_str().to_string()).unwrap_or_default(),
            idle_days: c.idle_days.map(|d| d.to_string()).unwrap_or_default(),
            age_days: c.age_days.map(|d| d.to_string()).unwrap_or_default(),
            runner_type: c
                .runner_type
                .map(|t| t.as_str().to_string())
                .unwrap_or_default(),
            paused: c.paused.map(|p| p.to_string()).unwrap_or_default(),
            tags: c.tags.join(", "),
            older_than: c.older_than.clone().unwrap_or_default(),
        }
    }

    /// The criteria, or each field (`idle_days`, `age_days`, `older_than`) refused.
    pub fn check(&self) -> Result<Criteria, Vec<FieldError>> {
        let mut errors = vec![];
        let mut days = |field: &'static str, text: &str| {
            if text.trim().is_empty() {
                return None;
            }
            let d = days_valid(text);
            if d.is_none() {
                errors.push((
                    field,
                    "Enter a whole number of days, 1 or more.".to_string(),
                ));
            }
            d
        };
        let idle_days = days("idle_days", &self.idle_days);
        let age_days = days("age_days", &self.age_days);
        let older = self.older_than.trim();
        if !older.is_empty() && !version_valid(older) {
            errors.push((
                "older_than",
                "Enter a version as numbers and dots, for example 16.0.".to_string(),
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Criteria {
            status: StatusFilter::parse(&self.status).filter(|s| STATUSES.contains(s)),
            idle_days,
            age_days,
            runner_type: RunnerType::parse(&self.runner_type),
            paused: match self.paused.as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            tags: crate::runner_rules::parse_tags(&self.tags),
            older_than: (!older.is_empty()).then(|| older.to_string()),
        })
    }
}

/// What a runner's details add to its list entry, as GitLab sent it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Seen {
    /// `None`: never contacted.
    pub contacted_at: Option<String>,
    pub created_at: Option<String>,
    pub version: Option<String>,
}

impl Seen {
    pub fn from_details(d: &crate::api::RunnerDetails) -> Seen {
        Seen {
            contacted_at: d.contacted_at.clone(),
            created_at: d.created_at.clone(),
            version: d.version.clone().filter(|v| !v.trim().is_empty()),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// With the reasons, in the order of the form.
    Matches(Vec<String>),
    NoMatch,
    /// The list entry cannot tell: read the runner's details.
    NeedsDetails,
}

fn whole_days(ms: f64) -> u32 {
    (ms / DAY_MS).floor().max(0.0) as u32
}

fn days_text(d: u32) -> String {
    if d == 1 {
        "1 day".into()
    } else {
        format!("{d} days")
    }
}

/// One matching runner as the preview shows it and the export writes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    pub runner: Runner,
    /// The runner's instance, when several are searched at once.
    pub instance: Option<String>,
    /// Its key in the preview: `fleet::row_key` (the id, on one instance).
    pub key: u64,
    /// From its details, when they were read.
    pub contacted_at: Option<String>,
    pub version: Option<String>,
    pub matched_because: Vec<String>,
}

impl Match {
    /// Every field GitLab gave, its instance's label (of several), what the
    /// details added, and why it matched.
    pub fn export_row(&self) -> serde_json::Value {
        let mut row = crate::export::on_instance(&self.runner, self.instance.as_deref());
        if let Some(obj) = row.as_object_mut() {
            let mut add = |k: &str, v: Option<&String>| {
                if let Some(v) = v {
                    obj.insert(k.into(), v.clone().into());
                }
            };
            add("contacted_at", self.contacted_at.as_ref());
            add("version", self.version.as_ref());
            obj.insert(
                "matched_because".into(),
                self.matched_because.clone().into(),
            );
        }
        row
    }
}

/// How one runner's delete ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Deleted,
    /// 404: somebody (or GitLab) removed it first.
    AlreadyGone,
    /// GitLab said no, in its words, with what that means here.
    Refused(String),
    /// The request did not get an answer (network, server error).
    Failed(String),
}

impl Outcome {
    pub fn label(&self) -> String {
        match self {
            Outcome::Deleted => "Deleted".into(),
            Outcome::AlreadyGone => "Already gone".into(),
            Outcome::Refused(why) => format!("Refused: {why}"),
            Outcome::Failed(why) => format!("Failed: {why}"),
        }
    }

    /// Worth trying again.
    pub fn retryable(&self) -> bool {
        matches!(self, Outcome::Refused(_) | Outcome::Failed(_))
    }
}

/// GitLab's refusal of a delete, in its words, and what it means for a
/// maintainer: a project runner other projects use only an admin can delete
/// (`Runner associated with more than one project`, `lib/api/ci/runners.rb`).
pub fn refusal_text(gitlab_message: &str) -> String {
    if gitlab_message.contains("more than one project") {
        format!(
            "GitLab says \"{gitlab_message}\". Other projects use this runner too, so only an \
             administrator can delete it; you can disable it in your project instead."
        )
    } else {
        format!("GitLab says \"{gitlab_message}\".")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::RunnerKind;

    const NOW: f64 = 1_800_000_000_000.0;

    /// Times in these tests are written `ago:<days>`.
    fn parse(t: &str) -> Option<f64> {
        let days: f64 = t.strip_prefix("ago:")?.parse().ok()?;
        Some(NOW - days * DAY_MS)
    }

    fn ago(days: f64) -> Option<String> {
        Some(format!("ago:{days}"))
    }

    fn runner(id: u64, online: Option<bool>, status: &str) -> Runner {
        Runner {
            id,
            online,
            status: status.into(),
            runner_type: RunnerKind::ProjectType,
            created_at: ago(400.0),
            ..Default::default()
        }
    }

    fn seen(contacted_days_ago: Option<f64>, version: Option<&str>) -> Seen {
        Seen {
            contacted_at: contacted_days_ago.and_then(ago),
            created_at: ago(400.0),
            version: version.map(String::from),
        }
    }

    fn judge(c: &Criteria, r: &Runner, s: Option<&Seen>) -> Verdict {
        c.judge(r, s, NOW, parse)
    }

    #[test]
    fn the_url_round_trips_and_drops_what_is_malformed() {
        let c = Criteria {
            status: Some(StatusFilter::Stale),
            idle_days: Some(90),
            age_days: Some(30),
            runner_type: Some(RunnerType::ProjectType),
            paused: Some(true),
            tags: vec!["spot".into(), "linux".into()],
            older_than: Some("16.0".into()),
        };
        let q = c.to_query_string();
        assert_eq!(
            q,
            "?status=stale&contacted_days=90&created_days=30&type=project_type&paused=true&tags=spot%2Clinux&older_than=16.0"
        );
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&q[1..]).unwrap();
        let get = |k: &str| pairs.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone());
        assert_eq!(Criteria::from_lookup(get), c);

        let bad = |k: &str| match k {
            "status" => Some("online".to_string()), // not a cleanup status
            "contacted_days" => Some("0".into()),
            "created_days" => Some("ten".into()),
            "older_than" => Some("16.x".into()),
            _ => None,
        };
        assert!(Criteria::from_lookup(bad).is_empty());
        assert_eq!(Criteria::default().to_query_string(), "");
    }

    #[test]
    fn the_form_round_trips_and_says_which_field_is_wrong() {
        let c = Criteria {
            status: Some(StatusFilter::Offline),
            idle_days: Some(30),
            tags: vec!["spot".into(), "linux".into()],
            older_than: Some("17.2".into()),
            ..Default::default()
        };
        assert_eq!(Draft::from_criteria(&c).check(), Ok(c));
        let bad = Draft {
            idle_days: "0".into(),
            age_days: "2.5".into(),
            older_than: "latest".into(),
            ..Default::default()
        };
        let fields: Vec<&str> = bad.check().unwrap_err().iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["idle_days", "age_days", "older_than"]);
        assert_eq!(Draft::default().check(), Ok(Criteria::default()));
    }

    #[test]
    fn the_criteria_name_the_export() {
        let c = Criteria {
            status: Some(StatusFilter::Stale),
            idle_days: Some(90),
            tags: vec!["a".into(), "b".into()],
            older_than: Some("16.0".into()),
            ..Default::default()
        };
        assert_eq!(c.name(), "stale-idle90d-tags-a+b-before16.0");
    }

    #[test]
    fn gitlabs_own_filters_go_to_the_server_and_the_rest_do_not() {
        let c = Criteria {
            status: Some(StatusFilter::NeverContacted),
            idle_days: Some(10),
            runner_type: Some(RunnerType::GroupType),
            paused: Some(false),
            tags: vec!["a".into()],
            older_than: Some("17".into()),
            ..Default::default()
        };
        let f = c.server_filter();
        assert_eq!(f.status, Some(StatusFilter::NeverContacted));
        assert_eq!(f.runner_type, Some(RunnerType::GroupType));
        assert_eq!(f.paused, Some(false));
        assert_eq!(f.tag_list, vec!["a".to_string()]);
        assert_eq!(f.version_prefix, None);
        assert_eq!(f.scope, None);
    }

    #[test]
    fn last_contact_counts_never_as_never_and_online_as_recent() {
        let c = Criteria {
            idle_days: Some(30),
            ..Default::default()
        };
        // Never contacted: known from the list alone.
        assert_eq!(
            judge(&c, &runner(1, None, "never_contacted"), None),
            Verdict::Matches(vec!["Never contacted".into()])
        );
        // Online: contacted within two hours, so not idle for a day.
        assert_eq!(
            judge(&c, &runner(2, Some(true), "online"), None),
            Verdict::NoMatch
        );
        let offline = runner(3, Some(false), "offline");
        assert_eq!(judge(&c, &offline, None), Verdict::NeedsDetails);
        assert_eq!(
            judge(&c, &offline, Some(&seen(Some(29.9), None))),
            Verdict::NoMatch
        );
        assert_eq!(
            judge(&c, &offline, Some(&seen(Some(30.0), None))),
            Verdict::Matches(vec!["Last contact 30 days ago".into()])
        );
        // Details that say never contacted (the list said offline a moment before).
        assert_eq!(
            judge(&c, &offline, Some(&seen(None, None))),
            Verdict::Matches(vec!["Never contacted".into()])
        );
    }

    #[test]
    fn created_more_than_n_days_ago_reads_the_list_or_else_the_details() {
        let c = Criteria {
            age_days: Some(100),
            ..Default::default()
        };
        let mut r = runner(1, Some(false), "offline");
        assert_eq!(
            judge(&c, &r, None),
            Verdict::Matches(vec!["Created 400 days ago".into()])
        );
        r.created_at = ago(100.0);
        assert_eq!(judge(&c, &r, None), Verdict::NoMatch);
        // A list without the date (older GitLab): the details decide.
        r.created_at = None;
        assert_eq!(judge(&c, &r, None), Verdict::NeedsDetails);
        assert_eq!(
            judge(&c, &r, Some(&seen(Some(1.0), None))),
            Verdict::Matches(vec!["Created 400 days ago".into()])
        );
        // GitLab that never says when: no match.
        let unknown = Seen {
            created_at: None,
            ..seen(Some(1.0), None)
        };
        assert_eq!(judge(&c, &r, Some(&unknown)), Verdict::NoMatch);
    }

    #[test]
    fn older_than_compares_numbers_and_never_matches_an_unknown_version() {
        let c = Criteria {
            older_than: Some("16.10".into()),
            ..Default::default()
        };
        let r = runner(1, Some(false), "offline");
        let with = |v: Option<&str>| judge(&c, &r, Some(&seen(Some(1.0), v)));
        assert_eq!(
            with(Some("16.9.3")),
            Verdict::Matches(vec!["Version 16.9.3, older than 16.10".into()])
        );
        assert_eq!(with(Some("16.10.0")), Verdict::NoMatch);
        assert_eq!(with(Some("17.0.0")), Verdict::NoMatch);
        assert_eq!(with(None), Verdict::NoMatch);
        assert_eq!(judge(&c, &r, None), Verdict::NeedsDetails);
        // Never contacted: no version, and no need to ask.
        assert_eq!(
            judge(&c, &runner(2, None, "never_contacted"), None),
            Verdict::NoMatch
        );
        assert!(version_valid("16") && version_valid("16.0.1"));
        assert!(!version_valid("16.") && !version_valid("v16") && !version_valid(""));
    }

    #[test]
    fn every_criterion_says_why_in_the_forms_order() {
        let c = Criteria {
            status: Some(StatusFilter::Stale),
            idle_days: Some(90),
            age_days: Some(365),
            runner_type: Some(RunnerType::ProjectType),
            paused: Some(true),
            tags: vec!["spot".into()],
            older_than: Some("17.0".into()),
        };
        let r = runner(1, Some(false), "stale");
        assert_eq!(
            judge(&c, &r, Some(&seen(Some(200.0), Some("15.11.1")))),
            Verdict::Matches(vec![
                "Status: stale".into(),
                "Project runner".into(),
                "Paused".into(),
                "Tagged spot".into(),
                "Last contact 200 days ago".into(),
                "Created 400 days ago".into(),
                "Version 15.11.1, older than 17.0".into(),
            ])
        );
    }

    #[test]
    fn a_refusal_for_a_shared_runner_is_explained() {
        let t = refusal_text("Runner associated with more than one project");
        assert!(t.contains("\"Runner associated with more than one project\""));
        assert!(t.contains("only an administrator can delete it"));
        assert_eq!(
            refusal_text("403 Forbidden"),
            "GitLab says \"403 Forbidden\"."
        );
    }

    #[test]
    fn an_export_row_keeps_gitlabs_fields_and_adds_the_reasons() {
        let m = Match {
            runner: runner(7, None, "never_contacted"),
            instance: None,
            key: 7,
            contacted_at: None,
            version: Some("16.1.0".into()),
            matched_because: vec!["Never contacted".into()],
        };
        let v = m.export_row();
        assert_eq!(v["id"], 7);
        assert_eq!(v["status"], "never_contacted");
        assert_eq!(v["version"], "16.1.0");
        assert_eq!(v["matched_because"][0], "Never contacted");
        assert!(v.get("contacted_at").is_none());
        assert!(v.get("instance").is_none());
        let across = Match {
            instance: Some("staging".into()),
            ..m
        };
        assert_eq!(across.export_row()["instance"], "staging");
    }
}
