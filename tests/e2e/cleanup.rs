//! Stale-runner cleanup (`/cleanup`): criteria in the URL, a preview that says
//! how many runners match and why, the export of exactly those, and a delete
//! run with progress, cancel, a result per runner and retry. Each test checks
//! the page against what the sandbox GitLab holds before and after.

use std::collections::BTreeSet;

use fantoccini::Locator;
use gitlab_sandbox::{Config, FaultKind, FaultRule, GitLabVersion, ADMIN_TOKEN, MAINTAINER_TOKEN};

use super::harness::Harness;

/// The ids GitLab (the sandbox) lists with status `scope`.
fn ids_with_status(h: &Harness, scope: &str) -> BTreeSet<u64> {
    let world = h.sandbox.state.read();
    let now = time::OffsetDateTime::now_utc();
    world
        .runners
        .values()
        .filter(|r| r.matches_scope_for(scope, now, GitLabVersion::NEWEST))
        .map(|r| r.id)
        .collect()
}

fn all_ids(h: &Harness) -> BTreeSet<u64> {
    h.sandbox.state.read().runners.keys().copied().collect()
}

/// "N runners match" once the search is over: N.
async fn match_count(h: &Harness) -> usize {
    let text = h.wait_for_text(".match-count", "(GitLab listed").await;
    text.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {text:?}"))
}

/// Ids of a JSON export.
fn json_ids(text: &str) -> BTreeSet<u64> {
    let rows: Vec<serde_json::Value> = serde_json::from_str(text).expect("JSON");
    rows.iter().map(|r| r["id"].as_u64().expect("id")).collect()
}

/// A count of the dashboard's table, once counted.
async fn dashboard_cell(h: &Harness, key: &str) -> String {
    h.wait_for_text(&format!("td[data-cell='{key}'] a"), "")
        .await
}

/// Types the count into the open dialog and confirms.
async fn confirm_delete(h: &Harness, n: usize) {
    h.wait_for_text("dialog[open] h2", &format!("Delete {n} runners?"))
        .await;
    let confirm = format!("//dialog[@open]//button[normalize-space(.)='Delete {n} runners']");
    let button = h.wait_for(Locator::XPath(&confirm)).await;
    assert!(
        button.attr("disabled").await.unwrap().is_some(),
        "the delete waits for the typed count"
    );
    h.fill(&format!("Type {n} to confirm"), &(n + 1).to_string())
        .await;
    assert!(button.attr("disabled").await.unwrap().is_some());
    h.fill(&format!("Type {n} to confirm"), &n.to_string())
        .await;
    h.wait_until_js(&format!(
        "!document.evaluate(\"{confirm}\", document, null, 9, null).singleNodeValue.disabled"
    ))
    .await;
    button.click().await.expect("confirm");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_previews_exports_and_deletes_the_stale_runners_and_the_dashboard_shows_the_fleet_after(
) {
    let h = Harness::with_config(Config::default()).await;
    h.sign_in(ADMIN_TOKEN).await;
    let stale = ids_with_status(&h, "stale");
    assert!(stale.len() > 5, "the sandbox has stale runners: {stale:?}");
    let before = all_ids(&h);
    // The list links to it.
    h.click_link("Clean up stale runners").await;
    h.wait_for_text("h1", "Clean up runners").await;
    assert!(h.current_url().await.ends_with("/cleanup?status=stale"));
    assert_eq!(h.value_of("Status").await, "stale");

    let n = match_count(&h).await;
    assert_eq!(n, stale.len(), "GitLab's count of stale runners");
    let row = h
        .wait_for_text(
            "table.cleanup-table tbody tr[data-runner-id]",
            "Status: stale",
        )
        .await;
    assert!(row.contains("Status: stale"), "{row}");

    let dir = h.downloads_to().await;
    h.click_button("Export JSON").await;
    let (name, text) = h.downloaded(&dir, ".json").await;
    assert!(
        name.starts_with("cleanup-") && name.contains("-stale-"),
        "{name}"
    );
    assert_eq!(
        json_ids(&text),
        stale,
        "the export holds exactly the matching runners"
    );
    let rows: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(rows[0]["matched_because"][0], "Status: stale");
    h.click_button("Export CSV").await;
    let (_, csv_text) = h.downloaded(&dir, ".csv").await;
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let id_col = reader
        .headers()
        .unwrap()
        .iter()
        .position(|c| c == "id")
        .unwrap();
    let csv_ids: BTreeSet<u64> = reader
        .records()
        .map(|r| r.unwrap()[id_col].parse().unwrap())
        .collect();
    assert_eq!(csv_ids, stale);

    h.click_button(&format!("Delete {n} runners")).await;
    confirm_delete(&h, n).await;
    h.wait_for_text(
        ".cleanup-results",
        &format!("Deleting finished. {n} deleted, 0 already gone, 0 refused, 0 failed."),
    )
    .await;
    h.wait_for_text(
        ".toasts .toast",
        &format!("Cleanup: {n} of {n} runners deleted"),
    )
    .await;
    let after = all_ids(&h);
    assert!(ids_with_status(&h, "stale").is_empty(), "none is left");
    assert_eq!(
        after,
        before.difference(&stale).copied().collect(),
        "nothing else was touched"
    );
    let first = *stale.iter().next_back().unwrap();
    h.wait_for_text(
        &format!("tr[data-runner-id='{first}'] td.result"),
        "Deleted",
    )
    .await;

    // Looking again finds none; the dashboard shows the fleet after.
    h.click_button("Search again").await;
    h.wait_for_text(".match-count", "0 runners match (GitLab listed 0")
        .await;
    h.click_link("Dashboard").await;
    assert_eq!(dashboard_cell(&h, "stale-all").await, "0");
    assert_eq!(dashboard_cell(&h, "all-all").await, after.len().to_string());
}

#[tokio::test(flavor = "multi_thread")]
async fn cancelling_a_cleanup_stops_new_deletes_and_says_how_each_runner_ended() {
    let h = Harness::with_config(Config::default()).await;
    // Deletes take a while, so the run can be caught half-way.
    h.sandbox.state.faults.push(FaultRule {
        method: Some("DELETE".into()),
        path: "/api/v4/runners/*".into(),
        kind: FaultKind::Pass,
        delay_ms: 400,
        ..Default::default()
    });
    h.sign_in(ADMIN_TOKEN).await;
    let offline = ids_with_status(&h, "offline");
    h.open("/cleanup?status=offline").await;
    let n = match_count(&h).await;
    assert_eq!(n, offline.len());
    assert!(n > 12, "enough to cancel half-way: {n}");
    h.click_button(&format!("Delete {n} runners")).await;
    confirm_delete(&h, n).await;
    // The bar says how far it is, to assistive technology too.
    let bar = h
        .wait_for(Locator::Css("progress[role='progressbar']"))
        .await;
    assert_eq!(
        bar.attr("aria-valuemax").await.unwrap(),
        Some(n.to_string())
    );
    h.wait_until_js("Number(document.querySelector('progress[role=progressbar]')?.getAttribute('aria-valuenow')) >= 1")
        .await;
    h.click_button("Cancel").await;
    let summary = h
        .wait_for_text(".cleanup-results", "Deleting cancelled after")
        .await;
    let deleted: usize = summary
        .split(". ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| panic!("{summary}"));
    assert!(deleted >= 1 && deleted < n, "{summary}");
    assert!(
        summary.contains(&format!("Deleting cancelled after {deleted} runners.")),
        "{summary}"
    );
    // What the page says is what GitLab holds.
    let left: BTreeSet<u64> = offline.intersection(&all_ids(&h)).copied().collect();
    assert_eq!(left.len(), n - deleted, "{summary}");
    // The rest can still be deleted.
    h.wait_for(Locator::XPath(&format!(
        "//button[normalize-space(.)='Delete {} runners']",
        n - deleted
    )))
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_delete_keeps_gitlabs_words_an_already_gone_runner_says_so_and_retry_finishes() {
    let h = Harness::with_config(Config::default()).await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/cleanup?status=never_contacted").await;
    let n = match_count(&h).await;
    let ids = ids_with_status(&h, "never_contacted");
    assert_eq!(n, ids.len());
    assert!(n >= 3, "{ids:?}");
    // Both among the first rows, which the table draws (newest first).
    let mut it = ids.iter().rev().copied();
    let (gone, refused) = (it.next().unwrap(), it.next().unwrap());
    h.sandbox.state.faults.push(FaultRule {
        method: Some("DELETE".into()),
        path: format!("/api/v4/runners/{refused}"),
        status: Some(403),
        body: Some(r#"{"message":"403 Forbidden - Runner is protected by policy"}"#.into()),
        times: Some(1),
        ..Default::default()
    });
    // Somebody else deletes one after the preview.
    h.sandbox.state.write().runners.remove(&gone);

    h.click_button(&format!("Delete {n} runners")).await;
    confirm_delete(&h, n).await;
    h.wait_for_text(
        ".cleanup-results",
        &format!("{} deleted, 1 already gone, 1 refused, 0 failed.", n - 2),
    )
    .await;
    let failure = h
        .wait_for_text(".bulk-failures", &format!("#{refused}"))
        .await;
    assert!(
        failure.contains("Refused: GitLab says \"Runner is protected by policy\"."),
        "{failure}"
    );
    h.wait_for_text(
        &format!("tr[data-runner-id='{gone}'] td.result"),
        "Already gone",
    )
    .await;
    assert!(h.sandbox.state.read().runners.contains_key(&refused));

    h.click_button("Retry failed").await;
    h.wait_for_text(
        ".cleanup-results",
        &format!(
            "Deleting finished. {} deleted, 1 already gone, 0 refused, 0 failed.",
            n - 1
        ),
    )
    .await;
    assert!(!h.sandbox.state.read().runners.contains_key(&refused));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_maintainer_deletes_what_gitlab_lets_them_and_a_shared_runner_is_explained() {
    let h = Harness::start().await;
    // Runner 6 serves two projects; 3 and 12 one each (tests/e2e/fleet.rs).
    let picked = [3u64, 6, 12];
    {
        let mut w = h.sandbox.state.write();
        for id in picked {
            w.runners
                .get_mut(&id)
                .unwrap()
                .tag_list
                .push("retire".into());
        }
    }
    h.sign_in(MAINTAINER_TOKEN).await;
    h.click_link("Clean up").await;
    h.wait_for_text("h1", "Clean up runners").await;
    h.wait_for_text(".note", "Choose at least one criterion")
        .await;
    h.wait_for_text(".cleanup-page .note", "only while no other project uses it")
        .await;
    // A refused field keeps what was typed and asks GitLab nothing.
    h.fill("Tags", "retire").await;
    h.fill("Not contacted for at least (days)", "soon").await;
    h.click_button("Find runners").await;
    h.wait_for_text(".field-error", "whole number of days")
        .await;
    assert_eq!(
        h.value_of("Not contacted for at least (days)").await,
        "soon"
    );
    assert!(h.current_url().await.ends_with("/cleanup"));
    h.erase("Not contacted for at least (days)").await;
    h.click_button("Find runners").await;
    assert_eq!(match_count(&h).await, 3);
    assert!(h.current_url().await.ends_with("/cleanup?tags=retire"));

    h.click_button("Delete 3 runners").await;
    confirm_delete(&h, 3).await;
    h.wait_for_text(".cleanup-results", "2 deleted, 0 already gone, 1 refused")
        .await;
    let failure = h.wait_for_text(".bulk-failures", "#6").await;
    assert!(
        failure.contains("Runner associated with more than one project")
            && failure.contains("only an administrator can delete it"),
        "{failure}"
    );
    let world = h.sandbox.state.read();
    assert!(world.runners.contains_key(&6));
    assert!(!world.runners.contains_key(&3) && !world.runners.contains_key(&12));
}

#[tokio::test(flavor = "multi_thread")]
async fn last_contact_is_read_only_where_the_list_cannot_tell() {
    let h = Harness::with_config(Config::default()).await;
    h.sign_in(ADMIN_TOKEN).await;
    let now = time::OffsetDateTime::now_utc();
    let (expected, offline): (BTreeSet<u64>, BTreeSet<u64>) = {
        let world = h.sandbox.state.read();
        let idle = |r: &&gitlab_sandbox::model::Runner| {
            r.contacted_at.is_none_or(|c| (now - c).whole_days() >= 30)
        };
        (
            world.runners.values().filter(idle).map(|r| r.id).collect(),
            ids_with_status(&h, "offline"),
        )
    };
    h.open("/cleanup?contacted_days=30").await;
    assert_eq!(match_count(&h).await, expected.len());
    let dir = h.downloads_to().await;
    h.click_button("Export JSON").await;
    let (_, text) = h.downloaded(&dir, ".json").await;
    assert_eq!(json_ids(&text), expected);
    // Details were asked for the offline runners only: the list says the rest
    // (online is recent, a null `online` is never contacted).
    let asked: BTreeSet<u64> = h
        .requests_with("GET /api/v4/runners/")
        .iter()
        .filter_map(|l| {
            let path = l.split_whitespace().nth(1)?;
            let id = path.strip_prefix("/api/v4/runners/")?.split('?').next()?;
            id.parse().ok()
        })
        .collect();
    assert_eq!(asked, offline);
}

#[tokio::test(flavor = "multi_thread")]
async fn version_older_than_matches_what_the_runners_last_reported() {
    let h = Harness::with_config(Config::default()).await;
    h.sign_in(ADMIN_TOKEN).await;
    let parts = runner_console::runner_facts::version_parts;
    let reported: Vec<(u64, String)> = {
        let w = h.sandbox.state.read();
        w.runners
            .values()
            .filter(|r| r.contacted_at.is_some())
            .filter_map(|r| Some((r.id, w.latest_manager(r)?.version?)))
            .collect()
    };
    // The newest minor the fleet runs: every runner on an older one matches.
    let newest = reported.iter().map(|(_, v)| parts(v)).max().unwrap();
    let limit_text = format!("{}.{}", newest[0], newest[1]);
    let limit = parts(&limit_text);
    let expected: BTreeSet<u64> = reported
        .iter()
        .filter(|(_, v)| parts(v) < limit)
        .map(|(id, _)| *id)
        .collect();
    assert!(
        !expected.is_empty() && expected.len() < reported.len(),
        "some runners are older than {limit_text}, some not"
    );
    // Typed into the form, which puts it in the URL.
    h.click_link("Clean up").await;
    h.fill("Version older than", &limit_text).await;
    h.click_button("Find runners").await;
    assert_eq!(match_count(&h).await, expected.len());
    assert!(h
        .current_url()
        .await
        .ends_with(&format!("/cleanup?older_than={limit_text}")));
    let first = *expected.iter().next_back().unwrap();
    let row = h
        .wait_for_text(
            &format!("tr[data-runner-id='{first}']"),
            &format!("older than {limit_text}"),
        )
        .await;
    assert!(row.contains("Version "), "{row}");
    let dir = h.downloads_to().await;
    h.click_button("Export JSON").await;
    let (_, text) = h.downloaded(&dir, ".json").await;
    assert_eq!(json_ids(&text), expected);
}
