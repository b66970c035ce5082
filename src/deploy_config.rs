//! The deployer's optional `config.json` beside index.html:
//! `{"gitlab_url": "https://gitlab.example.com"}` sets the GitLab URL the
//! sign-in form starts with. Missing or invalid, the form starts with the
//! page's own origin (the console served next to GitLab).

use serde::Deserialize;

/// The file name, looked up under the app's base path.
pub const FILE: &str = "config.json";

#[derive(Deserialize)]
struct Raw {
    gitlab_url: Option<String>,
    oauth_client_id: Option<String>,
}

/// What the deployer configured.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    pub gitlab_url: Option<String>,
    /// The OAuth application id of the console registered in that GitLab:
    /// the sign-in page then offers "Sign in with GitLab".
    pub oauth_client_id: Option<String>,
}

/// `config.json`'s text read; unusable parts left out.
pub fn parse(config_json: &str) -> Config {
    let oauth_client_id = serde_json::from_str::<Raw>(config_json)
        .ok()
        .and_then(|r| r.oauth_client_id)
        .map(|id| id.trim().to_string())
        .filter(|id| !id.is_empty());
    Config {
        gitlab_url: gitlab_url(config_json),
        oauth_client_id,
    }
}

/// The GitLab URL `config.json` names, normalized; `None` when the text is
/// not such a JSON object or the URL is not an http(s) address (a host that
/// answers every path with index.html gives HTML here).
pub fn gitlab_url(config_json: &str) -> Option<String> {
    let raw: Raw = serde_json::from_str(config_json).ok()?;
    let url = raw.gitlab_url?;
    let lower = url.trim().to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    crate::gitlab_url::normalize(&url).ok()
}

/// Fetches `<base>/config.json`; `None` on any failure.
#[cfg(target_arch = "wasm32")]
pub async fn load() -> Option<Config> {
    let url = format!("{}/{FILE}", crate::links::base());
    // Revalidated every time: a deployer's change shows on the next load.
    let response = gloo_net::http::Request::get(&url)
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await
        .ok()?;
    if !response.ok() {
        return None;
    }
    Some(parse(&response.text().await.ok()?))
}

#[cfg(test)]
mod tests {
    use super::gitlab_url;

    #[test]
    fn reads_the_gitlab_url() {
        assert_eq!(
            gitlab_url(r#"{"gitlab_url": "https://gitlab.example.com/"}"#).as_deref(),
            Some("https://gitlab.example.com")
        );
        assert_eq!(
            gitlab_url(r#"{"gitlab_url": "http://10.0.0.1:8080/api/v4", "other": 1}"#).as_deref(),
            Some("http://10.0.0.1:8080")
        );
    }

    #[test]
    fn reads_the_oauth_application() {
        let c = super::parse(
            r#"{"gitlab_url": "https://gitlab.example.com", "oauth_client_id": " app-1 "}"#,
        );
        assert_eq!(c.oauth_client_id.as_deref(), Some("app-1"));
        assert_eq!(c.gitlab_url.as_deref(), Some("https://gitlab.example.com"));
        assert_eq!(
            super::parse(r#"{"oauth_client_id": ""}"#),
            super::Config::default()
        );
        assert_eq!(super::parse("<html>"), super::Config::default());
    }

    #[test]
    fn ignores_what_is_not_a_config() {
        assert_eq!(gitlab_url("<!DOCTYPE html><html></html>"), None);
        assert_eq!(gitlab_url("{}"), None);
        assert_eq!(gitlab_url(r#"{"gitlab_url": 42}"#), None);
        assert_eq!(gitlab_url(r#"{"gitlab_url": "javascript:alert(1)"}"#), None);
        assert_eq!(gitlab_url(r#"{"gitlab_url": "gitlab.example.com"}"#), None);
        assert_eq!(gitlab_url(r#"{"gitlab_url": "https://"}"#), None);
    }
}
