//! One module per route.

pub mod all_dashboard;
pub mod all_runners;
pub mod cleanup;
pub mod dashboard;
pub mod instances;
pub mod new_runner;
pub mod not_found;
pub mod oauth_callback;
pub mod outdated;
pub mod project_runners;
pub mod register;
pub mod runner_detail;
pub mod runner_edit;
pub mod runner_jobs;
pub mod runners;
pub mod sign_in;
pub mod tokens;
