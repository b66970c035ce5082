//! Runner Console: manage GitLab CI runners from the browser.
//!
//! `api`, `gitlab_url`, `list_query` and `runner_form` are plain Rust (tested natively); the UI
//! modules need a browser and build for wasm32 only.

pub mod api;
pub mod gitlab_url;
pub mod links;
pub mod list_query;
pub mod runner_form;
pub mod time_text;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod pages;
#[cfg(target_arch = "wasm32")]
pub mod session;

#[cfg(all(test, target_arch = "wasm32"))]
mod wasm_tests;
