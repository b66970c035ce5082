//! Shared helpers for the HTTP tests: a sandbox per test on a free port, and a
//! small client that reads answers into (status, headers, JSON body).
#![allow(dead_code, unused_imports)]

use gitlab_sandbox::{Config, GitLabVersion, Running};
use reqwest::header::HeaderMap;
use reqwest::{Method, RequestBuilder};
use serde_json::Value;

pub use gitlab_sandbox::{
    ADMIN_TOKEN, CREATE_RUNNER_TOKEN, MAINTAINER_TOKEN, MANAGE_RUNNER_TOKEN, READONLY_TOKEN,
    REPORTER_TOKEN,
};

pub const FORBIDDEN: &str = r#"{"message":"403 Forbidden"}"#;
pub const NO_ACCESS: &str = r#"{"message":"403 Forbidden - No access granted"}"#;
pub const RUNNER_NOT_FOUND: &str = r#"{"message":"404 Runner Not Found"}"#;
pub const PROJECT_NOT_FOUND: &str = r#"{"message":"404 Project Not Found"}"#;
pub const GROUP_NOT_FOUND: &str = r#"{"message":"404 Group Not Found"}"#;
pub const UNAUTHORIZED: &str = r#"{"message":"401 Unauthorized"}"#;

pub struct Sandbox {
    pub running: Running,
    pub client: reqwest::Client,
}

/// One answer, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    /// The body as JSON; `Null` when empty or not JSON.
    pub body: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the status and that the body is exactly this JSON.
    #[track_caller]
    pub fn expect(&self, status: u16, body: &str) {
        let want: Value = serde_json::from_str(body).expect("expected body is JSON");
        assert_eq!(
            (self.status, &self.body),
            (status, &want),
            "unexpected answer: {}",
            self.text
        );
    }

    /// Asserts the status and returns the body.
    #[track_caller]
    pub fn ok(&self, status: u16) -> &Value {
        assert_eq!(self.status, status, "unexpected answer: {}", self.text);
        &self.body
    }

    /// The `id`s of a list answer (asserting 200).
    #[track_caller]
    pub fn ids(&self) -> Vec<u64> {
        ids(self.ok(200))
    }
}

pub fn ids(list: &Value) -> Vec<u64> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|item| item["id"].as_u64().expect("numeric id"))
        .collect()
}

impl Sandbox {
    /// The default world: 120 runners, seed 42.
    pub async fn start() -> Self {
        Self::with(Config::default()).await
    }

    /// Only the twelve hand-made runners, so lists can be asserted whole.
    pub async fn fixed() -> Self {
        Self::with(Config {
            runners: 12,
            ..Default::default()
        })
        .await
    }

    /// The twelve hand-made runners, answering like GitLab `major.minor`.
    pub async fn fixed_at(major: u32, minor: u32) -> Self {
        Self::with(Config {
            runners: 12,
            gitlab_version: GitLabVersion::new(major, minor),
            ..Default::default()
        })
        .await
    }

    pub async fn with(config: Config) -> Self {
        let running = gitlab_sandbox::spawn(config, "127.0.0.1:0".parse().unwrap())
            .await
            .expect("sandbox starts");
        let client = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client");
        Self { running, client }
    }

    /// `http://127.0.0.1:port/api/v4` + path.
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v4{path}", self.running.url)
    }

    /// A request with `PRIVATE-TOKEN` set when `token` is given.
    pub fn req(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let rb = self.client.request(method, self.url(path));
        match token {
            Some(t) => rb.header("PRIVATE-TOKEN", t),
            None => rb,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        send(self.req(Method::GET, path, Some(token))).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Reply {
        send(self.req(Method::DELETE, path, Some(token))).await
    }

    /// POST with a form-urlencoded body (empty form allowed).
    pub async fn post_form(&self, path: &str, token: Option<&str>, form: &[(&str, &str)]) -> Reply {
        send(self.req(Method::POST, path, token).form(form)).await
    }

    pub async fn put_form(&self, path: &str, token: &str, form: &[(&str, &str)]) -> Reply {
        send(self.req(Method::PUT, path, Some(token)).form(form)).await
    }

    /// A registration token of the world: the instance's, a group's or a project's.
    pub fn instance_registration_token(&self) -> String {
        self.running
            .state
            .read()
            .instance_registration_token
            .clone()
    }

    pub fn group_registration_token(&self, group_id: u64) -> String {
        let world = self.running.state.read();
        world
            .group(group_id)
            .expect("group")
            .registration_token
            .clone()
    }

    pub fn project_registration_token(&self, project_id: u64) -> String {
        let world = self.running.state.read();
        world
            .project(project_id)
            .expect("project")
            .registration_token
            .clone()
    }

    /// A runner's authentication token as the world holds it.
    pub fn runner_token(&self, id: u64) -> String {
        self.running.state.read().runners[&id].token.clone()
    }

    /// Tags of a runner as the world holds them (for the seeded, not hand-made ones).
    pub fn runner_tags(&self, id: u64) -> Vec<String> {
        self.running.state.read().runners[&id].tag_list.clone()
    }

    /// Whether a runner was ever contacted (stale runners are drawn either way).
    pub fn contacted(&self, id: u64) -> bool {
        self.running.state.read().runners[&id]
            .contacted_at
            .is_some()
    }
}

pub async fn send(rb: RequestBuilder) -> Reply {
    let res = rb.send().await.expect("request reaches the sandbox");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let text = res.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        text,
        body,
    }
}
