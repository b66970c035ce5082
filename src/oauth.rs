//! "Sign in with GitLab" (issue 16): OAuth 2 authorization code with PKCE, as
//! GitLab documents it for applications that keep no secret (`doc/api/oauth2.md`).
//! Pure: the browser supplies the random bytes (`crypto.getRandomValues`) and
//! the SHA-256 of the verifier (`crypto.subtle.digest`); this module makes the
//! verifier, challenge and state from them, the URLs and form bodies, and reads
//! the answers. The verifier and state live in `sessionStorage` only during the
//! flow (the page that starts it keeps them).

use std::fmt;

use base64::Engine;
use serde::{Deserialize, Serialize};

/// Random bytes behind a verifier: 32 give the 43 characters RFC 7636 asks as a minimum.
pub const VERIFIER_BYTES: usize = 32;
/// Random bytes behind a `state`.
pub const STATE_BYTES: usize = 16;

fn base64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The PKCE `code_verifier` from random bytes (RFC 7636 §4.1).
pub fn verifier(random: &[u8; VERIFIER_BYTES]) -> String {
    base64url(random)
}

/// The S256 `code_challenge`, from the SHA-256 of the verifier (RFC 7636 §4.2).
pub fn challenge(verifier_sha256: &[u8]) -> String {
    base64url(verifier_sha256)
}

/// A `state` from random bytes, checked when GitLab sends the person back.
pub fn state(random: &[u8; STATE_BYTES]) -> String {
    base64url(random)
}

/// `https://gitlab.example.com/` -> `https://gitlab.example.com/oauth/<what>`.
pub fn endpoint(gitlab_url: &str, what: &str) -> String {
    format!("{}/oauth/{what}", gitlab_url.trim_end_matches('/'))
}

/// What the authorization request carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorize {
    pub gitlab_url: String,
    pub client_id: String,
    /// The console's callback route: `<base>/oauth/callback`.
    pub redirect_uri: String,
    pub state: String,
    pub challenge: String,
    /// `api`, or `read_api` for a read-only session.
    pub scope: String,
}

/// Where the browser goes to ask GitLab: `GET /oauth/authorize?…`.
pub fn authorize_url(a: &Authorize) -> String {
    let query = serde_urlencoded::to_string([
        ("client_id", a.client_id.as_str()),
        ("redirect_uri", a.redirect_uri.as_str()),
        ("response_type", "code"),
        ("state", a.state.as_str()),
        ("scope", a.scope.as_str()),
        ("code_challenge", a.challenge.as_str()),
        ("code_challenge_method", "S256"),
    ])
    .unwrap_or_default();
    format!("{}?{query}", endpoint(&a.gitlab_url, "authorize"))
}

type Form = Vec<(&'static str, String)>;

/// `POST /oauth/token` body exchanging the code.
pub fn code_exchange(client_id: &str, code: &str, redirect_uri: &str, verifier: &str) -> Form {
    vec![
        ("client_id", client_id.into()),
        ("code", code.into()),
        ("grant_type", "authorization_code".into()),
        ("redirect_uri", redirect_uri.into()),
        ("code_verifier", verifier.into()),
    ]
}

/// `POST /oauth/token` body for a new token before the old one expires.
pub fn refresh(client_id: &str, refresh_token: &str, redirect_uri: &str) -> Form {
    vec![
        ("client_id", client_id.into()),
        ("refresh_token", refresh_token.into()),
        ("grant_type", "refresh_token".into()),
        ("redirect_uri", redirect_uri.into()),
    ]
}

/// `POST /oauth/revoke` body, on sign-out.
pub fn revoke(client_id: &str, token: &str) -> Form {
    vec![("client_id", client_id.into()), ("token", token.into())]
}

/// GitLab's token answer. Its `Debug` never shows the tokens.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct TokenAnswer {
    pub access_token: String,
    #[serde(default)]
    pub token_type: String,
    /// Seconds; GitLab's access tokens live 7,200.
    pub expires_in: u64,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub scope: String,
    /// Unix seconds.
    pub created_at: u64,
}

impl fmt::Debug for TokenAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenAnswer")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("scope", &self.scope)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

/// Refresh this long before the token expires, so no request meets it expired.
pub const REFRESH_EARLY_SECS: u64 = 120;

impl TokenAnswer {
    pub fn expires_at(&self) -> u64 {
        self.created_at + self.expires_in
    }

    /// Whether to refresh now (`now` in Unix seconds).
    pub fn refresh_due(&self, now: u64) -> bool {
        now + REFRESH_EARLY_SECS >= self.expires_at()
    }
}

/// Why the callback did not sign in, in words for the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallbackRefusal {
    /// The person chose Deny on GitLab's page.
    Denied,
    /// GitLab sent another error (`error`, `error_description`).
    GitLab(String),
    /// The `state` is not the one this tab sent: the answer is not for this sign-in.
    StateMismatch,
    /// No code, or no sign-in under way in this tab.
    Incomplete,
}

impl CallbackRefusal {
    pub fn message(&self) -> String {
        match self {
            CallbackRefusal::Denied => {
                "You chose not to let the console use your GitLab account. Nothing was signed in."
                    .into()
            }
            CallbackRefusal::GitLab(why) => format!("GitLab did not sign you in: {why}"),
            CallbackRefusal::StateMismatch => {
                "This sign-in answer does not belong to the sign-in this tab started \
                 (its state does not match), so it was refused. Start again from the sign-in page."
                    .into()
            }
            CallbackRefusal::Incomplete => {
                "The sign-in did not finish: GitLab sent no code, or this tab \
                 started no sign-in. Start again from the sign-in page."
                    .into()
            }
        }
    }
}

/// The code from the callback's query (`code=…&state=…`, or `error=…`), if its
/// state is `expected` (the one this tab sent).
pub fn callback_code(query: &str, expected: Option<&str>) -> Result<String, CallbackRefusal> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.trim_start_matches('?')).unwrap_or_default();
    let get = |k: &str| pairs.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone());
    let state_ok = matches!((get("state"), expected), (Some(s), Some(e)) if s == e);
    if let Some(error) = get("error") {
        if !state_ok {
            return Err(CallbackRefusal::StateMismatch);
        }
        return Err(if error == "access_denied" {
            CallbackRefusal::Denied
        } else {
            CallbackRefusal::GitLab(get("error_description").unwrap_or(error))
        });
    }
    let code = get("code").filter(|c| !c.is_empty());
    match (code, expected) {
        (_, None) => Err(CallbackRefusal::Incomplete),
        (None, _) => Err(CallbackRefusal::Incomplete),
        (Some(_), _) if !state_ok => Err(CallbackRefusal::StateMismatch),
        (Some(code), _) => Ok(code),
    }
}

/// An OAuth session's refresh side. Its `Debug` never shows the token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub refresh_token: Option<String>,
    /// Unix seconds.
    pub expires_at: u64,
    /// Seconds the access token lives (GitLab: 7,200).
    pub lifetime: u64,
    pub scope: String,
}

impl fmt::Debug for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Grant")
            .field("expires_at", &self.expires_at)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl Grant {
    pub fn from_answer(answer: &TokenAnswer) -> Grant {
        Grant {
            refresh_token: answer.refresh_token.clone(),
            expires_at: answer.expires_at(),
            lifetime: answer.expires_in,
            scope: answer.scope.clone(),
        }
    }

    /// When to refresh (Unix seconds): two minutes early, or a quarter of a
    /// short lifetime early.
    pub fn refresh_at(&self) -> u64 {
        let early = REFRESH_EARLY_SECS.min(self.lifetime / 4);
        self.expires_at.saturating_sub(early)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest;

    /// RFC 7636, appendix B.
    const RFC_RANDOM: [u8; 32] = [
        116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37,
        77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
    ];

    #[test]
    fn the_pkce_pair_is_rfc_7636s() {
        let v = verifier(&RFC_RANDOM);
        assert_eq!(v, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        let digest = sha2::Sha256::digest(v.as_bytes());
        assert_eq!(
            challenge(&digest),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_eq!(state(&[0u8; 16]).len(), 22);
    }

    #[test]
    fn the_authorize_url_asks_for_a_code_with_s256() {
        let url = authorize_url(&Authorize {
            gitlab_url: "https://gitlab.example.com/".into(),
            client_id: "abc".into(),
            redirect_uri: "https://tools.example.com/runners/oauth/callback".into(),
            state: "s1".into(),
            challenge: "E9M".into(),
            scope: "api".into(),
        });
        assert_eq!(
            url,
            "https://gitlab.example.com/oauth/authorize?client_id=abc\
             &redirect_uri=https%3A%2F%2Ftools.example.com%2Frunners%2Foauth%2Fcallback\
             &response_type=code&state=s1&scope=api&code_challenge=E9M&code_challenge_method=S256"
        );
        assert_eq!(
            endpoint("https://gitlab.example.com", "token"),
            "https://gitlab.example.com/oauth/token"
        );
    }

    #[test]
    fn the_forms_carry_what_gitlab_asks() {
        let f = code_exchange("abc", "c0de", "https://x/oauth/callback", "ver");
        assert!(f.contains(&("grant_type", "authorization_code".into())));
        assert!(f.contains(&("code_verifier", "ver".into())));
        let r = refresh("abc", "r1", "https://x/oauth/callback");
        assert!(r.contains(&("grant_type", "refresh_token".into())));
        assert_eq!(
            revoke("abc", "t"),
            vec![("client_id", "abc".into()), ("token", "t".into())]
        );
    }

    #[test]
    fn a_token_answer_says_when_to_refresh_and_never_prints_its_tokens() {
        let t: TokenAnswer = serde_json::from_str(
            r#"{"access_token":"secret-a","token_type":"Bearer","expires_in":7200,"refresh_token":"secret-r","scope":"api","created_at":1000}"#,
        )
        .unwrap();
        assert_eq!(t.expires_at(), 8200);
        assert!(!t.refresh_due(1000));
        assert!(t.refresh_due(8200 - REFRESH_EARLY_SECS));
        let shown = format!("{t:?}");
        assert!(!shown.contains("secret"), "{shown}");
    }

    #[test]
    fn the_callback_gives_the_code_only_for_this_tabs_state() {
        assert_eq!(
            callback_code("?code=c1&state=s1", Some("s1")),
            Ok("c1".into())
        );
        assert_eq!(
            callback_code("code=c1&state=tampered", Some("s1")),
            Err(CallbackRefusal::StateMismatch)
        );
        assert_eq!(
            callback_code("code=c1&state=s1", None),
            Err(CallbackRefusal::Incomplete)
        );
        assert_eq!(
            callback_code(
                "error=access_denied&error_description=denied&state=s1",
                Some("s1")
            ),
            Err(CallbackRefusal::Denied)
        );
        assert_eq!(
            callback_code(
                "error=invalid_scope&error_description=Bad+scope&state=s1",
                Some("s1")
            ),
            Err(CallbackRefusal::GitLab("Bad scope".into()))
        );
        assert_eq!(
            callback_code("state=s1", Some("s1")),
            Err(CallbackRefusal::Incomplete)
        );
        assert!(CallbackRefusal::StateMismatch
            .message()
            .contains("does not match"));
    }

    fn grant(lifetime: u64) -> Grant {
        Grant::from_answer(&TokenAnswer {
            access_token: "secret-access".into(),
            token_type: "Bearer".into(),
            expires_in: lifetime,
            refresh_token: Some("secret-refresh".into()),
            scope: "api".into(),
            created_at: 1_000,
        })
    }

    #[test]
    fn a_grant_refreshes_two_minutes_early_or_a_quarter_of_a_short_life_early() {
        assert_eq!(grant(7_200).refresh_at(), 8_200 - 120);
        // A 60-second token (tests, strict instances) renews 15 s early, not at once.
        assert_eq!(grant(60).refresh_at(), 1_060 - 15);
        assert_eq!(grant(0).refresh_at(), 1_000);
    }

    #[test]
    fn a_grant_never_shows_its_refresh_token() {
        let shown = format!("{:?}", grant(7_200));
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("8200"), "{shown}");
    }
}
