//! GitLab's rules for a runner's attributes, shared by the edit form, the
//! register form and the bulk tag actions, so they check the same things the
//! same way: only what GitLab's `Ci::Runner` model and Grape would refuse, so
//! nothing GitLab accepts is blocked.

/// `Ci::Runner` validates `maximum_timeout >= 600` seconds (10 minutes).
pub const MIN_TIMEOUT_SECS: u32 = 600;
/// `maintenance_note` is at most 1024 characters, as Ruby counts them
/// (characters, not bytes or UTF-16 units).
pub const MAX_NOTE_CHARS: usize = 1024;

/// Tags as GitLab keeps them (acts_as_taggable): split on commas, trimmed,
/// blanks dropped, duplicates removed, first order kept, case kept.
pub fn parse_tags(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in text.split(',').map(str::trim) {
        if !tag.is_empty() && !out.iter().any(|t| t == tag) {
            out.push(tag.to_string());
        }
    }
    out
}

/// Why a typed timeout is not one GitLab would store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeoutProblem {
    /// Grape declares it `Integer`.
    NotANumber,
    /// Under [`MIN_TIMEOUT_SECS`].
    TooShort,
    /// More than the database column holds.
    TooLarge,
}

/// The timeout as typed: `Ok(None)` when empty (no limit), else the seconds.
pub fn parse_timeout(text: &str) -> Result<Option<u32>, TimeoutProblem> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let secs: i64 = t.parse().map_err(|_| TimeoutProblem::NotANumber)?;
    if secs < i64::from(MIN_TIMEOUT_SECS) {
        return Err(TimeoutProblem::TooShort);
    }
    u32::try_from(secs)
        .map(Some)
        .map_err(|_| TimeoutProblem::TooLarge)
}

/// A runner that does not pick untagged jobs needs a tag.
pub fn tags_missing(run_untagged: bool, tags: &str) -> bool {
    !run_untagged && parse_tags(tags).is_empty()
}

/// The note's length when it is over GitLab's limit.
pub fn note_too_long(note: &str) -> Option<usize> {
    let n = note.chars().count();
    (n > MAX_NOTE_CHARS).then_some(n)
}

/// Whether GitLab takes `prefix` as `version_prefix`: Grape checks
/// `regexp: /^[\d+.]+/`, so it must start with a digit, `+` or `.` (what
/// follows is not checked; GitLab matches it as the start of a version).
pub fn version_prefix_valid(prefix: &str) -> bool {
    prefix
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '+' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_prefixes_as_grape_checks_them() {
        for ok in ["17", "17.", "16.11.", "15.1.2", ".5", "1x"] {
            assert!(version_prefix_valid(ok), "{ok}");
        }
        for bad in ["", "v17", " 17", "x.1", "latest"] {
            assert!(!version_prefix_valid(bad), "{bad}");
        }
    }

    #[test]
    fn tags_are_trimmed_and_deduplicated() {
        assert_eq!(parse_tags(" a, a ,b"), ["a", "b"]);
        assert_eq!(parse_tags(" a, b ,,a , c,"), ["a", "b", "c"]);
        assert!(parse_tags("").is_empty());
        assert!(parse_tags(" , ,").is_empty());
        assert_eq!(parse_tags("A,a"), ["A", "a"]);
        assert_eq!(parse_tags("linux x86, gpu"), ["linux x86", "gpu"]);
    }

    #[test]
    fn timeouts_as_gitlab_takes_them() {
        assert_eq!(parse_timeout(""), Ok(None));
        assert_eq!(parse_timeout("   "), Ok(None));
        assert_eq!(parse_timeout("600"), Ok(Some(600)));
        assert_eq!(parse_timeout(" 600 "), Ok(Some(600)));
        assert_eq!(parse_timeout("+600"), Ok(Some(600)));
        assert_eq!(parse_timeout("4294967295"), Ok(Some(u32::MAX)));
        assert_eq!(parse_timeout("599"), Err(TimeoutProblem::TooShort));
        assert_eq!(parse_timeout("0"), Err(TimeoutProblem::TooShort));
        assert_eq!(parse_timeout("-600"), Err(TimeoutProblem::TooShort));
        assert_eq!(parse_timeout("4294967296"), Err(TimeoutProblem::TooLarge));
        for bad in ["10m", "600.5", "abc", "6 00", "1e3"] {
            assert_eq!(parse_timeout(bad), Err(TimeoutProblem::NotANumber), "{bad}");
        }
    }

    #[test]
    fn the_note_counts_characters() {
        assert_eq!(note_too_long(&"é".repeat(1024)), None);
        assert_eq!(note_too_long(&"🚀".repeat(1024)), None);
        assert_eq!(note_too_long(&"日本".repeat(512)), None);
        assert_eq!(note_too_long(&"x".repeat(1025)), Some(1025));
        assert_eq!(note_too_long(""), None);
    }

    #[test]
    fn untagged_off_needs_a_tag() {
        assert!(tags_missing(false, " , "));
        assert!(!tags_missing(false, "gpu"));
        assert!(!tags_missing(true, ""));
    }
}
