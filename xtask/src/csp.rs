//! The Content-Security-Policy of the built console, as a `<meta>` in index.html.
//! Trunk's loader is an inline module script whose text names hashed file names, so
//! its hash is computed after each build; nothing else inline is allowed.

use std::path::Path;

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::ctx::Result;

/// Everything but the inline-script hashes. `connect-src` stays open to any
/// http(s) origin because the GitLab URL is the user's choice; a deployment with
/// one GitLab narrows it in a header (docs/deploy.md).
const POLICY: &str = "default-src 'none'; script-src 'self' {HASHES} 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self' https: http:; \
manifest-src 'self'; base-uri 'self'; form-action 'self'; object-src 'none'";

/// The texts of inline `<script>` elements (those without `src`).
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = vec![];
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let open_tag = &after[..open_end];
        let body_start = open_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        if !open_tag.contains(" src=") {
            out.push(&after[body_start..body_start + close]);
        }
        rest = &after[body_start + close + "</script>".len()..];
    }
    out
}

/// index.html with the CSP `<meta>` right after the charset (it only covers what
/// follows it, and the charset must stay within the first bytes).
pub fn with_policy(html: &str) -> Result<String> {
    let hashes: Vec<String> = inline_scripts(html)
        .into_iter()
        .map(|s| {
            let digest = Sha256::digest(s.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    let policy = POLICY.replace("{HASHES}", &hashes.join(" "));
    let meta =
        format!("\n    <meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\" />");
    // Minified HTML has no `<head>` tag (it is optional), but keeps the charset.
    let at = match html.find("<meta charset") {
        Some(i) => {
            i + html[i..]
                .find('>')
                .ok_or("index.html: unclosed <meta charset")?
                + 1
        }
        None => html.find("<head>").ok_or("index.html has no <head>")? + "<head>".len(),
    };
    Ok(format!("{}{meta}{}", &html[..at], &html[at..]))
}

pub fn apply(dist: &Path) -> Result<()> {
    let path = dist.join("index.html");
    let html = std::fs::read_to_string(&path)?;
    if html.contains("Content-Security-Policy") {
        return Ok(());
    }
    let html = with_policy(&html)?;
    std::fs::write(&path, &html)?;
    // Deployers who also send the policy as a header need the same hash (docs/deploy.md).
    if let Some(policy) = html
        .split("Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
    {
        println!("CSP: {policy}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_only_inline_scripts_and_leads_the_head() {
        let html =
            "<html><head>\n<meta charset=\"utf-8\"/><script type=\"module\">import x;</script>\
                    <script src=\"/a.js\"></script></head><body></body></html>";
        let out = with_policy(html).unwrap();
        // sha256("import x;"), base64.
        let expected = format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"import x;"))
        );
        assert!(out.contains(&expected), "{out}");
        assert_eq!(out.matches("'sha256-").count(), 1);
        let csp = out.find("Content-Security-Policy").unwrap();
        assert!(out.find("<meta charset").unwrap() < csp);
        assert!(csp < out.find("<script").unwrap());
        assert!(out.contains("object-src 'none'") && out.contains("base-uri 'self'"));
        assert!(!out.contains("unsafe-inline"));
    }

    #[test]
    fn minified_html_gets_the_policy_after_its_charset() {
        let html = "<!doctype html><html lang=en><meta charset=utf-8><title>x</title>\
                    <script type=module>import x;</script></head><body></body></html>";
        let out = with_policy(html).unwrap();
        let csp = out.find("Content-Security-Policy").unwrap();
        assert!(out.find("<meta charset=utf-8>").unwrap() < csp);
        assert!(csp < out.find("<title>").unwrap());
    }
}
