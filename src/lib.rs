//! Runner Console: manage GitLab CI runners from the browser.
//!
//! `api`, `gitlab_url`, `list_query` and `runner_form` are plain Rust (tested natively); the UI
//! modules need a browser and build for wasm32 only.

pub mod api;
pub mod cleanup;
pub mod dashboard;
pub mod deploy_config;
pub mod edit_draft;
pub mod export;
pub mod fleet;
pub mod gitlab_url;
pub mod gitlab_version;
pub mod instances;
pub mod jobs_query;
pub mod links;
pub mod list_query;
pub mod new_runner_form;
pub mod oauth;
pub mod outdated;
pub mod project_runners_query;
pub mod refusals;
pub mod register_form;
pub mod runner_facts;
pub mod runner_form;
pub mod runner_rules;
pub mod shortcuts;
pub mod status_summary;
pub mod theme;
pub mod time_text;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod navigation;
#[cfg(target_arch = "wasm32")]
pub mod oauth_flow;
#[cfg(target_arch = "wasm32")]
pub mod pages;
#[cfg(target_arch = "wasm32")]
pub mod perf;
#[cfg(target_arch = "wasm32")]
pub mod runner_actions;
#[cfg(target_arch = "wasm32")]
pub mod session;

#[cfg(all(test, target_arch = "wasm32"))]
mod wasm_tests;
