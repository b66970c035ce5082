//! When a failed request is tried again, and after how long. Pure, so native
//! tests pin it down; `client.rs` only follows the decisions.
//!
//! - Reads (GET) are retried after a network failure or a 500/502/503/504,
//!   waiting 0.5 s, 1 s, then 2 s; after that the error is reported.
//! - Reads answered 429 wait for `Retry-After` (or [`RATE_LIMIT_DEFAULT_SECS`]
//!   when the header is missing or not readable cross-origin), a few times.
//! - Writes are never repeated on their own: a write that failed may have
//!   happened, so the person decides (pages offer a manual retry).
//! - Timeouts, cancellations, decode errors and other 4xx are reported at once.

use super::error::ApiError;
use super::request::Method;

/// Waits before the 1st, 2nd and 3rd retry of a read.
pub const BACKOFF_MS: [u64; 3] = [500, 1_000, 2_000];
/// GitLab does not expose `Retry-After` cross-origin; a 429 without it waits this long.
pub const RATE_LIMIT_DEFAULT_SECS: u64 = 60;
/// How many 429s in a row one read waits out before reporting.
pub const RATE_LIMIT_WAITS: u32 = 3;
/// A request with no answer after this long is aborted and reported as a timeout.
pub const TIMEOUT_MS: u32 = 30_000;

/// Why a read is tried again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryReason {
    /// 429: GitLab asked to slow down.
    RateLimited,
    /// 5xx: GitLab or a proxy in front of it failed.
    ServerError(u16),
    /// No answer reached the browser.
    Network,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Retry { after_ms: u64, reason: RetryReason },
    Report,
}

/// How many times a request already failed, by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Attempts {
    pub failures: u32,
    pub rate_limited: u32,
}

/// What to do after `error` on a request with `method`. `rate_limit_default_secs`
/// is [`RATE_LIMIT_DEFAULT_SECS`] except in tests.
pub fn decide(
    method: Method,
    error: &ApiError,
    attempts: Attempts,
    rate_limit_default_secs: u64,
) -> Decision {
    if method != Method::Get {
        return Decision::Report;
    }
    let backoff = |reason| match BACKOFF_MS.get(attempts.failures as usize) {
        Some(&after_ms) => Decision::Retry { after_ms, reason },
        None => Decision::Report,
    };
    match error {
        ApiError::Network(_) => backoff(RetryReason::Network),
        ApiError::Http { status, .. } => match status {
            429 if attempts.rate_limited < RATE_LIMIT_WAITS => Decision::Retry {
                after_ms: error.retry_after().unwrap_or(rate_limit_default_secs) * 1000,
                reason: RetryReason::RateLimited,
            },
            500 | 502 | 503 | 504 => backoff(RetryReason::ServerError(*status)),
            _ => Decision::Report,
        },
        _ => Decision::Report,
    }
}

impl Attempts {
    pub fn after(self, reason: RetryReason) -> Attempts {
        match reason {
            RetryReason::RateLimited => Attempts {
                rate_limited: self.rate_limited + 1,
                ..self
            },
            _ => Attempts {
                failures: self.failures + 1,
                ..self
            },
        }
    }
}

/// The words of the "trying again" notice.
pub fn waiting_text(reason: RetryReason, seconds_left: u64) -> String {
    let what = match reason {
        RetryReason::RateLimited => "GitLab is limiting the request rate (HTTP 429).".to_string(),
        RetryReason::ServerError(status) => format!(
            "GitLab answered {status} {}.",
            super::error::reason_phrase(status)
        ),
        RetryReason::Network => "GitLab could not be reached.".to_string(),
    };
    format!(
        "{what} Loading again in {seconds_left} second{}…",
        if seconds_left == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(status: u16, retry_after: Option<&str>) -> ApiError {
        ApiError::from_response(status, "", retry_after)
    }

    fn after(n: u32) -> Attempts {
        Attempts {
            failures: n,
            rate_limited: 0,
        }
    }

    #[test]
    fn reads_back_off_half_a_second_one_then_two_then_report() {
        for error in [
            ApiError::Network("TypeError: Failed to fetch".into()),
            http(500, None),
            http(502, None),
            http(503, None),
            http(504, None),
        ] {
            let delays: Vec<Decision> = (0..4)
                .map(|n| decide(Method::Get, &error, after(n), 60))
                .collect();
            let ms: Vec<Option<u64>> = delays
                .iter()
                .map(|d| match d {
                    Decision::Retry { after_ms, .. } => Some(*after_ms),
                    Decision::Report => None,
                })
                .collect();
            assert_eq!(ms, [Some(500), Some(1000), Some(2000), None], "{error:?}");
        }
    }

    #[test]
    fn writes_are_never_repeated() {
        for method in [Method::Post, Method::Put, Method::Delete] {
            for error in [
                ApiError::Network("x".into()),
                http(502, None),
                http(503, None),
                http(429, Some("1")),
            ] {
                assert_eq!(
                    decide(method, &error, Attempts::default(), 60),
                    Decision::Report
                );
            }
        }
    }

    #[test]
    fn a_rate_limit_waits_for_retry_after_or_the_default() {
        assert_eq!(
            decide(Method::Get, &http(429, Some("7")), Attempts::default(), 60),
            Decision::Retry {
                after_ms: 7_000,
                reason: RetryReason::RateLimited
            }
        );
        // Cross-origin, GitLab's Retry-After cannot be read: wait the default.
        assert_eq!(
            decide(Method::Get, &http(429, None), Attempts::default(), 60),
            Decision::Retry {
                after_ms: 60_000,
                reason: RetryReason::RateLimited
            }
        );
        // Rate limits do not use up the backoff tries, and have their own cap.
        let limited = Attempts {
            failures: 3,
            rate_limited: 2,
        };
        assert!(matches!(
            decide(Method::Get, &http(429, None), limited, 60),
            Decision::Retry { .. }
        ));
        let spent = limited.after(RetryReason::RateLimited);
        assert_eq!(
            decide(Method::Get, &http(429, None), spent, 60),
            Decision::Report
        );
        assert_eq!(spent.failures, 3);
    }

    #[test]
    fn other_failures_are_reported_at_once() {
        for error in [
            http(400, None),
            http(401, None),
            http(403, None),
            http(404, None),
            http(409, None),
            http(501, None),
            ApiError::Aborted,
            ApiError::Timeout { seconds: 30 },
            ApiError::Decode("x".into()),
        ] {
            assert_eq!(
                decide(Method::Get, &error, Attempts::default(), 60),
                Decision::Report,
                "{error:?}"
            );
        }
    }

    #[test]
    fn the_notice_counts_down_in_words() {
        assert_eq!(
            waiting_text(RetryReason::RateLimited, 42),
            "GitLab is limiting the request rate (HTTP 429). Loading again in 42 seconds…"
        );
        assert_eq!(
            waiting_text(RetryReason::ServerError(503), 1),
            "GitLab answered 503 Service Unavailable. Loading again in 1 second…"
        );
        assert!(waiting_text(RetryReason::Network, 2).starts_with("GitLab could not be reached."));
    }
}
