//! What can go wrong talking to GitLab, and how to say it to a person.

use std::fmt;

use serde_json::Value;

/// An API failure. `Clone` so it can live in signals.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The fetch itself failed: unreachable host, DNS, CORS refused, offline.
    Network(String),
    /// Cancelled through an `AbortSignal`.
    Aborted,
    /// GitLab answered with a non-2xx status.
    Http {
        status: u16,
        /// Readable summary of GitLab's body (or the reason phrase).
        message: String,
        /// Model validation errors: field -> messages.
        fields: Vec<(String, Vec<String>)>,
        /// `Retry-After` in seconds, when given (429).
        retry_after: Option<u64>,
    },
    /// A 2xx answer whose body was not what we expected.
    Decode(String),
    /// The server answered, but the browser withheld the answer: it carried no
    /// `Access-Control-Allow-Origin` for this page's origin (CORS).
    Cors,
    /// No answer within the time limit; the request was aborted.
    Timeout { seconds: u32 },
    /// A 2xx answer that is a web page, not GitLab's JSON: the URL is not a GitLab API.
    NotGitLab,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network(m) => write!(f, "network error: {m}"),
            ApiError::Aborted => f.write_str("request cancelled"),
            ApiError::Http {
                status, message, ..
            } => {
                // GitLab often starts its messages with the status already.
                if message.starts_with(&status.to_string()) {
                    f.write_str(message)
                } else {
                    write!(f, "{status} {message}")
                }
            }
            ApiError::Decode(m) => write!(f, "unexpected response from GitLab: {m}"),
            ApiError::Cors => f.write_str("the browser blocked GitLab's answer (CORS)"),
            ApiError::Timeout { seconds } => write!(f, "no answer within {seconds} s"),
            ApiError::NotGitLab => f.write_str("the answer is a web page, not GitLab's API"),
        }
    }
}

impl std::error::Error for ApiError {}

/// Longest server text we keep in a message.
const MAX_MESSAGE: usize = 300;

impl ApiError {
    /// Builds the error for a non-2xx answer from any of GitLab's body shapes:
    /// `{"message": "..."}`, `{"message": {field: [..]}}`, `{"error": "..."}`,
    /// OAuth-style `{"error": "insufficient_scope", ...}`, plain text, or empty.
    pub fn from_response(status: u16, body: &str, retry_after: Option<&str>) -> ApiError {
        let retry_after = retry_after.and_then(|v| v.trim().parse::<u64>().ok());
        let (message, fields) = parse_body(status, body.trim());
        ApiError::Http {
            status,
            message,
            fields,
            retry_after,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(403)
    }

    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// Grape's catch-all answer, `404 {"error":"404 Not Found"}`: the route does
    /// not exist on this GitLab (too old), unlike "404 Runner Not Found".
    pub fn is_missing_route(&self) -> bool {
        matches!(self, ApiError::Http { status: 404, message, .. } if message == "404 Not Found")
    }

    /// `410 Gone`: on `POST /runners`, registration tokens are turned off.
    pub fn is_gone(&self) -> bool {
        self.status() == Some(410)
    }

    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(429)
    }

    pub fn is_network(&self) -> bool {
        matches!(self, ApiError::Network(_))
    }

    pub fn is_timeout(&self) -> bool {
        matches!(self, ApiError::Timeout { .. })
    }

    /// The answer to a request may never have come back: a change may or may
    /// not have been made.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            ApiError::Network(_) | ApiError::Timeout { .. } | ApiError::Cors
        ) || matches!(self.status(), Some(502 | 504))
    }

    pub fn is_aborted(&self) -> bool {
        matches!(self, ApiError::Aborted)
    }

    pub fn retry_after(&self) -> Option<u64> {
        match self {
            ApiError::Http { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Validation messages for one field (empty when none).
    pub fn field_errors(&self, field: &str) -> Vec<String> {
        match self {
            ApiError::Http { fields, .. } => fields
                .iter()
                .filter(|(f, _)| f == field)
                .flat_map(|(_, msgs)| msgs.iter().cloned())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// GitLab's own words in a refusal, without the status it repeats
    /// (`403 Forbidden - No access granted` -> `No access granted`).
    pub fn gitlab_words(&self) -> Option<String> {
        match self {
            ApiError::Http {
                status, message, ..
            } => Some(strip_status_prefix(*status, message)).filter(|m| !m.is_empty()),
            _ => None,
        }
    }

    /// Plain words for the UI.
    pub fn user_message(&self) -> String {
        match self {
            ApiError::Network(_) => "Could not reach GitLab: nothing answered at this address. \
                Check that the GitLab URL is right (for example https://gitlab.example.com), \
                that the server is up, and that this browser can reach it (network, VPN, proxy)."
                .into(),
            ApiError::Cors => "GitLab answered, but the browser blocked the answer because GitLab \
                does not allow this page's origin (CORS). The console runs on a different address \
                than GitLab, so GitLab's API must send an Access-Control-Allow-Origin header for \
                it. GitLab does this for /api/* by default; if a proxy in front of GitLab removes \
                it, ask the administrator to allow this console's origin, or serve the console \
                from the GitLab host itself."
                .into(),
            ApiError::Timeout { seconds } => format!(
                "GitLab did not answer within {seconds} seconds, so the console stopped waiting. \
                 GitLab may be busy or the connection slow. If this was a change, it may still \
                 have been made: check before trying again."
            ),
            ApiError::NotGitLab => {
                "This does not look like GitLab: the address answered with a web \
                page instead of GitLab's API. Check the GitLab URL: it is the address of the \
                GitLab instance itself, such as https://gitlab.example.com, without a path."
                    .into()
            }
            ApiError::Aborted => "The request was cancelled.".into(),
            ApiError::Decode(m) => format!(
                "GitLab's answer could not be read: it is not the data GitLab's API sends ({m}). \
                 The URL may not point to a GitLab API, or this GitLab version answers \
                 differently."
            ),
            ApiError::Http {
                status,
                message,
                retry_after,
                ..
            } => {
                let detail = strip_status_prefix(*status, message);
                match status {
                    401 => "GitLab did not accept the access token: it may be wrong, expired \
                        or revoked. Sign in again with a valid token."
                        .into(),
                    403 if detail.is_empty() => {
                        "You do not have permission to do this on GitLab.".into()
                    }
                    403 => format!("GitLab refused this: {}", end_sentence(&detail)),
                    404 if detail.is_empty() => "Not found on GitLab, or you cannot see it.".into(),
                    404 => format!("{} (or you cannot see it).", detail.trim_end_matches('.')),
                    410 => "GitLab no longer allows this (410 Gone). Registering runners with \
                        registration tokens may be disabled on this instance."
                        .into(),
                    429 => match retry_after {
                        Some(s) => format!(
                            "GitLab is limiting the request rate. Try again in {s} second{}.",
                            if *s == 1 { "" } else { "s" }
                        ),
                        None => "GitLab is limiting the request rate. Try again shortly.".into(),
                    },
                    409 => format!(
                        "GitLab refused this because it conflicts with the current state: {}",
                        end_sentence(&detail)
                    ),
                    500..=599 => format!(
                        "GitLab had a problem ({}). Try again later.",
                        message.trim_end_matches('.')
                    ),
                    _ if detail.is_empty() => format!("GitLab answered {}.", message),
                    _ => end_sentence(&detail),
                }
            }
        }
    }
}

/// "403 Forbidden - No access granted" -> "No access granted";
/// "404 Runner Not Found" -> "Runner Not Found"; "403 Forbidden" -> "".
fn strip_status_prefix(status: u16, message: &str) -> String {
    let code = status.to_string();
    let Some(rest) = message.strip_prefix(&code) else {
        return message.trim().to_string();
    };
    let rest = rest.trim_start();
    let rest = rest
        .strip_prefix(reason_phrase(status))
        .map(str::trim_start)
        .unwrap_or(rest);
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    rest.trim().to_string()
}

fn end_sentence(s: &str) -> String {
    let s = s.trim();
    if s.ends_with(['.', '!', '?']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

fn parse_body(status: u16, body: &str) -> (String, Vec<(String, Vec<String>)>) {
    let fallback = || {
        format!("{status} {}", reason_phrase(status))
            .trim()
            .to_string()
    };
    if body.is_empty() {
        return (fallback(), Vec::new());
    }
    let Ok(json) = serde_json::from_str::<Value>(body) else {
        // HTML error pages (proxies, 502s) say nothing useful in a sentence.
        if body.starts_with('<') {
            return (fallback(), Vec::new());
        }
        return (clip(first_line(body)), Vec::new());
    };
    match &json {
        Value::Object(obj) => {
            if let Some(message) = obj.get("message") {
                // Re-read a field map in GitLab's order (serde_json's Map may sort keys).
                let ordered = match message {
                    Value::Object(_) => serde_json::from_str::<OrderedMessage>(body)
                        .ok()
                        .map(|m| m.message.0),
                    _ => None,
                };
                return message_shape(message, ordered, fallback);
            }
            if let Some(Value::String(error)) = obj.get("error") {
                if error == "insufficient_scope" {
                    let scope = obj.get("scope").and_then(Value::as_str).unwrap_or("api");
                    return (
                        format!(
                            "The access token lacks the \"{scope}\" scope needed for this \
                             action (it may be a read-only token); use a token with the \
                             \"{scope}\" scope."
                        ),
                        Vec::new(),
                    );
                }
                // OAuth errors (invalid_token, ...) carry the sentence in the description.
                let text = match obj.get("error_description").and_then(Value::as_str) {
                    Some(d) if !d.trim().is_empty() => d,
                    _ => error,
                };
                return (clip(text), Vec::new());
            }
            (fallback(), Vec::new())
        }
        Value::String(s) if !s.trim().is_empty() => (clip(s), Vec::new()),
        _ => (fallback(), Vec::new()),
    }
}

/// `{"message": {...}}` with the map's entries in document order.
#[derive(serde::Deserialize)]
struct OrderedMessage {
    message: OrderedMap,
}

struct OrderedMap(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for OrderedMap {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = OrderedMap;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<OrderedMap, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, Value>()? {
                    entries.push(entry);
                }
                Ok(OrderedMap(entries))
            }
        }
        d.deserialize_map(Visit)
    }
}

/// `message` as a string, a field map, or a list.
fn message_shape(
    message: &Value,
    ordered: Option<Vec<(String, Value)>>,
    fallback: impl Fn() -> String,
) -> (String, Vec<(String, Vec<String>)>) {
    match message {
        Value::String(s) if !s.trim().is_empty() => (clip(s), Vec::new()),
        Value::Object(map) => {
            let entries = ordered
                .unwrap_or_else(|| map.iter().map(|(k, v)| (k.clone(), v.clone())).collect());
            let fields: Vec<(String, Vec<String>)> = entries
                .iter()
                .map(|(field, msgs)| (field.clone(), strings_of(msgs)))
                .collect();
            let summary = fields
                .iter()
                .map(|(field, msgs)| {
                    if msgs.is_empty() {
                        format!("{field} is invalid")
                    } else {
                        format!("{field} {}", msgs.join(", "))
                    }
                })
                .collect::<Vec<_>>()
                .join("; ");
            let summary = if summary.is_empty() {
                fallback()
            } else {
                clip(&summary)
            };
            (summary, fields)
        }
        Value::Array(_) => {
            let msgs = strings_of(message);
            if msgs.is_empty() {
                (fallback(), Vec::new())
            } else {
                (clip(&msgs.join("; ")), Vec::new())
            }
        }
        _ => (fallback(), Vec::new()),
    }
}

fn strings_of(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().flat_map(strings_of).collect(),
        Value::String(s) => vec![s.clone()],
        Value::Null => Vec::new(),
        other => vec![other.to_string()],
    }
}

fn first_line(s: &str) -> &str {
    s.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
}

fn clip(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > MAX_MESSAGE {
        s.chars().take(MAX_MESSAGE).collect::<String>() + "…"
    } else {
        s.to_string()
    }
}

/// Standard reason phrases for the statuses GitLab and proxies use.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(status: u16, body: &str) -> ApiError {
        ApiError::from_response(status, body, None)
    }

    fn message(e: &ApiError) -> &str {
        match e {
            ApiError::Http { message, .. } => message,
            other => panic!("not Http: {other:?}"),
        }
    }

    #[test]
    fn grape_validation_errors() {
        for text in [
            "type does not have a valid value",
            "token is missing",
            "id is invalid",
            "active, paused are mutually exclusive",
            "description, active, paused, tag_list, run_untagged, locked, access_level, maximum_timeout are missing, at least one parameter must be provided",
        ] {
            let e = http(400, &format!(r#"{{"error":"{text}"}}"#));
            assert_eq!(
                e,
                ApiError::Http {
                    status: 400,
                    message: text.into(),
                    fields: vec![],
                    retry_after: None
                }
            );
            assert_eq!(e.user_message(), format!("{text}."));
        }
    }

    #[test]
    fn message_string() {
        let e = http(400, r#"{"message":"Scope contains invalid value"}"#);
        assert_eq!(message(&e), "Scope contains invalid value");
        assert_eq!(e.to_string(), "400 Scope contains invalid value");

        let e = http(404, r#"{"message":"404 Runner Not Found"}"#);
        assert!(e.is_not_found());
        assert_eq!(message(&e), "404 Runner Not Found");
        assert_eq!(e.to_string(), "404 Runner Not Found");
        assert_eq!(e.user_message(), "Runner Not Found (or you cannot see it).");

        for what in ["Project", "Group"] {
            let e = http(404, &format!(r#"{{"message":"404 {what} Not Found"}}"#));
            assert_eq!(message(&e), format!("404 {what} Not Found"));
        }

        let e = http(
            409,
            r#"{"message":"Runner was already enabled for this project"}"#,
        );
        assert_eq!(e.status(), Some(409));
        assert_eq!(
            e.user_message(),
            "GitLab refused this because it conflicts with the current state: \
             Runner was already enabled for this project."
        );

        let e = http(422, r#"{"message":"Runner is orphaned"}"#);
        assert_eq!(message(&e), "Runner is orphaned");

        let e = http(410, r#"{"message":"410 Gone"}"#);
        assert_eq!(message(&e), "410 Gone");
        assert!(e.user_message().contains("registration tokens"));
    }

    #[test]
    fn model_validation_field_map() {
        let e = http(
            400,
            r#"{"message":{"maximum_timeout":["needs to be at least 10 minutes"]}}"#,
        );
        assert_eq!(
            e,
            ApiError::Http {
                status: 400,
                message: "maximum_timeout needs to be at least 10 minutes".into(),
                fields: vec![(
                    "maximum_timeout".into(),
                    vec!["needs to be at least 10 minutes".into()]
                )],
                retry_after: None,
            }
        );
        assert_eq!(
            e.field_errors("maximum_timeout"),
            vec!["needs to be at least 10 minutes"]
        );
        assert!(e.field_errors("tag_list").is_empty());
        assert_eq!(
            e.user_message(),
            "maximum_timeout needs to be at least 10 minutes."
        );

        let e = http(
            400,
            r#"{"message":{"tags_list":["can not be empty when runner is not allowed to pick untagged jobs"],"maintenance_note":["is too long (maximum is 1024 characters)","x"]}}"#,
        );
        assert_eq!(
            message(&e),
            "tags_list can not be empty when runner is not allowed to pick untagged jobs; \
             maintenance_note is too long (maximum is 1024 characters), x"
        );
        assert_eq!(e.field_errors("maintenance_note").len(), 2);
        assert_eq!(
            e.field_errors("tags_list"),
            vec!["can not be empty when runner is not allowed to pick untagged jobs"]
        );
    }

    #[test]
    fn unauthorized_and_forbidden() {
        let e = http(401, r#"{"message":"401 Unauthorized"}"#);
        assert!(e.is_unauthorized());
        assert_eq!(message(&e), "401 Unauthorized");
        assert!(e.user_message().contains("access token"));

        let e = http(403, r#"{"message":"403 Forbidden"}"#);
        assert!(e.is_forbidden());
        assert_eq!(
            e.user_message(),
            "You do not have permission to do this on GitLab."
        );

        let e = http(403, r#"{"message":"403 Forbidden - No access granted"}"#);
        assert_eq!(message(&e), "403 Forbidden - No access granted");
        assert_eq!(e.user_message(), "GitLab refused this: No access granted.");

        let e = http(
            403,
            r#"{"message":"403 Forbidden - Runner is a group runner"}"#,
        );
        assert_eq!(
            e.user_message(),
            "GitLab refused this: Runner is a group runner."
        );

        let e = http(
            403,
            r#"{"message":"Only one project associated with the runner. Please remove the runner instead"}"#,
        );
        assert_eq!(
            e.user_message(),
            "GitLab refused this: Only one project associated with the runner. Please remove the runner instead."
        );
    }

    #[test]
    fn insufficient_scope() {
        let e = http(
            403,
            r#"{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}"#,
        );
        assert!(e.is_forbidden());
        let m = message(&e);
        assert!(m.contains("lacks the \"api\" scope"), "{m}");
        assert!(e.user_message().contains("\"api\" scope"));
        assert!(e.fields_is_empty());
    }

    #[test]
    fn oauth_error_uses_description() {
        let e = http(
            401,
            r#"{"error":"invalid_token","error_description":"Token was revoked. You have to re-authorize from the user."}"#,
        );
        assert_eq!(
            message(&e),
            "Token was revoked. You have to re-authorize from the user."
        );
    }

    #[test]
    fn rate_limited_plain_text() {
        let e = ApiError::from_response(429, "Retry later\n", Some("60"));
        assert_eq!(
            e,
            ApiError::Http {
                status: 429,
                message: "Retry later".into(),
                fields: vec![],
                retry_after: Some(60),
            }
        );
        assert!(e.is_rate_limited());
        assert_eq!(e.retry_after(), Some(60));
        assert_eq!(
            e.user_message(),
            "GitLab is limiting the request rate. Try again in 60 seconds."
        );
        // An HTTP-date Retry-After or none: still a 429.
        let e = ApiError::from_response(429, "Retry later", Some("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(e.retry_after(), None);
        assert_eq!(
            e.user_message(),
            "GitLab is limiting the request rate. Try again shortly."
        );
        let e = ApiError::from_response(429, "", Some(" 1 "));
        assert_eq!(message(&e), "429 Too Many Requests");
        assert!(e.user_message().ends_with("in 1 second."));
    }

    #[test]
    fn empty_and_html_bodies() {
        assert_eq!(message(&http(404, "")), "404 Not Found");
        assert_eq!(message(&http(404, "  \n")), "404 Not Found");
        assert_eq!(message(&http(412, "")), "412 Precondition Failed");
        assert_eq!(message(&http(418, "")), "418");
        let e = http(502, "<html><body><h1>502 Bad Gateway</h1></body></html>");
        assert_eq!(message(&e), "502 Bad Gateway");
        assert_eq!(
            e.user_message(),
            "GitLab had a problem (502 Bad Gateway). Try again later."
        );
        assert_eq!(message(&http(500, "{}")), "500 Internal Server Error");
        assert_eq!(
            message(&http(400, r#"{"message":null}"#)),
            "400 Bad Request"
        );
        assert_eq!(message(&http(400, r#""just a string""#)), "just a string");
        assert_eq!(message(&http(400, r#"{"message":["a","b"]}"#)), "a; b");
        let long = "y".repeat(1000);
        assert!(message(&http(500, &long)).chars().count() <= MAX_MESSAGE + 1);
    }

    #[test]
    fn non_http_errors() {
        let e = ApiError::Network("TypeError: Failed to fetch".into());
        assert!(e.is_network());
        assert_eq!(e.status(), None);
        let m = e.user_message();
        assert!(m.contains("GitLab URL") && m.contains("reach"), "{m}");
        assert_eq!(e.to_string(), "network error: TypeError: Failed to fetch");
        assert!(ApiError::Aborted.is_aborted());
        assert_eq!(
            ApiError::Aborted.user_message(),
            "The request was cancelled."
        );
        let d = ApiError::Decode("expected value at line 1 column 1".into());
        assert!(d.user_message().contains("could not be read"));
        assert!(d.field_errors("x").is_empty());
        let c = ApiError::Cors.user_message();
        assert!(
            c.contains("CORS") && c.contains("Access-Control-Allow-Origin"),
            "{c}"
        );
        let t = ApiError::Timeout { seconds: 30 };
        assert!(t.is_timeout() && t.outcome_unknown());
        assert!(t.user_message().contains("within 30 seconds"));
        assert!(ApiError::NotGitLab
            .user_message()
            .starts_with("This does not look like GitLab"));
        assert!(e.outcome_unknown() && !d.outcome_unknown());
        assert!(http(502, "").outcome_unknown() && !http(400, "").outcome_unknown());
        // It is a std error.
        let boxed: Box<dyn std::error::Error> = Box::new(d);
        assert!(boxed.to_string().starts_with("unexpected response"));
    }

    impl ApiError {
        fn fields_is_empty(&self) -> bool {
            matches!(self, ApiError::Http { fields, .. } if fields.is_empty())
        }
    }
}
