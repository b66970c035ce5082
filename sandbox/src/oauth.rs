//! OAuth 2 for browser apps, the way GitLab answers it through Doorkeeper
//! (5.8, GitLab's `gem 'doorkeeper', '~> 5.8', '>= 5.8.1'`): non-confidential
//! applications (a client id, no secret), the authorization code grant with
//! PKCE, refresh and revocation. The rules and words come from GitLab's
//! `config/initializers/doorkeeper.rb` and Doorkeeper's
//! `lib/doorkeeper/oauth/*_request.rb`, `pre_authorization.rb`,
//! `helpers/uri_checker.rb` and `config/locales/en.yml`; `docs/oauth.md` says
//! what was read where.
//!
//! The HTTP side is `routes/oauth.rs`; API authentication with these tokens
//! is `Ctx::authenticate_for`.

use std::time::Duration;

use base64::Engine;
use rand::Rng;
use sha2::Digest;
use time::OffsetDateTime;

use crate::model::TokenScope;

/// A non-confidential OAuth application: `--oauth-app CLIENT_ID=REDIRECT_URI`.
/// Several entries with one client id give that application several redirect
/// URIs, as GitLab's one-per-line field does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthApp {
    pub client_id: String,
    pub redirect_uri: String,
    /// Shown on the consent page: "Authorize NAME to use your account?".
    pub name: String,
}

impl OAuthApp {
    /// An application named after its client id.
    pub fn new(client_id: impl Into<String>, redirect_uri: impl Into<String>) -> Self {
        let client_id = client_id.into();
        Self {
            name: client_id.clone(),
            client_id,
            redirect_uri: redirect_uri.into(),
        }
    }

    /// `CLIENT_ID=REDIRECT_URI`, as `--oauth-app` takes it. The redirect URI
    /// must be absolute and without a fragment, as Doorkeeper validates it.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (id, uri) = text
            .split_once('=')
            .ok_or_else(|| format!("`{text}`: expected CLIENT_ID=REDIRECT_URI"))?;
        let id = id.trim();
        if id.is_empty() {
            return Err(format!("`{text}`: the client id is empty"));
        }
        if RedirectUri::parse(uri).is_none() {
            return Err(format!(
                "`{uri}`: the redirect URI must be absolute (scheme and host) and have no fragment"
            ));
        }
        Ok(Self::new(id, uri))
    }
}

/// GitLab's `access_token_expires_in 7200`.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(7200);

/// Doorkeeper's `authorization_code_expires_in` default, which GitLab keeps.
pub const CODE_LIFETIME: time::Duration = time::Duration::minutes(10);

/// The scopes the sandbox's applications offer, with GitLab's descriptions
/// (`doc/integration/oauth_provider.md`). A request must include `api` or
/// `read_api`: `read_user` alone would need GitLab's per-route rules for it,
/// which the sandbox does not model.
pub const SCOPES: [(&str, &str); 3] = [
    (
        "api",
        "Grants complete read/write access to the API, including all groups and projects, the container registry, the dependency proxy, and the package registry.",
    ),
    (
        "read_api",
        "Grants read access to the API, including all groups and projects, the container registry, and the package registry.",
    ),
    (
        "read_user",
        "Grants read-only access to the authenticated user's profile through the /user API endpoint, which includes username, public email, and full name. Also grants access to read-only API endpoints under /users.",
    ),
];

/// Doorkeeper's `default_scopes`, GitLab's `DEFAULT_SCOPES`: a request without
/// `scope` gets `api`.
const DEFAULT_SCOPE: &str = "api";

/// The only PKCE method the sandbox takes (Doorkeeper also allows `plain`
/// unless configured otherwise; GitLab does not configure it).
pub const CODE_CHALLENGE_METHOD: &str = "S256";

/// An OAuth error as Doorkeeper words it (`config/locales/en.yml`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthError {
    pub error: &'static str,
    pub description: String,
}

impl OAuthError {
    fn new(error: &'static str, description: &str) -> Self {
        Self {
            error,
            description: description.to_string(),
        }
    }

    pub fn missing(param: &str) -> Self {
        Self {
            error: "invalid_request",
            description: format!("Missing required parameter: {param}."),
        }
    }

    pub fn invalid_client() -> Self {
        Self::new(
            "invalid_client",
            "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
        )
    }

    pub fn invalid_grant() -> Self {
        Self::new(
            "invalid_grant",
            "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
        )
    }

    pub fn invalid_redirect_uri() -> Self {
        Self::new(
            "invalid_redirect_uri",
            "The requested redirect uri is malformed or doesn't match client redirect URI.",
        )
    }

    pub fn unsupported_response_type() -> Self {
        Self::new(
            "unsupported_response_type",
            "The authorization server does not support this response type.",
        )
    }

    pub fn unsupported_grant_type() -> Self {
        Self::new(
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server.",
        )
    }

    pub fn invalid_scope() -> Self {
        Self::new(
            "invalid_scope",
            "The requested scope is invalid, unknown, or malformed.",
        )
    }

    /// `force_pkce`'s refusal: the sandbox requires PKCE of every application.
    pub fn code_challenge_required() -> Self {
        Self::new("invalid_request", "Code challenge is required.")
    }

    pub fn invalid_code_challenge_method() -> Self {
        Self {
            error: "invalid_code_challenge_method",
            description: format!("The code_challenge_method must be {CODE_CHALLENGE_METHOD}."),
        }
    }

    pub fn access_denied() -> Self {
        Self::new(
            "access_denied",
            "The resource owner or authorization server denied the request.",
        )
    }

    /// Doorkeeper's status: 401 for `invalid_client`, else 400.
    pub fn status(&self) -> u16 {
        match self.error {
            "invalid_client" => 401,
            _ => 400,
        }
    }

    /// Doorkeeper's `ErrorResponse#redirectable?`: errors about the client or
    /// its redirect URI are never sent to that URI.
    pub fn redirectable(&self) -> bool {
        let about_the_client = matches!(self.error, "invalid_client" | "invalid_redirect_uri")
            || *self == Self::missing("client_id");
        !about_the_client
    }

    /// Doorkeeper's `WWW-Authenticate` on token errors (realm "Doorkeeper",
    /// which GitLab does not change).
    pub fn www_authenticate(&self) -> String {
        format!(
            "Bearer realm=\"Doorkeeper\", error=\"{}\", error_description=\"{}\"",
            self.error,
            rfc6750_safe(&self.description)
        )
    }
}

/// Doorkeeper's `sanitize_error_values`: characters RFC 6750 does not allow in
/// `error_description` become `_`.
fn rfc6750_safe(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\x20'..='\x21' | '\x23'..='\x5b' | '\x5d'..='\x7e' => c,
            _ => '_',
        })
        .collect()
}

/// Why an OAuth access token was refused on the API (`Gitlab::Auth::ExpiredError`,
/// `RevokedError`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    Expired,
    Revoked,
}

/// The parameters of `GET /oauth/authorize` (and of the consent form), blank
/// values as absent, as Ruby's `blank?` reads them.
#[derive(Clone, Debug, Default)]
pub struct AuthorizeParams {
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub response_type: Option<String>,
    pub state: Option<String>,
    pub scope: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
}

/// A request that passed Doorkeeper's pre-authorization: what the consent
/// page shows and posts back.
#[derive(Clone, Debug)]
pub struct PreAuth {
    pub app_name: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub response_type: String,
    /// Space-separated, as asked (or the default).
    pub scope: String,
    pub code_challenge: String,
    pub code_challenge_method: String,
}

impl PreAuth {
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scope.split(' ').filter(|s| !s.is_empty())
    }
}

/// The parameters of `POST /oauth/token`.
#[derive(Clone, Debug, Default)]
pub struct TokenParams {
    pub grant_type: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub refresh_token: Option<String>,
    pub scope: Option<String>,
}

/// An issued access token and its refresh token (one row in Doorkeeper's
/// `oauth_access_tokens`, so revoking either revokes both).
#[derive(Clone, Debug)]
pub struct IssuedToken {
    pub access_token: String,
    pub refresh_token: String,
    pub client_id: String,
    pub user_id: u64,
    /// Space-separated, as granted.
    pub scopes: String,
    /// What the token may do on the API, from `scopes`.
    pub scope: TokenScope,
    pub created_at: OffsetDateTime,
    pub expires_in: Duration,
    pub revoked: bool,
}

impl IssuedToken {
    /// Doorkeeper's `expired?`: past `created_at + expires_in`.
    pub fn is_expired(&self, now: OffsetDateTime) -> bool {
        now > self.created_at + self.expires_in
    }

    /// `TokenResponse#body`.
    pub fn response_body(&self) -> serde_json::Value {
        serde_json::json!({
            "access_token": self.access_token,
            "token_type": "Bearer",
            "expires_in": self.expires_in.as_secs(),
            "refresh_token": self.refresh_token,
            "scope": self.scopes,
            "created_at": self.created_at.unix_timestamp(),
        })
    }
}

/// An authorization code (`oauth_access_grants`).
#[derive(Clone, Debug)]
struct Grant {
    code: String,
    client_id: String,
    user_id: u64,
    redirect_uri: String,
    scopes: String,
    code_challenge: String,
    issued_at: OffsetDateTime,
    /// Spent by a token exchange (Doorkeeper revokes the grant).
    used: bool,
}

/// The OAuth side of the world: applications, codes and tokens.
#[derive(Clone, Debug)]
pub struct OAuth {
    pub apps: Vec<OAuthApp>,
    pub token_lifetime: Duration,
    grants: Vec<Grant>,
    tokens: Vec<IssuedToken>,
}

impl Default for OAuth {
    fn default() -> Self {
        Self::new(Vec::new(), DEFAULT_TOKEN_LIFETIME)
    }
}

impl OAuth {
    pub fn new(apps: Vec<OAuthApp>, token_lifetime: Duration) -> Self {
        Self {
            apps,
            token_lifetime,
            grants: Vec::new(),
            tokens: Vec::new(),
        }
    }

    fn app(&self, client_id: &str) -> Option<&OAuthApp> {
        self.apps.iter().find(|a| a.client_id == client_id)
    }

    /// The client a token request names: `by_uid_and_secret`, where a
    /// non-confidential application matches only without a secret.
    fn client(&self, client_id: Option<&str>, secret: Option<&str>) -> Option<&OAuthApp> {
        let app = self.app(client_id?)?;
        secret.is_none().then_some(app)
    }

    fn redirect_allowed(&self, client_id: &str, uri: &str) -> bool {
        self.apps
            .iter()
            .filter(|a| a.client_id == client_id)
            .any(|a| redirect_uri_matches(uri, &a.redirect_uri))
    }

    /// Doorkeeper's `PreAuthorization` validations, in its order. The sandbox
    /// requires PKCE with S256 of every application (GitLab leaves PKCE optional
    /// and also takes `plain`).
    pub fn pre_authorize(&self, p: &AuthorizeParams) -> Result<PreAuth, OAuthError> {
        let client_id = p
            .client_id
            .as_deref()
            .ok_or_else(|| OAuthError::missing("client_id"))?;
        let app = self.app(client_id).ok_or_else(OAuthError::invalid_client)?;
        let redirect_uri = p
            .redirect_uri
            .as_deref()
            .filter(|uri| self.redirect_allowed(client_id, uri))
            .ok_or_else(OAuthError::invalid_redirect_uri)?;
        let response_type = p
            .response_type
            .as_deref()
            .ok_or_else(|| OAuthError::missing("response_type"))?;
        // GitLab's grant flows have no implicit grant, so only `code`.
        if response_type != "code" {
            return Err(OAuthError::unsupported_response_type());
        }
        let scope = p.scope.clone().unwrap_or_else(|| DEFAULT_SCOPE.to_string());
        if !scope_valid(&scope) {
            return Err(OAuthError::invalid_scope());
        }
        let code_challenge = p
            .code_challenge
            .clone()
            .ok_or_else(OAuthError::code_challenge_required)?;
        if p.code_challenge_method.as_deref() != Some(CODE_CHALLENGE_METHOD) {
            return Err(OAuthError::invalid_code_challenge_method());
        }
        Ok(PreAuth {
            app_name: app.name.clone(),
            client_id: client_id.to_string(),
            redirect_uri: redirect_uri.to_string(),
            state: p.state.clone(),
            response_type: response_type.to_string(),
            scope,
            code_challenge,
            code_challenge_method: CODE_CHALLENGE_METHOD.to_string(),
        })
    }

    /// The user approved: a code for them, and where to send the browser
    /// (`redirect_uri?code=…&state=…`).
    pub fn approve(&mut self, pre: &PreAuth, user_id: u64, now: OffsetDateTime) -> String {
        let code = random_token();
        self.grants.push(Grant {
            code: code.clone(),
            client_id: pre.client_id.clone(),
            user_id,
            redirect_uri: pre.redirect_uri.clone(),
            scopes: pre.scope.clone(),
            code_challenge: pre.code_challenge.clone(),
            issued_at: now,
            used: false,
        });
        uri_with_query(
            &pre.redirect_uri,
            &[
                ("code", Some(code.as_str())),
                ("state", pre.state.as_deref()),
            ],
        )
    }

    /// Where an error (the user's Deny, or a refused request) sends the browser:
    /// `redirect_uri?error=…&error_description=…&state=…`.
    pub fn error_redirect(redirect_uri: &str, error: &OAuthError, state: Option<&str>) -> String {
        uri_with_query(
            redirect_uri,
            &[
                ("error", Some(error.error)),
                ("error_description", Some(error.description.as_str())),
                ("state", state),
            ],
        )
    }

    /// `POST /oauth/token`: the grant types GitLab's browser apps use.
    pub fn token(
        &mut self,
        p: &TokenParams,
        now: OffsetDateTime,
    ) -> Result<IssuedToken, OAuthError> {
        match p.grant_type.as_deref() {
            None => Err(OAuthError::missing("grant_type")),
            Some("authorization_code") => self.exchange_code(p, now),
            Some("refresh_token") => self.refresh(p, now),
            // GitLab also has `password`, `client_credentials` and the device
            // grant; the sandbox's public applications do not.
            Some(_) => Err(OAuthError::unsupported_grant_type()),
        }
    }

    /// `AuthorizationCodeRequest`, its validations in Doorkeeper's order.
    fn exchange_code(
        &mut self,
        p: &TokenParams,
        now: OffsetDateTime,
    ) -> Result<IssuedToken, OAuthError> {
        let code = p
            .code
            .as_deref()
            .ok_or_else(|| OAuthError::missing("code"))?;
        let at = self.grants.iter().position(|g| g.code == code);
        // `validate_params`: a grant made with PKCE needs the verifier.
        if at.is_some() && p.code_verifier.is_none() {
            return Err(OAuthError::missing("code_verifier"));
        }
        let redirect_uri = p
            .redirect_uri
            .as_deref()
            .ok_or_else(|| OAuthError::missing("redirect_uri"))?;
        let client = self
            .client(p.client_id.as_deref(), p.client_secret.as_deref())
            .ok_or_else(OAuthError::invalid_client)?
            .client_id
            .clone();
        let at = at
            .filter(|&i| self.grants[i].client_id == client)
            .ok_or_else(OAuthError::invalid_grant)?;
        let grant = &self.grants[at];
        let verifier = p.code_verifier.as_deref().unwrap_or_default();
        let fresh = !grant.used && now < grant.issued_at + CODE_LIFETIME;
        if !redirect_uri_matches(redirect_uri, &grant.redirect_uri)
            || pkce_challenge(verifier) != grant.code_challenge
            || !fresh
        {
            return Err(OAuthError::invalid_grant());
        }
        let (user_id, scopes) = (grant.user_id, grant.scopes.clone());
        self.grants[at].used = true;
        // `reuse_access_token` is off in GitLab: every exchange is a new token.
        Ok(self.issue(&client, user_id, &scopes, self.token_lifetime, now))
    }

    /// `RefreshTokenRequest`. GitLab's `oauth_access_tokens` has no
    /// `previous_refresh_token` column, so Doorkeeper revokes the old access and
    /// refresh token at once (not when the new token is first used).
    fn refresh(&mut self, p: &TokenParams, now: OffsetDateTime) -> Result<IssuedToken, OAuthError> {
        let refresh = p
            .refresh_token
            .as_deref()
            .ok_or_else(|| OAuthError::missing("refresh_token"))?;
        let at = self
            .tokens
            .iter()
            .position(|t| t.refresh_token == refresh && !t.revoked)
            .ok_or_else(OAuthError::invalid_grant)?;
        // Credentials are blank without a client id; then only the client match
        // below can fail (as `invalid_grant`).
        let client = match p.client_id.as_deref() {
            None => None,
            Some(_) => Some(
                self.client(p.client_id.as_deref(), p.client_secret.as_deref())
                    .ok_or_else(OAuthError::invalid_client)?
                    .client_id
                    .clone(),
            ),
        };
        let old = &self.tokens[at];
        if client.as_deref() != Some(old.client_id.as_str()) {
            return Err(OAuthError::invalid_grant());
        }
        // A narrower scope may be asked for; never a wider one.
        let scopes = match p.scope.as_deref() {
            None => old.scopes.clone(),
            Some(asked) => {
                let held: Vec<&str> = old.scopes.split(' ').collect();
                if !scope_valid(asked) || !asked.split(' ').all(|s| held.contains(&s)) {
                    return Err(OAuthError::invalid_scope());
                }
                asked.to_string()
            }
        };
        let (client, user_id, expires_in) = (old.client_id.clone(), old.user_id, old.expires_in);
        self.tokens[at].revoked = true;
        // Doorkeeper keeps the original token's lifetime for the new one.
        Ok(self.issue(&client, user_id, &scopes, expires_in, now))
    }

    fn issue(
        &mut self,
        client_id: &str,
        user_id: u64,
        scopes: &str,
        expires_in: Duration,
        now: OffsetDateTime,
    ) -> IssuedToken {
        let token = IssuedToken {
            access_token: random_token(),
            refresh_token: random_token(),
            client_id: client_id.to_string(),
            user_id,
            scopes: scopes.to_string(),
            // `scope_valid` let only lists with `api` or `read_api` this far;
            // the fallback is the narrower one regardless.
            scope: api_scope(scopes).unwrap_or(TokenScope::ReadApi),
            created_at: now,
            expires_in,
            revoked: false,
        };
        self.tokens.push(token.clone());
        token
    }

    /// `POST /oauth/revoke` (RFC 7009), as Doorkeeper 5.8's `TokensController`:
    /// an unknown token is fine (nothing to do). Only a confidential
    /// application's tokens need their own client's credentials, so a public
    /// application's token is revoked whoever asks; GitLab's
    /// `skip_client_authentication_for_password_grant` also skips the separate
    /// "no client" refusal. With `token_type_hint=refresh_token` only refresh
    /// tokens are looked at.
    pub fn revoke(&mut self, token: Option<&str>, hint: Option<&str>) {
        let Some(token) = token else { return };
        let found = if hint == Some("refresh_token") {
            self.tokens.iter().position(|t| t.refresh_token == token)
        } else {
            self.tokens
                .iter()
                .position(|t| t.access_token == token)
                .or_else(|| self.tokens.iter().position(|t| t.refresh_token == token))
        };
        // One row holds both, so either revokes the pair.
        if let Some(at) = found {
            self.tokens[at].revoked = true;
        }
    }

    /// An OAuth access token presented to the API: its user and scope, or why
    /// it is refused (expiry is checked before revocation, as GitLab's
    /// `AccessTokenValidationService` does). `None` when it is no such token.
    pub fn bearer(
        &self,
        token: &str,
        now: OffsetDateTime,
    ) -> Option<Result<(u64, TokenScope), Refused>> {
        let t = self.tokens.iter().find(|t| t.access_token == token)?;
        Some(if t.is_expired(now) {
            Err(Refused::Expired)
        } else if t.revoked {
            Err(Refused::Revoked)
        } else {
            Ok((t.user_id, t.scope))
        })
    }

    /// Every token issued so far (tests).
    pub fn issued(&self) -> &[IssuedToken] {
        &self.tokens
    }

    /// Revokes every token issued so far, refresh tokens included, as an
    /// administrator revoking the application's access does (tests: a
    /// refresh that fails).
    pub fn revoke_all(&mut self) {
        for t in &mut self.tokens {
            t.revoked = true;
        }
    }

    /// Makes every access token issued so far expired from now on, as one
    /// is when GitLab's clock runs ahead of the browser's (tests: a 401
    /// `invalid_token` before the console's own refresh is due). Refresh
    /// tokens keep working, as in Doorkeeper.
    pub fn expire_access_tokens(&mut self, now: OffsetDateTime) {
        // Their lifetime stays (a refreshed token keeps it); they were made earlier.
        for t in &mut self.tokens {
            t.created_at = t
                .created_at
                .min(now - t.expires_in - Duration::from_secs(1));
        }
    }
}

/// What a granted scope list lets a token do on the API; `None` when it holds
/// neither `api` nor `read_api`.
pub fn api_scope(scopes: &str) -> Option<TokenScope> {
    let has = |s: &str| scopes.split(' ').any(|x| x == s);
    if has("api") {
        Some(TokenScope::Api)
    } else if has("read_api") {
        Some(TokenScope::ReadApi)
    } else {
        None
    }
}

/// Doorkeeper's `ScopeChecker.valid?` against the applications' scopes, plus
/// the sandbox's rule that `api` or `read_api` be among them.
fn scope_valid(scope: &str) -> bool {
    !scope.is_empty()
        && !scope.contains(['\r', '\n', '\t'])
        && scope
            .split(' ')
            .filter(|s| !s.is_empty())
            .all(|s| SCOPES.iter().any(|(known, _)| *known == s))
        && api_scope(scope).is_some()
}

/// RFC 7636's S256: base64url without padding of SHA-256 of the verifier.
pub fn pkce_challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()))
}

/// 32 random bytes in hex, the shape of Doorkeeper's tokens under GitLab's
/// `default_generator_method :hex`. Random rather than drawn from the seed, so
/// a token a browser kept from an earlier run is unknown to the next one.
fn random_token() -> String {
    let bytes: [u8; 32] = rand::thread_rng().gen();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A redirect URI taken apart the way Doorkeeper's `URIChecker` compares them.
#[derive(Debug, PartialEq, Eq)]
struct RedirectUri {
    scheme: String,
    host: String,
    port: Option<u16>,
    path: String,
    query: Option<String>,
}

impl RedirectUri {
    fn parse(text: &str) -> Option<Self> {
        if text.contains('#') {
            return None;
        }
        let uri: axum::http::Uri = text.parse().ok()?;
        let scheme = uri.scheme_str()?.to_ascii_lowercase();
        let authority = uri.authority()?;
        let port = authority.port_u16().or(match scheme.as_str() {
            "http" => Some(80),
            "https" => Some(443),
            _ => None,
        });
        let path = match uri.path() {
            "" => "/".to_string(),
            p => p.to_string(),
        };
        Some(Self {
            scheme,
            host: authority.host().to_ascii_lowercase(),
            port,
            path,
            query: uri.query().map(str::to_string),
        })
    }

    /// RFC 8252 section 7.3: a loopback IP literal matches on any port.
    fn is_loopback(&self) -> bool {
        self.host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
    }
}

/// Doorkeeper's `URIChecker.valid_for_authorization?` for one registered URI:
/// equal scheme, host, port and path; the registered URI's query, if any, must
/// be there in any order; a loopback IP matches on any port.
pub fn redirect_uri_matches(asked: &str, registered: &str) -> bool {
    let (Some(mut asked), Some(mut registered)) =
        (RedirectUri::parse(asked), RedirectUri::parse(registered))
    else {
        return false;
    };
    if let Some(want) = registered.query.take() {
        let sorted = |q: &str| {
            let mut parts: Vec<String> = q.split('&').map(str::to_string).collect();
            parts.sort();
            parts
        };
        match &asked.query {
            Some(got) if sorted(got) == sorted(&want) => {}
            _ => return false,
        }
    }
    if asked.is_loopback() && registered.is_loopback() {
        asked.port = None;
        registered.port = None;
    }
    asked.query = None;
    asked == registered
}

/// Doorkeeper's `URIBuilder.uri_with_query`: the URI's own query kept, these
/// parameters added or replaced, blank ones left out.
fn uri_with_query(uri: &str, params: &[(&str, Option<&str>)]) -> String {
    let (base, query) = uri.split_once('?').unwrap_or((uri, ""));
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        if !params.iter().any(|(name, _)| *name == k) {
            out.append_pair(&k, &v);
        }
    }
    for (k, v) in params {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            out.append_pair(k, v);
        }
    }
    format!("{base}?{}", out.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_7636_example_challenge() {
        // RFC 7636, appendix B (the brief for this work quoted a different
        // challenge, `…JguCQHkw…`; the RFC and an independent SHA-256 agree on this one).
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        // GitLab's doc/api/oauth2.md example.
        assert_eq!(
            pkce_challenge("ks02i3jdikdo2k0dkfodf3m39rjfjsdk0wk349rj3jrhf"),
            "2i0WFA-0AerkjQm4X4oDEhqA17QIAKNjXpagHBXmO_U"
        );
    }

    #[test]
    fn redirect_uris_match_as_doorkeeper_compares_them() {
        let cb = "http://127.0.0.1:8080/oauth/callback";
        assert!(redirect_uri_matches(cb, cb));
        assert!(!redirect_uri_matches(
            "http://127.0.0.1:8080/oauth/other",
            cb
        ));
        assert!(!redirect_uri_matches(
            "https://127.0.0.1:8080/oauth/callback",
            cb
        ));
        assert!(!redirect_uri_matches(
            "http://evil.example/oauth/callback",
            cb
        ));
        // Loopback IPs match on any port (RFC 8252); names do not.
        assert!(redirect_uri_matches(
            "http://127.0.0.1:9000/oauth/callback",
            cb
        ));
        assert!(redirect_uri_matches(
            "http://[::1]:1/cb",
            "http://[::1]:2/cb"
        ));
        assert!(!redirect_uri_matches(
            "http://localhost:9000/cb",
            "http://localhost:8080/cb"
        ));
        assert!(redirect_uri_matches(
            "http://a.example/cb",
            "http://A.example:80/cb"
        ));
        // The asked URI's own query is ignored unless one is registered.
        assert!(redirect_uri_matches(
            "https://a.example/cb?x=1",
            "https://a.example/cb"
        ));
        assert!(redirect_uri_matches(
            "https://a.example/cb?b=2&a=1",
            "https://a.example/cb?a=1&b=2"
        ));
        assert!(!redirect_uri_matches(
            "https://a.example/cb",
            "https://a.example/cb?a=1"
        ));
        assert!(!redirect_uri_matches(
            "https://a.example/cb#f",
            "https://a.example/cb"
        ));
        assert!(!redirect_uri_matches("/cb", "/cb"));
    }

    #[test]
    fn redirects_keep_the_uri_query_and_leave_out_blank_values() {
        assert_eq!(
            uri_with_query(
                "http://a.example/cb?keep=1&code=old",
                &[("code", Some("c 1")), ("state", None)]
            ),
            "http://a.example/cb?keep=1&code=c+1"
        );
        assert_eq!(
            OAuth::error_redirect("http://a.example/cb", &OAuthError::access_denied(), Some("s")),
            "http://a.example/cb?error=access_denied&error_description=The+resource+owner+or+authorization+server+denied+the+request.&state=s"
        );
    }

    #[test]
    fn apps_parse_from_the_flag() {
        let app = OAuthApp::parse("console=http://127.0.0.1:8080/oauth/callback").unwrap();
        assert_eq!(
            app,
            OAuthApp::new("console", "http://127.0.0.1:8080/oauth/callback")
        );
        assert_eq!(app.name, "console");
        assert!(OAuthApp::parse("console").is_err());
        assert!(OAuthApp::parse("=http://a.example/cb").is_err());
        assert!(OAuthApp::parse("c=/cb").is_err());
        assert!(OAuthApp::parse("c=http://a.example/cb#x").is_err());
    }

    #[test]
    fn scopes_need_api_or_read_api() {
        assert!(scope_valid("api"));
        assert!(scope_valid("read_api read_user"));
        assert!(!scope_valid("read_user"));
        assert!(!scope_valid("api sudo"));
        assert!(!scope_valid(""));
        assert_eq!(api_scope("read_user api"), Some(TokenScope::Api));
        assert_eq!(api_scope("read_api"), Some(TokenScope::ReadApi));
    }

    #[test]
    fn error_descriptions_are_made_safe_for_the_header() {
        assert_eq!(
            OAuthError::invalid_redirect_uri().www_authenticate(),
            "Bearer realm=\"Doorkeeper\", error=\"invalid_redirect_uri\", error_description=\"The requested redirect uri is malformed or doesn't match client redirect URI.\""
        );
        assert_eq!(rfc6750_safe("a\"b\\c\u{e9}"), "a_b_c_");
    }
}
