//! Fault injection: rules from the config, the control endpoint and in-process
//! make chosen requests fail, then pass once spent.

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::*;
use gitlab_sandbox::{Config, FaultKind, FaultRule};
use reqwest::Method;

fn rule(path: &str) -> FaultRule {
    FaultRule {
        path: path.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_configured_rule_answers_its_status_body_and_headers_then_is_spent() {
    let s = Sandbox::with(Config {
        runners: 12,
        faults: vec![FaultRule {
            method: Some("GET".into()),
            status: Some(429),
            body: Some("Retry later\n".into()),
            content_type: Some("text/plain".into()),
            headers: BTreeMap::from([("Retry-After".into(), "7".into())]),
            times: Some(1),
            ..rule("/api/v4/runners/all")
        }],
        ..Default::default()
    })
    .await;
    let r = s.get("/runners/all", ADMIN_TOKEN).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.text, "Retry later\n");
    assert_eq!(r.header("retry-after"), Some("7"));
    assert_eq!(r.header("content-type"), Some("text/plain"));
    // A made-up answer still carries GitLab's CORS headers, so a browser reads it.
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    // Spent: the next request is answered normally.
    assert_eq!(s.get("/runners/all", ADMIN_TOKEN).await.ids().len(), 12);
}

#[tokio::test]
async fn rules_match_method_and_path() {
    let s = Sandbox::fixed().await;
    s.running.state.faults.push(FaultRule {
        method: Some("PUT".into()),
        status: Some(503),
        ..rule("/api/v4/runners/*")
    });
    // A GET of the same path is not caught.
    s.get("/runners/3", ADMIN_TOKEN).await.ok(200);
    let r = s
        .put_form("/runners/3", ADMIN_TOKEN, &[("description", "x")])
        .await;
    assert_eq!(r.status, 503);
    // The write never reached the world.
    assert_ne!(
        s.running.state.read().runners[&3].description.as_deref(),
        Some("x")
    );
    // No `times`: it keeps failing.
    let r = s
        .put_form("/runners/3", ADMIN_TOKEN, &[("description", "x")])
        .await;
    assert_eq!(r.status, 503);
}

#[tokio::test]
async fn a_non_gitlab_html_page_and_malformed_json_can_be_served() {
    let s = Sandbox::fixed().await;
    s.running.state.faults.push(FaultRule {
        status: Some(200),
        body: Some("<!doctype html><title>Welcome</title>".into()),
        content_type: Some("text/html".into()),
        times: Some(1),
        ..rule("/api/v4/user")
    });
    s.running.state.faults.push(FaultRule {
        status: Some(200),
        body: Some(r#"[{"id": 1, "#.into()),
        times: Some(1),
        ..rule("/api/v4/runners/all")
    });
    let r = s.get("/user", ADMIN_TOKEN).await;
    assert_eq!(
        (r.status, r.header("content-type")),
        (200, Some("text/html"))
    );
    assert!(r.text.starts_with("<!doctype html>"));
    let r = s.get("/runners/all", ADMIN_TOKEN).await;
    assert_eq!(r.status, 200);
    assert!(serde_json::from_str::<serde_json::Value>(&r.text).is_err());
    assert_eq!(r.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn a_pass_rule_strips_headers_and_cors() {
    let s = Sandbox::fixed().await;
    s.running.state.faults.push(FaultRule {
        kind: FaultKind::Pass,
        strip_headers: vec!["X-Total".into(), "x-total-pages".into()],
        cors: Some(false),
        ..rule("/api/v4/runners/all")
    });
    let r = send(
        s.req(Method::GET, "/runners/all?per_page=5", Some(ADMIN_TOKEN))
            .header("Origin", "http://elsewhere.test"),
    )
    .await;
    assert_eq!(r.ids(), [1, 2, 3, 4, 5]);
    assert_eq!(r.header("x-total"), None);
    assert_eq!(r.header("x-total-pages"), None);
    assert_eq!(r.header("x-next-page"), Some("2"));
    assert_eq!(r.header("access-control-allow-origin"), None);
    // Other paths keep their CORS headers.
    let r = send(
        s.req(Method::GET, "/user", Some(ADMIN_TOKEN))
            .header("Origin", "http://elsewhere.test"),
    )
    .await;
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
}

#[tokio::test]
async fn a_drop_rule_closes_the_connection_without_an_answer() {
    let s = Sandbox::fixed().await;
    s.running.state.faults.push(FaultRule {
        kind: FaultKind::Drop,
        times: Some(1),
        ..rule("/api/v4/runners/1")
    });
    let err = s
        .req(Method::GET, "/runners/1", Some(ADMIN_TOKEN))
        .send()
        .await
        .expect_err("no answer");
    assert!(!err.is_status(), "{err}");
    s.get("/runners/1", ADMIN_TOKEN).await.ok(200);
}

#[tokio::test]
async fn a_delay_holds_the_answer() {
    let s = Sandbox::fixed().await;
    s.running.state.faults.push(FaultRule {
        kind: FaultKind::Pass,
        delay_ms: 300,
        times: Some(1),
        ..rule("/api/v4/version")
    });
    let started = Instant::now();
    s.get("/version", ADMIN_TOKEN).await.ok(200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn the_control_endpoint_adds_lists_and_clears_rules() {
    let s = Sandbox::fixed().await;
    let control = format!("{}/__sandbox/faults", s.running.url);
    let r = send(s.client.post(&control).json(&serde_json::json!([
        {"method": "GET", "path": "/api/v4/runners/2", "status": 404,
         "body": "{\"message\":\"404 Runner Not Found\"}", "times": 2},
        {"path": "/api/v4/version", "status": 502, "body": "<h1>502 Bad Gateway</h1>",
         "content_type": "text/html"}
    ])))
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    s.get("/runners/2", ADMIN_TOKEN)
        .await
        .expect(404, RUNNER_NOT_FOUND);
    let listed = send(s.client.get(&control)).await;
    let rules = listed.ok(200).as_array().unwrap().clone();
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[0]["times"], 1);
    // A single rule may be posted alone too.
    let r = send(
        s.client
            .post(&control)
            .json(&serde_json::json!({"path": "/api/v4/user", "status": 401})),
    )
    .await;
    assert_eq!(r.status, 201);
    assert_eq!(s.get("/user", ADMIN_TOKEN).await.status, 401);
    // A catch-all rule does not catch the control endpoint itself.
    let r = send(
        s.client
            .post(&control)
            .json(&serde_json::json!({"path": "*", "status": 500})),
    )
    .await;
    assert_eq!(r.status, 201);
    let r = send(s.client.delete(&control)).await;
    assert_eq!(r.status, 204);
    assert!(s.running.state.faults.rules().is_empty());
    s.get("/runners/2", ADMIN_TOKEN).await.ok(200);
    s.get("/version", ADMIN_TOKEN).await.ok(200);
    // Unknown fields are refused, so a typo does not silently make a catch-all.
    let r = send(
        s.client
            .post(&control)
            .json(&serde_json::json!({"path": "/api/v4/user", "stauts": 500})),
    )
    .await;
    assert_eq!(r.status, 422);
}

#[test]
fn a_faults_file_is_a_json_list_of_rules() {
    let dir = std::env::temp_dir().join(format!("faults-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("faults.json");
    std::fs::write(
        &file,
        r#"[{"path": "/api/v4/runners", "kind": "drop", "times": 1}]"#,
    )
    .unwrap();
    let rules = gitlab_sandbox::faults::load(&file).unwrap();
    assert_eq!(rules[0].kind, FaultKind::Drop);
    assert_eq!(rules[0].times, Some(1));
    std::fs::write(&file, r#"{"path": 1}"#).unwrap();
    assert!(gitlab_sandbox::faults::load(&file).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}
