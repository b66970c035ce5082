//! Times as people read them: "5 minutes ago", "in 3 days", "never".

/// `then` relative to `now`, both in milliseconds since the epoch.
pub fn relative(now_ms: f64, then_ms: f64) -> String {
    let diff = (now_ms - then_ms) / 1000.0;
    let past = diff >= 0.0;
    let secs = diff.abs();
    let (n, unit) = if secs < 45.0 {
        return if past {
            "just now".into()
        } else {
            "in a few seconds".into()
        };
    } else if secs < 90.0 * 60.0 {
        ((secs / 60.0).round().max(1.0), "minute")
    } else if secs < 36.0 * 3600.0 {
        ((secs / 3600.0).round(), "hour")
    } else if secs < 45.0 * 86400.0 {
        ((secs / 86400.0).round(), "day")
    } else if secs < 548.0 * 86400.0 {
        ((secs / (30.0 * 86400.0)).round(), "month")
    } else {
        ((secs / (365.0 * 86400.0)).round(), "year")
    };
    let n = n as u64;
    let plural = if n == 1 { "" } else { "s" };
    if past {
        format!("{n} {unit}{plural} ago")
    } else {
        format!("in {n} {unit}{plural}")
    }
}

/// A duration in seconds as `1h 02m 03s` / `4m 05s` / `12s`.
pub fn duration(secs: f64) -> String {
    let total = secs.max(0.0).round() as u64;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 {
        format!("{h}h {m:02}m {s:02}s")
    } else if m > 0 {
        format!("{m}m {s:02}s")
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: f64 = 60_000.0;

    #[test]
    fn past_and_future() {
        assert_eq!(relative(1e12, 1e12 - 10_000.0), "just now");
        assert_eq!(relative(1e12, 1e12 - MIN), "1 minute ago");
        assert_eq!(relative(1e12, 1e12 - 5.0 * MIN), "5 minutes ago");
        assert_eq!(relative(1e12, 1e12 - 180.0 * MIN), "3 hours ago");
        assert_eq!(relative(1e12, 1e12 - 3.0 * 1440.0 * MIN), "3 days ago");
        assert_eq!(relative(1e12, 1e12 + 2.0 * 1440.0 * MIN), "in 2 days");
        assert_eq!(relative(1e12, 1e12 - 400.0 * 1440.0 * MIN), "13 months ago");
        assert_eq!(relative(1e12, 1e12 - 800.0 * 1440.0 * MIN), "2 years ago");
    }

    #[test]
    fn durations() {
        assert_eq!(duration(12.4), "12s");
        assert_eq!(duration(245.0), "4m 05s");
        assert_eq!(duration(3723.0), "1h 02m 03s");
    }
}
