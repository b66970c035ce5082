//! Runner operations several pages share, with GitLab-version fallbacks.

use crate::api::request::{self, RunnerUpdate};
use crate::api::{ApiError, Client, RunnerDetails};
use crate::runner_form::legacy_pause_retry;

/// `PUT /runners/:id` with `paused`, once more with `active` for GitLab < 14.8.
pub async fn set_paused(client: &Client, id: u64, paused: bool) -> Result<RunnerDetails, ApiError> {
    let update = RunnerUpdate {
        paused: Some(paused),
        ..Default::default()
    };
    match client
        .json(&request::update_runner(id, &update), None)
        .await
    {
        Err(error) => match legacy_pause_retry(&update, &error) {
            Some(retry) => client.json(&request::update_runner(id, &retry), None).await,
            None => Err(error),
        },
        ok => ok,
    }
}
