//! Exports made in the browser: the runner list (a page, or every loaded runner)
//! and a runner's jobs, as CSV and JSON files that the browser downloads.

use fantoccini::Locator;
use gitlab_sandbox::{Config, ADMIN_TOKEN};

use super::harness::Harness;

/// A CSV as rows of cells, read back with the `csv` crate's own reader.
fn rows(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.expect("a CSV row").iter().map(String::from).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_of_runners_exports_as_csv_with_formulas_neutralised_and_as_json() {
    let h = Harness::with_config(Config::default()).await;
    // Descriptions a spreadsheet would run as formulas.
    let hostile = ["=1+2", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"];
    {
        let mut w = h.sandbox.state.write();
        for (id, text) in (1..=4).zip(hostile) {
            w.runners.get_mut(&id).unwrap().description = Some(text.to_string());
        }
    }
    h.sign_in(ADMIN_TOKEN).await;
    let dir = h.downloads_to().await;
    h.wait_for(Locator::Css("table.runners tbody tr")).await;
    let shown = h.table_ids().await;
    h.click_button("Export CSV").await;
    let (name, text) = h.downloaded(&dir, ".csv").await;
    let host = h
        .sandbox
        .url
        .trim_start_matches("http://")
        .replace(':', "-");
    assert!(
        name.starts_with(&format!("runners-{host}-all-page-1-")),
        "{name}"
    );
    let table = rows(&text);
    let header = &table[0];
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no {name} column: {header:?}"))
    };
    let (id, description, status) = (col("id"), col("description"), col("status"));
    assert!(
        header.contains(&"job_execution_status".to_string()),
        "{header:?}"
    );
    let ids: Vec<u64> = table[1..].iter().map(|r| r[id].parse().unwrap()).collect();
    assert_eq!(ids, shown, "exactly the runners of the page");
    for (row, text) in table[1..5].iter().zip(hostile) {
        assert_eq!(row[description], format!("'{text}"));
    }
    let fifth = h.sandbox.state.read().runners[&5]
        .description
        .clone()
        .unwrap_or_default();
    assert_eq!(table[5][description], fifth);
    assert!(!table[1][status].is_empty());

    h.click_button("Export JSON").await;
    let (_, text) = h.downloaded(&dir, ".json").await;
    let json: Vec<serde_json::Value> = serde_json::from_str(&text).expect("JSON");
    assert_eq!(json.len(), shown.len());
    // JSON keeps the text as GitLab sent it: it is not a spreadsheet.
    assert_eq!(json[0]["description"], hostile[0]);
    assert_eq!(json[0]["id"], 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_loaded_runner_and_a_runners_jobs_export() {
    let h = Harness::with_config(Config::default()).await;
    h.sign_in(ADMIN_TOKEN).await;
    let dir = h.downloads_to().await;
    h.open("/runners?view=all&status=online").await;
    let online = h
        .sandbox
        .state
        .read()
        .runners
        .values()
        .filter(|r| r.status(time::OffsetDateTime::now_utc()).as_str() == "online")
        .count();
    h.wait_for_text(".counts", &format!("{online} shown of {online} loaded"))
        .await;
    h.click_button("Export CSV").await;
    let (name, text) = h.downloaded(&dir, ".csv").await;
    assert!(name.contains("-all-status-online-"), "{name}");
    assert_eq!(rows(&text).len(), online + 1);

    h.open("/runners/4/jobs").await;
    h.wait_for(Locator::Css("table.jobs tbody tr")).await;
    h.click_button("Export JSON").await;
    let (name, text) = h.downloaded(&dir, ".json").await;
    assert!(name.starts_with("jobs-of-runner-4-"), "{name}");
    let jobs: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    // The sandbox gives each runner 15 jobs: one page of 20 holds them all.
    assert_eq!(jobs.len(), 15);
    assert!(jobs[0]["pipeline"]["id"].is_u64(), "{}", jobs[0]);
}
