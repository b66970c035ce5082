//! Exports of what GitLab sent (runners, a runner's jobs) as CSV and JSON,
//! made in the browser. CSV is written by the `csv` crate; nested objects
//! become dotted columns (`pipeline.id`), lists are joined by commas. Cells a
//! spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, carriage
//! return first) get a leading `'`, as OWASP's CSV-injection advice says.
//! Pure, so native tests cover it.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::api::request::{ProjectRef, RunnerFilter, RunnerSource};

/// `item`'s fields and, in a list of several instances, `instance` (its label),
/// so an export says where each runner lives. A JSON object rather than a
/// `#[serde(flatten)]` wrapper, whose machinery would be compiled in again for
/// every writer.
pub fn on_instance<T: Serialize>(item: &T, instance: Option<&str>) -> Value {
    let mut row = serde_json::to_value(item).unwrap_or_default();
    if let (Some(obj), Some(label)) = (row.as_object_mut(), instance) {
        obj.insert("instance".into(), label.into());
    }
    row
}

/// Where an export's rows come from, for its file name: the one GitLab's
/// address, or `all-instances`.
pub fn origin_of<'a>(gitlab_urls: impl IntoIterator<Item = &'a str>) -> String {
    let mut urls = gitlab_urls.into_iter();
    match (urls.next(), urls.next()) {
        (Some(one), None) => one.into(),
        _ => "all-instances".into(),
    }
}

/// A cell a spreadsheet would not run.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// `items` as JSON, pretty-printed, every field as serialised.
pub fn to_json<T: Serialize>(items: &[T]) -> String {
    serde_json::to_string_pretty(items).unwrap_or_else(|_| "[]".into())
}

/// `items` as CSV: one row each, a column for every field any of them has
/// (in the order first met), nested objects flattened.
pub fn to_csv<T: Serialize>(items: &[T]) -> String {
    let rows: Vec<Vec<(String, String)>> = items
        .iter()
        .map(|item| {
            let mut cells = vec![];
            if let Ok(v) = serde_json::to_value(item) {
                flatten(&v, "", &mut cells);
            }
            cells
        })
        .collect();
    // `id` first, then `instance` in a list of several instances (`on_instance`);
    // then every column in the order first met (serde_json orders an object's
    // keys by name).
    let mut columns: Vec<String> = vec!["id".into()];
    if rows.iter().any(|r| r.iter().any(|(k, _)| k == "instance")) {
        columns.push("instance".into());
    }
    for row in &rows {
        for (k, _) in row {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    // Each cell goes to its column's place: one look-up a cell, not a scan of
    // the row for every column (tens of thousands of runners get exported).
    let place: std::collections::HashMap<&str, usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let mut out = csv::Writer::from_writer(vec![]);
    let _ = out.write_record(columns.iter().map(|c| neutralise(c)));
    for row in &rows {
        let mut record = vec![String::new(); columns.len()];
        for (k, v) in row {
            record[place[k.as_str()]] = neutralise(v);
        }
        let _ = out.write_record(&record);
    }
    let bytes = out.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

fn flatten(v: &Value, prefix: &str, out: &mut Vec<(String, String)>) {
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        Value::Object(map) => flatten_map(map, prefix, out, &key),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            let text: Vec<String> = items.iter().map(scalar).collect();
            out.push((prefix.to_string(), text.join(",")));
        }
        // A list of objects (a runner's projects) stays readable as JSON in one cell.
        Value::Array(_) => out.push((prefix.to_string(), v.to_string())),
        other => out.push((prefix.to_string(), scalar(other))),
    }
}

fn flatten_map(
    map: &Map<String, Value>,
    prefix: &str,
    out: &mut Vec<(String, String)>,
    key: &dyn Fn(&str) -> String,
) {
    if map.is_empty() && !prefix.is_empty() {
        out.push((prefix.to_string(), String::new()));
    }
    for (k, v) in map {
        flatten(v, &key(k), out);
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `runners-gitlab.example.com-status-stale-2026-12-01.csv`: what, where, which
/// filter and when, in characters every file system takes.
pub fn file_name(what: &str, gitlab_url: &str, filter: &str, date: &str, ext: &str) -> String {
    let host = gitlab_url
        .split_once("://")
        .map_or(gitlab_url, |(_, rest)| rest)
        .trim_end_matches('/');
    let parts = [what, host, filter, date];
    let name: Vec<String> = parts
        .iter()
        .map(|p| safe(p))
        .filter(|p| !p.is_empty())
        .collect();
    format!("{}.{ext}", name.join("-"))
}

/// Which runner list an export holds, for its file name: `all-status-stale`.
pub fn list_name(source: &RunnerSource, filter: &RunnerFilter) -> String {
    let source = match source {
        RunnerSource::All => "all".to_string(),
        RunnerSource::Owned => "mine".to_string(),
        RunnerSource::Group(id) => format!("group-{id}"),
        // The path as people write it (`platform/api`), not as a URL encodes it.
        RunnerSource::Project(ProjectRef::Id(id)) => format!("project-{id}"),
        RunnerSource::Project(ProjectRef::Path(path)) => format!("project-{path}"),
    };
    let pairs = filter.to_query(&RunnerSource::All);
    let words: Vec<String> = pairs.into_iter().flat_map(|(k, v)| [k, v]).collect();
    std::iter::once(source)
        .chain(words)
        .collect::<Vec<_>>()
        .join("-")
}

/// Letters, digits, `.` and `_` kept; runs of anything else become one `-`.
fn safe(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn formulas_are_neutralised_and_other_text_is_kept() {
        for f in [
            "=1+2",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(neutralise(f), format!("'{f}"));
        }
        for ok in ["", "docker runner", "1-2", "a=b", "#12"] {
            assert_eq!(neutralise(ok), ok);
        }
    }

    #[test]
    fn csv_has_a_column_for_every_field_and_quotes_what_needs_it() {
        let items = vec![
            json!({"id": 1, "description": "=HYPERLINK(\"x\")", "tag_list": ["a", "b"], "online": true, "ip_address": null}),
            json!({"id": 2, "description": "two, with comma", "pipeline": {"id": 9, "ref": "main"}, "extra": "new field"}),
        ];
        let csv = to_csv(&items);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            headers,
            [
                "id",
                "description",
                "ip_address",
                "online",
                "tag_list",
                "extra",
                "pipeline.id",
                "pipeline.ref"
            ]
        );
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(
            rows[0],
            ["1", "'=HYPERLINK(\"x\")", "", "true", "a,b", "", "", ""]
        );
        assert_eq!(
            rows[1],
            ["2", "two, with comma", "", "", "", "new field", "9", "main"]
        );
    }

    #[test]
    fn rows_of_several_instances_say_which_first() {
        let rows = [
            on_instance(&json!({"id": 5, "active": true}), Some("production")),
            on_instance(&json!({"id": 7, "active": false}), Some("staging")),
        ];
        let csv = to_csv(&rows);
        assert_eq!(
            csv,
            "id,instance,active\n5,production,true\n7,staging,false\n"
        );
        let json: Vec<Value> = serde_json::from_str(&to_json(&rows)).unwrap();
        assert_eq!(
            json[1],
            json!({"id": 7, "instance": "staging", "active": false})
        );
        // One instance's rows carry no column for it.
        let alone = [on_instance(&json!({"id": 5}), None)];
        assert_eq!(to_csv(&alone), "id\n5\n");
        assert_eq!(origin_of(["https://a.example"]), "https://a.example");
        assert_eq!(
            file_name(
                "runners",
                &origin_of(["https://a.example", "https://b.example"]),
                "all",
                "2026-12-01",
                "csv"
            ),
            "runners-all-instances-all-2026-12-01.csv"
        );
    }

    #[test]
    fn lists_of_objects_stay_one_json_cell() {
        let csv = to_csv(&[json!({"id": 3, "projects": [{"id": 1}, {"id": 2}]})]);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(&row[1], r#"[{"id":1},{"id":2}]"#);
    }

    #[test]
    fn json_keeps_every_field() {
        let items = vec![json!({"id": 1, "new_in_19": {"x": 1}})];
        let back: Vec<Value> = serde_json::from_str(&to_json(&items)).unwrap();
        assert_eq!(back, items);
    }

    #[test]
    fn a_list_is_named_by_its_source_and_filters() {
        use crate::api::request::StatusFilter;
        let stale = RunnerFilter {
            status: Some(StatusFilter::Stale),
            tag_list: vec!["docker".into(), "gpu".into()],
            ..Default::default()
        };
        assert_eq!(
            list_name(&RunnerSource::All, &stale),
            "all-status-stale-tag_list-docker,gpu"
        );
        assert_eq!(
            list_name(&RunnerSource::Owned, &RunnerFilter::default()),
            "mine"
        );
        let project = RunnerSource::Project(ProjectRef::Path("platform/api".into()));
        assert_eq!(
            file_name("runners", "https://gitlab.example.com", &list_name(&project, &stale), "2026-12-01", "csv"),
            "runners-gitlab.example.com-project-platform-api-status-stale-tag_list-docker-gpu-2026-12-01.csv"
        );
    }

    #[test]
    fn file_names_say_what_where_which_and_when() {
        assert_eq!(
            file_name(
                "runners",
                "https://gitlab.example.com/",
                "status stale",
                "2026-12-01",
                "csv"
            ),
            "runners-gitlab.example.com-status-stale-2026-12-01.csv"
        );
        assert_eq!(
            file_name(
                "jobs-of-runner-4",
                "http://127.0.0.1:8080",
                "",
                "2026-12-01",
                "json"
            ),
            "jobs-of-runner-4-127.0.0.1-8080-2026-12-01.json"
        );
    }
}

/// The exports write the console's models back out: every field the newest
/// GitLab documents must survive that (a field the model lacks would vanish
/// from the export).
#[cfg(test)]
mod every_documented_field {
    use crate::api::model::decode;
    use crate::api::{Runner, RunnerJob};
    use serde_json::Value;

    fn missing(original: &Value, written: &Value, path: &str, out: &mut Vec<String>) {
        match (original, written) {
            (Value::Object(o), Value::Object(w)) => {
                for (k, v) in o {
                    let here = format!("{path}.{k}");
                    match w.get(k) {
                        Some(wv) => missing(v, wv, &here, out),
                        None => out.push(here),
                    }
                }
            }
            (Value::Array(o), Value::Array(w)) => {
                for (i, (ov, wv)) in o.iter().zip(w).enumerate() {
                    missing(ov, wv, &format!("{path}[{i}]"), out);
                }
            }
            _ => {}
        }
    }

    fn check<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> Vec<String> {
        let original: Value = serde_json::from_str(text).unwrap();
        let typed: Vec<T> = decode(text).unwrap();
        let written = serde_json::to_value(&typed).unwrap();
        let mut out = vec![];
        missing(&original, &written, "", &mut out);
        out
    }

    macro_rules! newest {
        ($name:literal) => {
            include_str!(concat!("../tests/fixtures/newest/", $name, ".json"))
        };
    }

    #[test]
    fn runner_lists_keep_every_field() {
        for text in [
            newest!("runners_owned"),
            newest!("runners_all"),
            newest!("project_runners"),
            newest!("group_runners"),
        ] {
            assert_eq!(check::<Runner>(text), Vec::<String>::new());
        }
    }

    #[test]
    fn jobs_keep_every_field() {
        assert_eq!(
            check::<RunnerJob>(newest!("runner_jobs")),
            Vec::<String>::new()
        );
    }
}
