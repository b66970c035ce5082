//! End-to-end tests: the release build of the console in headless Chromium against
//! the sandbox GitLab. `cargo xtask test` builds the console and sets CONSOLE_DIST.

#![cfg(not(target_arch = "wasm32"))]

mod e2e {
    mod accessibility;
    mod cleanup;
    mod csp;
    mod dashboard;
    mod deploy;
    mod export;
    mod faults;
    mod feel;
    mod fleet;
    pub mod harness;
    mod hostile_data;
    mod instances;
    mod new_runner;
    mod runner_detail;
    mod runner_list;
    mod runner_tools;
    mod sign_in;
    mod token_safety;
    mod token_tools;
    mod versions;
}
