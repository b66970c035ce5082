//! Runner operations several pages share, with GitLab-version fallbacks.

use crate::api::request::{self, RunnerUpdate};
use crate::api::{ApiError, Client, RunnerDetails};

/// GitLab before 14.8 ignores `paused` and then finds no parameter at all; only then
/// is the deprecated `active` sent instead.
pub fn needs_active_fallback(error: &ApiError) -> bool {
    matches!(error, ApiError::Http { status: 400, message, .. }
        if message.contains("at least one parameter must be provided"))
}

pub async fn set_paused(client: &Client, id: u64, paused: bool) -> Result<RunnerDetails, ApiError> {
    let update = RunnerUpdate {
        paused: Some(paused),
        ..Default::default()
    };
    match client
        .json(&request::update_runner(id, &update), None)
        .await
    {
        Err(e) if needs_active_fallback(&e) => {
            let legacy = RunnerUpdate {
                active: Some(!paused),
                ..Default::default()
            };
            client
                .json(&request::update_runner(id, &legacy), None)
                .await
        }
        other => other,
    }
}
