//! The GitLab URL a user types, made into the root the API client joins `/api/v4` to.

/// Trims, adds `https://` when no scheme is given, and drops a trailing `/` or
/// `/api/v4` so pasting an API URL works too. Errors are plain words for the form.
pub fn normalize(input: &str) -> Result<String, String> {
    let mut url = input.trim().to_string();
    if url.is_empty() {
        return Err("Enter the address of your GitLab, e.g. https://gitlab.example.com".into());
    }
    if !url.contains("://") {
        url = format!("https://{url}");
    }
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err("The GitLab URL must start with https:// or http://".into());
    }
    let host = url.split("://").nth(1).unwrap_or("");
    if host.is_empty() || host.starts_with('/') || host.contains(char::is_whitespace) {
        return Err("The GitLab URL has no valid host name".into());
    }
    let mut trimmed = url.trim_end_matches('/').to_string();
    for suffix in ["/api/v4", "/api"] {
        if let Some(stripped) = trimmed.strip_suffix(suffix) {
            trimmed = stripped.trim_end_matches('/').to_string();
        }
    }
    Ok(trimmed)
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn adds_scheme_and_drops_api_suffix() {
        assert_eq!(
            normalize(" gitlab.example.com/ ").unwrap(),
            "https://gitlab.example.com"
        );
        assert_eq!(
            normalize("http://127.0.0.1:8080/api/v4/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            normalize("https://host/gitlab").unwrap(),
            "https://host/gitlab"
        );
    }

    #[test]
    fn refuses_what_cannot_be_a_url() {
        assert!(normalize("").is_err());
        assert!(normalize("ftp://host").is_err());
        assert!(normalize("https://").is_err());
        assert!(normalize("https://exa mple.com").is_err());
    }
}
