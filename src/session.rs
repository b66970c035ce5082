//! Who is signed in to which GitLab instance (issue 16: several at once). Each
//! instance's credentials are checked with `GET /user` before they are kept, and
//! kept where the person chose for that instance (this page's memory, this tab,
//! or this browser). Signing out of one wipes that instance's credentials only.
//! A 401 while signed in first refreshes an OAuth token, and otherwise asks to
//! sign in again without leaving the page (see `components::reauth_dialog`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use futures::channel::oneshot;
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::{hooks, request, ApiError, Client, User, Version};
use crate::gitlab_url;
use crate::gitlab_version::{Feature, GitLabVersion};
use crate::instances::{self, Instance, SignInWith};
pub use crate::oauth::Grant;
use crate::oauth::{self, TokenAnswer};

/// Before issue 16: the one session, migrated to an instance on load.
const LEGACY_KEY: &str = "runner-console.session";
/// `+ label`: one instance, with its credentials when kept.
const INSTANCE_PREFIX: &str = "runner-console.instance.";
/// The instance an address without `/i/<label>` means, in this tab.
const CURRENT_KEY: &str = "runner-console.current";
/// Drafts of the edit form (see `pages::runner_edit`) go on sign-out.
pub const DRAFT_PREFIX: &str = "runner-console.draft.";

/// Where an instance's token is kept between page loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenStorage {
    /// Nowhere: a reload signs out.
    Memory,
    /// sessionStorage: until the tab is closed.
    Tab,
    /// localStorage: until signing out.
    Browser,
}

impl TokenStorage {
    pub const ALL: [TokenStorage; 3] = [
        TokenStorage::Memory,
        TokenStorage::Tab,
        TokenStorage::Browser,
    ];

    pub fn value(self) -> &'static str {
        match self {
            TokenStorage::Memory => "memory",
            TokenStorage::Tab => "tab",
            TokenStorage::Browser => "browser",
        }
    }

    pub fn parse(s: &str) -> Option<TokenStorage> {
        TokenStorage::ALL.into_iter().find(|t| t.value() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            TokenStorage::Memory => "Only in this page's memory (gone on reload)",
            TokenStorage::Tab => "This tab until it is closed (sessionStorage)",
            TokenStorage::Browser => "This browser (localStorage)",
        }
    }

    /// Shorter, for the instances table.
    pub fn short(self) -> &'static str {
        match self {
            TokenStorage::Memory => "memory",
            TokenStorage::Tab => "this tab",
            TokenStorage::Browser => "this browser",
        }
    }

    /// The risk, in one sentence.
    pub fn risk(self) -> &'static str {
        match self {
            TokenStorage::Memory => {
                "Safest: nothing is written to disk, but every reload asks for the token again."
            }
            TokenStorage::Tab => {
                "Scripts running on this page could read it until the tab is closed."
            }
            TokenStorage::Browser => {
                "Anyone using this browser profile, and scripts on this page, could read it until you sign out."
            }
        }
    }

    fn storage(self) -> Option<web_sys::Storage> {
        match self {
            TokenStorage::Memory => None,
            TokenStorage::Tab => window().session_storage().ok().flatten(),
            TokenStorage::Browser => window().local_storage().ok().flatten(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Session {
    /// The instance's label when signed in (the pages' instance).
    pub label: String,
    pub client: Client,
    pub user: User,
    pub gitlab_url: String,
    /// From `/version` at sign-in; `None` when GitLab did not say (a proxy may
    /// hide it): features are then tried, and a missing route read as "needs".
    pub version: Option<GitLabVersion>,
}

impl Session {
    pub fn is_admin(&self) -> bool {
        self.user.admin()
    }

    /// Whether this GitLab has `feature` (unknown version: assume it does).
    pub fn has(&self, feature: Feature) -> bool {
        feature.available(self.version)
    }
}

/// Whether an instance is usable.
#[derive(Clone, Debug)]
pub enum Connection {
    SignedIn(Session),
    /// A remembered token is being checked after a reload.
    Restoring,
    /// Signed out; why, when it was not the person's choice.
    SignedOut(Option<String>),
}

/// One GitLab instance the console knows.
#[derive(Clone, Debug)]
pub struct Known {
    pub instance: Instance,
    pub kept_in: TokenStorage,
    pub connection: Connection,
    pub grant: Option<Grant>,
    /// Orders the list (`Date.now()` when added).
    added: f64,
}

impl Known {
    pub fn session(&self) -> Option<&Session> {
        match &self.connection {
            Connection::SignedIn(s) => Some(s),
            _ => None,
        }
    }

    pub fn label(&self) -> &str {
        &self.instance.label
    }
}

/// The app-wide session state, provided as context.
#[derive(Clone, Copy)]
pub struct SessionStore {
    /// Every instance, in the order they were added.
    pub known: RwSignal<Vec<Known>>,
    /// The instance the pages are for (the route's, else the last chosen).
    pub current_label: RwSignal<Option<String>>,
    /// The instance whose token GitLab refused (401): ask to sign in again.
    pub reauth_for: RwSignal<Option<String>>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    instance: Instance,
    #[serde(default)]
    added: f64,
    /// Missing once signed out: the instance stays listed.
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    grant: Option<Grant>,
    /// Who the token belonged to when it was kept: lets a reload show the page at
    /// once (one round trip to the first runners) while the token is re-checked.
    #[serde(default)]
    user: Option<User>,
    /// The server's version then, so its pages are right at once after a reload.
    #[serde(default)]
    version: Option<GitLabVersion>,
}

/// The session kept before issue 16.
#[derive(Deserialize)]
struct Legacy {
    url: String,
    token: String,
    #[serde(default)]
    user: Option<User>,
    #[serde(default)]
    version: Option<GitLabVersion>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SignInError {
    BadUrl(String),
    Api(ApiError),
}

impl From<ApiError> for SignInError {
    fn from(e: ApiError) -> Self {
        SignInError::Api(e)
    }
}

/// Checks `client`'s token with `GET /user`; a 401 here is an answer, not a prompt.
pub async fn check(label: &str, client: Client) -> Result<Session, SignInError> {
    let (user, version) = user_and_version(&client).await;
    Ok(Session {
        label: label.to_string(),
        gitlab_url: client.base().to_string(),
        client: client.with_reauth(),
        user: user?,
        version,
    })
}

/// Checks a pasted token for the GitLab at `url`.
pub async fn sign_in(label: &str, url: &str, token: &str) -> Result<Session, SignInError> {
    let gitlab_url = gitlab_url::normalize(url).map_err(SignInError::BadUrl)?;
    check(label, Client::new(gitlab_url, token)).await
}

/// Who the token belongs to, and (at the same time) the server's version:
/// `None` when `/version` gives no usable answer.
async fn user_and_version(client: &Client) -> (Result<User, ApiError>, Option<GitLabVersion>) {
    let (user_req, version_req) = (request::current_user(), request::version());
    let (user, version) = futures::join!(
        client.json::<User>(&user_req, None),
        client.json::<Version>(&version_req, None)
    );
    (user, version.ok().and_then(|v| v.gitlab_version()))
}

type Refreshing = Shared<LocalBoxFuture<'static, Option<String>>>;

thread_local! {
    /// Requests waiting for the person to sign in again, by instance label.
    static WAITING_FOR_TOKEN: RefCell<HashMap<String, Vec<oneshot::Sender<Option<String>>>>> =
        RefCell::new(HashMap::new());
    /// An OAuth refresh under way, by label: GitLab rotates the refresh token,
    /// so a second refresh with the same one would fail.
    static REFRESHING: RefCell<HashMap<String, Refreshing>> = RefCell::new(HashMap::new());
}

fn now_secs() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// The console's OAuth callback address (`<origin><base>/oauth/callback`).
pub fn redirect_uri() -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!(
        "{origin}{}",
        crate::links::href(crate::links::OAUTH_CALLBACK)
    )
}

impl SessionStore {
    pub fn provide() -> Self {
        let store = SessionStore {
            known: RwSignal::new(Vec::new()),
            current_label: RwSignal::new(None),
            reauth_for: RwSignal::new(None),
        };
        provide_context(store);
        hooks::on_unauthorized(Box::new(move |client| store.unauthorized(client)));
        store.restore();
        store
    }

    /// The instance `label`, if known.
    pub fn find(self, label: &str) -> Option<Known> {
        self.known
            .with_untracked(|k| k.iter().find(|k| k.label() == label).cloned())
    }

    /// Labels in use.
    pub fn labels(self) -> Vec<String> {
        self.known
            .with(|k| k.iter().map(|k| k.label().to_string()).collect())
    }

    /// The session of the instance the pages are for.
    pub fn current(self) -> Option<Session> {
        let label = self.current_label.get()?;
        self.known.with(|k| {
            k.iter()
                .find(|k| k.label() == label)
                .and_then(|k| k.session().cloned())
        })
    }

    /// The sessions of every signed-in instance, in the list's order (untracked:
    /// the all-instances pages are built again when the list changes).
    pub fn signed_in(self) -> Vec<Session> {
        self.known
            .with_untracked(|k| k.iter().filter_map(|k| k.session().cloned()).collect())
    }

    /// How many instances are signed in (tracked).
    pub fn signed_in_count(self) -> usize {
        self.known
            .with(|k| k.iter().filter(|k| k.session().is_some()).count())
    }

    pub fn current_untracked(self) -> Option<Session> {
        untrack(|| self.current())
    }

    /// The instance an address without `/i/<label>` is for: the last chosen in
    /// this tab, else the first signed in, else the first.
    pub fn default_label(self) -> Option<String> {
        let chosen = self.current_label.get();
        self.known.with(|k| {
            chosen
                .filter(|c| k.iter().any(|k| k.label() == c))
                .or_else(|| {
                    k.iter()
                        .find(|k| k.session().is_some())
                        .or(k.first())
                        .map(|k| k.label().to_string())
                })
        })
    }

    /// Makes `label` the instance the pages are for.
    pub fn choose(self, label: &str) {
        if self.current_label.get_untracked().as_deref() != Some(label) {
            self.current_label.set(Some(label.to_string()));
        }
        if let Some(s) = TokenStorage::Tab.storage() {
            let _ = s.set_item(CURRENT_KEY, label);
        }
    }

    fn set_connection(self, label: &str, connection: Connection) {
        self.known.update(|k| {
            if let Some(k) = k.iter_mut().find(|k| k.label() == label) {
                k.connection = connection;
            }
        });
    }

    /// Reads every instance this tab and browser remember, and signs in again
    /// with their tokens.
    fn restore(self) {
        migrate_legacy();
        let mut found: Vec<(TokenStorage, Stored)> = Vec::new();
        for kind in [TokenStorage::Tab, TokenStorage::Browser] {
            let Some(s) = kind.storage() else { continue };
            for key in keys(&s, INSTANCE_PREFIX) {
                let Some(stored) = s
                    .get_item(&key)
                    .ok()
                    .flatten()
                    .and_then(|raw| serde_json::from_str::<Stored>(&raw).ok())
                else {
                    continue;
                };
                if !found
                    .iter()
                    .any(|(_, f)| f.instance.label == stored.instance.label)
                {
                    found.push((kind, stored));
                }
            }
        }
        found.sort_by(|a, b| a.1.added.total_cmp(&b.1.added));
        let mut known = Vec::new();
        let mut checks = Vec::new();
        for (kind, stored) in found {
            let label = stored.instance.label.clone();
            let client = match (&stored.token, &stored.grant) {
                (Some(t), Some(_)) => Some(Client::oauth(stored.instance.gitlab_url.clone(), t)),
                (Some(t), None) => Some(Client::new(stored.instance.gitlab_url.clone(), t)),
                _ => None,
            };
            let connection = match (client, stored.user.clone()) {
                (None, _) => Connection::SignedOut(None),
                (Some(client), Some(user)) => {
                    let client = client.with_reauth();
                    // The token may have been revoked since: the first refused
                    // request (this one, or the page's) asks to sign in again.
                    checks.push((label.clone(), client.clone()));
                    Connection::SignedIn(Session {
                        label: label.clone(),
                        client,
                        user,
                        gitlab_url: stored.instance.gitlab_url.clone(),
                        version: stored.version,
                    })
                }
                (Some(client), None) => {
                    checks.push((label.clone(), client));
                    Connection::Restoring
                }
            };
            known.push(Known {
                instance: stored.instance,
                kept_in: kind,
                connection,
                grant: stored.grant,
                added: stored.added,
            });
        }
        let chosen = TokenStorage::Tab
            .storage()
            .and_then(|s| s.get_item(CURRENT_KEY).ok().flatten());
        self.known.set(known);
        self.current_label.set(chosen);
        for (label, client) in checks {
            let restoring = matches!(
                self.find(&label).map(|k| k.connection),
                Some(Connection::Restoring)
            );
            leptos::task::spawn_local(async move {
                if restoring {
                    let connection = match check(&label, client).await {
                        Ok(session) => Connection::SignedIn(session),
                        Err(_) => Connection::SignedOut(Some(
                            "GitLab no longer accepts the kept token.".into(),
                        )),
                    };
                    self.set_connection(&label, connection);
                    self.write(&label);
                } else {
                    let (fresh, version) = user_and_version(&client).await;
                    if let Ok(fresh) = fresh {
                        self.known.update(|k| {
                            if let Some(Connection::SignedIn(s)) = k
                                .iter_mut()
                                .find(|k| k.label() == label)
                                .map(|k| &mut k.connection)
                            {
                                s.user = fresh;
                                s.version = version;
                            }
                        });
                    }
                }
            });
        }
        for label in self.labels() {
            self.schedule_refresh(&label);
        }
    }

    /// Keeps a checked session for `instance` (added, or replacing the one of
    /// that label), its token only where the person chose, and makes it current.
    pub fn keep(
        self,
        instance: Instance,
        session: Session,
        token: &str,
        grant: Option<Grant>,
        kept_in: TokenStorage,
    ) {
        let label = instance.label.clone();
        forget_record(&label);
        let known = Known {
            instance,
            kept_in,
            connection: Connection::SignedIn(session),
            grant,
            added: js_sys::Date::now(),
        };
        self.known
            .update(|k| match k.iter_mut().find(|k| k.label() == label) {
                Some(old) => {
                    let added = old.added;
                    *old = Known { added, ..known };
                }
                None => k.push(known),
            });
        write_record(&self.find(&label).expect("just kept"), Some(token));
        self.choose(&label);
        self.schedule_refresh(&label);
        // A request of the old session that was refused (the kept token checked
        // after a reload) goes on with the new one.
        if self.reauth_for.get_untracked().as_deref() == Some(label.as_str()) {
            self.reauth_for.set(None);
        }
        release_waiting(&label, Some(token.to_string()));
    }

    /// Writes `label`'s record (and its current token) where it is kept.
    fn write(self, label: &str) {
        if let Some(k) = self.find(label) {
            let token = k.session().map(|s| s.client.token());
            write_record(&k, token.as_deref());
        }
    }

    /// A 401 from the client `client`: an OAuth session refreshes its token
    /// first; otherwise (or if that fails) the person is asked to sign in again.
    fn unauthorized(self, client: u32) -> Pin<Box<dyn Future<Output = Option<String>>>> {
        let label = self.known.with_untracked(|k| {
            k.iter()
                .find(|k| k.session().is_some_and(|s| s.client.id() == client))
                .map(|k| k.label().to_string())
        });
        Box::pin(async move {
            let label = label?;
            if let Some(token) = self.refresh(&label).await {
                return Some(token);
            }
            // Signed in again meanwhile (an OAuth round trip finishing while a kept
            // token was refused): the request goes on with the new session's token.
            let now = self
                .find(&label)
                .and_then(|k| k.session().map(|s| s.client.clone()));
            match now {
                Some(current) if current.id() != client => return Some(current.token()),
                None => return None,
                Some(_) => {}
            }
            let (tx, rx) = oneshot::channel();
            WAITING_FOR_TOKEN.with(|w| w.borrow_mut().entry(label.clone()).or_default().push(tx));
            self.reauth_for.set(Some(label));
            rx.await.ok().flatten()
        })
    }

    /// A new OAuth access token for `label` from its refresh token; `None` when
    /// it has none or GitLab refuses it. One refresh at a time per instance.
    pub fn refresh(self, label: &str) -> impl Future<Output = Option<String>> {
        let running = REFRESHING.with(|r| r.borrow().get(label).cloned());
        let future = running.unwrap_or_else(|| {
            let label = label.to_string();
            let shared = {
                let label = label.clone();
                async move {
                    let answer = self.refresh_once(&label).await;
                    REFRESHING.with(|r| r.borrow_mut().remove(&label));
                    answer
                }
            }
            .boxed_local()
            .shared();
            REFRESHING.with(|r| r.borrow_mut().insert(label, shared.clone()));
            shared
        });
        future
    }

    async fn refresh_once(self, label: &str) -> Option<String> {
        let k = self.find(label)?;
        let SignInWith::OAuth { client_id } = &k.instance.sign_in else {
            return None;
        };
        let refresh_token = k.grant.as_ref()?.refresh_token.clone()?;
        let client = k.session()?.client.clone();
        let form = oauth::refresh(client_id, &refresh_token, &redirect_uri());
        let answer: TokenAnswer = client.oauth_post("token", &form).await.ok()?;
        client.set_token(&answer.access_token);
        let grant = Grant::from_answer(&answer);
        self.known.update(|all| {
            if let Some(k) = all.iter_mut().find(|k| k.label() == label) {
                k.grant = Some(grant);
            }
        });
        self.write(label);
        self.schedule_refresh(label);
        Some(answer.access_token)
    }

    /// Refreshes `label`'s OAuth token shortly before it expires.
    fn schedule_refresh(self, label: &str) {
        let Some(grant) = self.find(label).and_then(|k| k.grant) else {
            return;
        };
        let wait = grant.refresh_at().saturating_sub(now_secs());
        let label = label.to_string();
        let expected = grant.expires_at;
        set_timeout(
            move || {
                // Skipped when a refresh (after a 401) already replaced this token,
                // or the instance signed out.
                let still = self
                    .find(&label)
                    .filter(|k| k.session().is_some())
                    .and_then(|k| k.grant)
                    .is_some_and(|g| g.expires_at == expected);
                if still {
                    leptos::task::spawn_local(async move {
                        let _ = self.refresh(&label).await;
                    });
                }
            },
            std::time::Duration::from_secs(wait),
        );
    }

    /// The person signed in again after a 401: the shared client gets the new
    /// token, it is kept where the old one was, and waiting requests go on.
    pub fn renewed(self, label: &str, token: &str, grant: Option<Grant>) {
        if let Some(session) = self.find(label).and_then(|k| k.session().cloned()) {
            session.client.set_token(token);
        }
        if grant.is_some() {
            self.known.update(|all| {
                if let Some(k) = all.iter_mut().find(|k| k.label() == label) {
                    k.grant = grant;
                }
            });
            self.schedule_refresh(label);
        }
        self.write(label);
        self.reauth_for.set(None);
        release_waiting(label, Some(token.to_string()));
    }

    /// Signs out of `label` only: its credentials are wiped (and an OAuth
    /// token revoked), its drafts removed; it stays listed, signed out.
    pub fn sign_out(self, label: &str) {
        let Some(k) = self.find(label) else { return };
        if let (Some(session), SignInWith::OAuth { client_id }) =
            (k.session().cloned(), &k.instance.sign_in)
        {
            let token = session.client.token();
            let form = oauth::revoke(client_id, &token);
            let client = session.client.clone();
            leptos::task::spawn_local(async move {
                // Revoked whether or not the answer arrives: nothing is kept here.
                let _ = client
                    .oauth_post::<serde_json::Value>("revoke", &form)
                    .await;
            });
        }
        if let Some(session) = k.session() {
            session.client.forget_token();
        }
        forget_drafts(label);
        forget_legacy();
        self.known.update(|all| {
            if let Some(k) = all.iter_mut().find(|k| k.label() == label) {
                k.connection = Connection::SignedOut(None);
                k.grant = None;
            }
        });
        self.write(label);
        if self.reauth_for.get_untracked().as_deref() == Some(label) {
            self.reauth_for.set(None);
        }
        release_waiting(label, None);
    }

    /// Signs out of `label` and forgets it.
    pub fn remove(self, label: &str) {
        self.sign_out(label);
        forget_record(label);
        self.known.update(|all| all.retain(|k| k.label() != label));
        if self.current_label.get_untracked().as_deref() == Some(label) {
            self.current_label.set(None);
        }
    }

    /// Renames `old` to `new` (checked by the caller with `label_problem`).
    pub fn rename(self, old: &str, new: &str) {
        forget_record(old);
        self.known.update(|all| {
            if let Some(k) = all.iter_mut().find(|k| k.label() == old) {
                k.instance.label = new.to_string();
                if let Connection::SignedIn(s) = &mut k.connection {
                    s.label = new.to_string();
                }
            }
        });
        self.write(new);
        if self.current_label.get_untracked().as_deref() == Some(old) {
            self.choose(new);
        }
    }
}

fn write_record(k: &Known, token: Option<&str>) {
    let Some(s) = k.kept_in.storage() else { return };
    let session = k.session();
    let stored = Stored {
        instance: k.instance.clone(),
        added: k.added,
        token: token.filter(|t| !t.is_empty()).map(str::to_string),
        grant: k.grant.clone(),
        user: session.map(|s| s.user.clone()),
        version: session.and_then(|s| s.version),
    };
    if let Ok(json) = serde_json::to_string(&stored) {
        let _ = s.set_item(&format!("{INSTANCE_PREFIX}{}", k.instance.label), &json);
    }
}

fn release_waiting(label: &str, token: Option<String>) {
    let waiting = WAITING_FOR_TOKEN.with(|w| w.borrow_mut().remove(label).unwrap_or_default());
    for tx in waiting {
        let _ = tx.send(token.clone());
    }
}

fn keys(s: &web_sys::Storage, prefix: &str) -> Vec<String> {
    (0..s.length().unwrap_or(0))
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(prefix))
        .collect()
}

/// Removes `label`'s record from both storages (and the pre-instances session).
fn forget_record(label: &str) {
    for kind in [TokenStorage::Tab, TokenStorage::Browser] {
        let Some(s) = kind.storage() else { continue };
        let _ = s.remove_item(&format!("{INSTANCE_PREFIX}{label}"));
    }
    forget_legacy();
}

/// The pre-instances session, wherever an older console left it: a sign-out
/// wipes it too.
fn forget_legacy() {
    for kind in [TokenStorage::Tab, TokenStorage::Browser] {
        if let Some(s) = kind.storage() {
            let _ = s.remove_item(LEGACY_KEY);
        }
    }
}

/// Removes `label`'s edit drafts from both storages.
fn forget_drafts(label: &str) {
    let prefix = format!("{DRAFT_PREFIX}{label}.");
    for kind in [TokenStorage::Tab, TokenStorage::Browser] {
        let Some(s) = kind.storage() else { continue };
        for k in keys(&s, &prefix) {
            let _ = s.remove_item(&k);
        }
    }
}

/// The one session kept before instances becomes an instance record.
fn migrate_legacy() {
    for kind in [TokenStorage::Tab, TokenStorage::Browser] {
        let Some(s) = kind.storage() else { continue };
        let Some(raw) = s.get_item(LEGACY_KEY).ok().flatten() else {
            continue;
        };
        let _ = s.remove_item(LEGACY_KEY);
        let (Ok(legacy), false) = (
            serde_json::from_str::<Legacy>(&raw),
            !keys(&s, INSTANCE_PREFIX).is_empty(),
        ) else {
            continue;
        };
        let Ok(gitlab_url) = gitlab_url::normalize(&legacy.url) else {
            continue;
        };
        let stored = Stored {
            instance: Instance {
                label: instances::suggest_label(&gitlab_url, &[]),
                gitlab_url,
                sign_in: SignInWith::Token,
            },
            added: 0.0,
            token: Some(legacy.token),
            grant: None,
            user: legacy.user,
            version: legacy.version,
        };
        if let Ok(json) = serde_json::to_string(&stored) {
            let _ = s.set_item(
                &format!("{INSTANCE_PREFIX}{}", stored.instance.label),
                &json,
            );
        }
    }
}

pub fn use_session_store() -> SessionStore {
    expect_context::<SessionStore>()
}

/// The session the pages are for: provided by the shell around the route table.
#[derive(Clone)]
pub struct PagesSession(pub Session);

/// The signed-in session of the pages' instance; pages under the signed-in
/// routes may rely on it.
pub fn use_session() -> Session {
    use_context::<PagesSession>()
        .map(|s| s.0)
        .or_else(|| use_session_store().current_untracked())
        .expect("pages render only when signed in")
}
