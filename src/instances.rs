//! Several GitLab instances in one console (issue 16): each one's label,
//! address and way of signing in, and the route part that names it
//! (`/i/<label>/runners/42`), so a shared link opens the same runner on the
//! same instance. Pure; credentials are never part of it.

use serde::{Deserialize, Serialize};

/// How an instance signs in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "with", rename_all = "snake_case")]
pub enum SignInWith {
    /// A personal, project, group or OAuth access token pasted by the person.
    Token,
    /// "Sign in with GitLab": OAuth 2 with PKCE, as this application.
    #[serde(rename = "oauth")]
    OAuth { client_id: String },
}

/// One GitLab the console knows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    /// Names it in routes and in the switcher: `prod`, `staging-eu`.
    pub label: String,
    pub gitlab_url: String,
    pub sign_in: SignInWith,
}

/// The longest label.
pub const LABEL_MAX: usize = 32;

/// Not a label: `/i/all/…` is every signed-in instance at once.
pub const ALL: &str = "all";

/// Why `label` cannot name an instance, if it cannot: 1 to 32 of `a`-`z`,
/// `0`-`9` and `-`, not starting or ending with `-`, and not taken.
pub fn label_problem(label: &str, taken: &[&str]) -> Option<String> {
    if label.is_empty() || label.len() > LABEL_MAX {
        return Some(format!("A label is 1 to {LABEL_MAX} characters."));
    }
    if !label
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        || label.starts_with('-')
        || label.ends_with('-')
    {
        return Some(
            "Use lower-case letters, digits and dashes (not first or last), as in staging-eu."
                .into(),
        );
    }
    if label == ALL {
        return Some(format!(
            "{ALL} names every instance at once (/i/{ALL}/runners); choose another label."
        ));
    }
    taken
        .contains(&label)
        .then(|| format!("Another instance is called {label}."))
}

/// A label for a new instance at `gitlab_url`: its host's most telling part
/// (`gitlab.example.com` -> `example`, `ci.acme.co.uk` -> `acme`, `gitlab.com`
/// -> `gitlab`), made valid
/// and told apart from `taken` with `-2`, `-3`…
pub fn suggest_label(gitlab_url: &str, taken: &[&str]) -> String {
    let host = gitlab_url
        .split_once("://")
        .map_or(gitlab_url, |(_, rest)| rest)
        .split(['/', ':', '?', '#'])
        .next()
        .unwrap_or("");
    let parts: Vec<&str> = host.split('.').filter(|p| !p.is_empty()).collect();
    // The first part that is not a generic word, leaving out the top-level domain.
    let generic = |p: &&str| matches!(*p, "gitlab" | "www" | "ci" | "git");
    let named = if parts.len() > 1 {
        &parts[..parts.len() - 1]
    } else {
        &parts[..]
    };
    let telling = named
        .iter()
        .find(|p| !generic(p))
        .or(parts.first())
        .copied()
        .unwrap_or("gitlab");
    let mut base: String = telling
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    base = base.trim_matches('-').chars().take(LABEL_MAX - 3).collect();
    if base.is_empty() {
        base = "gitlab".into();
    }
    let free = |l: &str| !taken.contains(&l) && l != ALL;
    if free(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|l| free(l))
        .unwrap_or(base)
}

/// A route's instance and the rest of it: `/i/prod/runners/42` ->
/// `(Some("prod"), "/runners/42")`; a route without one -> `(None, route)`.
pub fn split_route(path: &str) -> (Option<&str>, &str) {
    let Some(after) = path.strip_prefix("/i/") else {
        return (None, path);
    };
    let (label, rest) = after.split_at(after.find(['/', '?', '#']).unwrap_or(after.len()));
    if label.is_empty() {
        return (None, path);
    }
    (Some(label), if rest.is_empty() { "/" } else { rest })
}

/// `route` (`/runners/42?x=1`) on the instance `label`: `/i/prod/runners/42?x=1`.
pub fn route_on(label: &str, route: &str) -> String {
    let rest = split_route(route).1;
    let rest = if rest == "/" { "" } else { rest };
    format!("/i/{label}{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_short_lower_case_words_with_dashes_and_unique() {
        assert_eq!(label_problem("prod", &[]), None);
        assert_eq!(label_problem("staging-eu-2", &["prod"]), None);
        for bad in [
            "",
            "Prod",
            "-prod",
            "prod-",
            "pr od",
            "prod/x",
            &"x".repeat(33),
        ] {
            assert!(label_problem(bad, &[]).is_some(), "{bad:?}");
        }
        assert!(label_problem(ALL, &[]).is_some());
        assert_eq!(suggest_label("https://all.example.com", &[]), "all-2");
        assert_eq!(
            label_problem("prod", &["prod"]),
            Some("Another instance is called prod.".into())
        );
    }

    #[test]
    fn a_suggested_label_comes_from_the_host_and_is_told_apart() {
        assert_eq!(suggest_label("https://gitlab.example.com", &[]), "example");
        assert_eq!(suggest_label("https://gitlab.com/", &[]), "gitlab");
        assert_eq!(suggest_label("http://127.0.0.1:8080", &[]), "127");
        assert_eq!(suggest_label("https://ci.acme.co.uk/gitlab", &[]), "acme");
        assert_eq!(suggest_label("https://localhost:3000", &[]), "localhost");
        assert_eq!(
            suggest_label("https://gitlab.example.com", &["example", "example-2"]),
            "example-3"
        );
        let odd = suggest_label("https://Über_Git.example.org", &[]);
        assert_eq!(label_problem(&odd, &[]), None, "{odd}");
    }

    #[test]
    fn the_route_names_its_instance_and_round_trips() {
        assert_eq!(
            split_route("/i/prod/runners/42"),
            (Some("prod"), "/runners/42")
        );
        assert_eq!(split_route("/i/prod"), (Some("prod"), "/"));
        assert_eq!(
            split_route("/i/prod?status=stale"),
            (Some("prod"), "?status=stale")
        );
        assert_eq!(split_route("/runners/42"), (None, "/runners/42"));
        assert_eq!(split_route("/i/"), (None, "/i/"));
        assert_eq!(
            route_on("prod", "/runners/42?page=2"),
            "/i/prod/runners/42?page=2"
        );
        assert_eq!(route_on("eu", "/i/prod/runners"), "/i/eu/runners");
        assert_eq!(route_on("eu", "/"), "/i/eu");
        let shared = route_on("staging", "/cleanup?status=stale");
        let (label, rest) = split_route(&shared);
        assert_eq!((label, rest), (Some("staging"), "/cleanup?status=stale"));
    }

    #[test]
    fn the_stored_list_holds_no_credentials() {
        let i = Instance {
            label: "prod".into(),
            gitlab_url: "https://gitlab.example.com".into(),
            sign_in: SignInWith::OAuth {
                client_id: "abc".into(),
            },
        };
        let json = serde_json::to_string(&i).unwrap();
        assert_eq!(
            json,
            r#"{"label":"prod","gitlab_url":"https://gitlab.example.com","sign_in":{"with":"oauth","client_id":"abc"}}"#
        );
        assert_eq!(serde_json::from_str::<Instance>(&json).unwrap(), i);
    }
}
