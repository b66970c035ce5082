//! Who is signed in to which GitLab: checked with `GET /user` before it is kept,
//! and kept where the person chose (this page's memory, this tab, or this
//! browser). Sign-out wipes it everywhere. A 401 while signed in asks to sign in
//! again without leaving the page (see `components::reauth_dialog`).

use std::cell::RefCell;

use futures::channel::oneshot;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::{hooks, request, ApiError, Client, User, Version};
use crate::gitlab_url;
use crate::gitlab_version::{Feature, GitLabVersion};

const STORAGE_KEY: &str = "runner-console.session";
/// Drafts of the edit form (see `pages::runner_edit`) go on sign-out.
pub const DRAFT_PREFIX: &str = "runner-console.draft.";

/// Where the token is kept between page loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

/// The app-wide session state, provided as context.
#[derive(Clone, Copy)]
pub struct SessionStore {
    pub current: RwSignal<Option<Session>>,
    /// True while a remembered token is being re-checked after a reload.
    pub restoring: RwSignal<bool>,
    /// Where the token of this session is kept.
    pub kept_in: RwSignal<TokenStorage>,
    /// GitLab refused the token (401) while signed in: ask to sign in again.
    pub reauth_open: RwSignal<bool>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    url: String,
    token: String,
    /// Who the token belonged to when it was kept: lets a reload show the page at
    /// once (one round trip to the first runners) while the token is re-checked.
    #[serde(default)]
    user: Option<User>,
    /// The server's version then, so its pages are right at once after a reload.
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

/// Checks the token with `GET /user`; a 401 here is an answer, not a prompt.
pub async fn sign_in(url: &str, token: &str) -> Result<Session, SignInError> {
    let gitlab_url = gitlab_url::normalize(url).map_err(SignInError::BadUrl)?;
    let client = Client::new(gitlab_url.clone(), token);
    let (user, version) = user_and_version(&client).await;
    Ok(Session {
        client: client.with_reauth(),
        user: user?,
        gitlab_url,
        version,
    })
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

thread_local! {
    /// Requests waiting for the person to sign in again.
    static WAITING_FOR_TOKEN: RefCell<Vec<oneshot::Sender<Option<String>>>> =
        const { RefCell::new(Vec::new()) };
}

impl SessionStore {
    pub fn provide() -> Self {
        let store = SessionStore {
            current: RwSignal::new(None),
            restoring: RwSignal::new(false),
            kept_in: RwSignal::new(TokenStorage::Tab),
            reauth_open: RwSignal::new(false),
        };
        provide_context(store);
        hooks::on_unauthorized(Box::new(move || {
            let (tx, rx) = oneshot::channel();
            WAITING_FOR_TOKEN.with(|w| w.borrow_mut().push(tx));
            store.reauth_open.set(true);
            Box::pin(async move { rx.await.ok().flatten() })
        }));
        store.restore();
        store
    }

    /// Signs in again with what this tab or browser remembered, if anything.
    fn restore(self) {
        let found = [TokenStorage::Tab, TokenStorage::Browser]
            .into_iter()
            .find_map(|kind| {
                let raw = kind.storage()?.get_item(STORAGE_KEY).ok().flatten()?;
                Some((kind, serde_json::from_str::<Stored>(&raw).ok()?))
            });
        let Some((kind, stored)) = found else {
            return;
        };
        if let (Some(user), Ok(gitlab_url)) =
            (stored.user.clone(), gitlab_url::normalize(&stored.url))
        {
            let client = Client::new(gitlab_url.clone(), &stored.token).with_reauth();
            let check = client.clone();
            self.kept_in.set(kind);
            self.current.set(Some(Session {
                client,
                user,
                gitlab_url,
                version: stored.version,
            }));
            // The token may have been revoked since: the first refused request
            // (this one, or the page's) opens the sign-in-again dialog.
            leptos::task::spawn_local(async move {
                let (fresh, version) = user_and_version(&check).await;
                if let Ok(fresh) = fresh {
                    self.current.update(|s| {
                        if let Some(s) = s {
                            s.user = fresh;
                            s.version = version;
                        }
                    });
                }
            });
            return;
        }
        self.restoring.set(true);
        leptos::task::spawn_local(async move {
            match sign_in(&stored.url, &stored.token).await {
                Ok(session) => {
                    self.kept_in.set(kind);
                    self.current.set(Some(session));
                }
                Err(_) => forget_everywhere(false),
            }
            self.restoring.set(false);
        });
    }

    /// Keeps a checked session, its token only where the person chose.
    pub fn keep(self, session: Session, token: &str, kept_in: TokenStorage) {
        forget_everywhere(false);
        write_token(kept_in, &session, token);
        self.kept_in.set(kept_in);
        self.current.set(Some(session));
    }

    /// The person signed in again after a 401: the shared client gets the new
    /// token, it is kept where the old one was, and waiting requests go on.
    pub fn renewed(self, token: &str) {
        if let Some(session) = self.current.get_untracked() {
            session.client.set_token(token);
            write_token(self.kept_in.get_untracked(), &session, token);
        }
        self.reauth_open.set(false);
        release_waiting(Some(token.to_string()));
    }

    pub fn sign_out(self) {
        forget_everywhere(true);
        if let Some(session) = self.current.get_untracked() {
            session.client.forget_token();
        }
        self.reauth_open.set(false);
        release_waiting(None);
        self.current.set(None);
    }
}

fn write_token(kept_in: TokenStorage, session: &Session, token: &str) {
    let Some(s) = kept_in.storage() else { return };
    let stored = Stored {
        url: session.gitlab_url.clone(),
        token: token.to_string(),
        user: Some(session.user.clone()),
        version: session.version,
    };
    if let Ok(json) = serde_json::to_string(&stored) {
        let _ = s.set_item(STORAGE_KEY, &json);
    }
}

fn release_waiting(token: Option<String>) {
    let waiting = WAITING_FOR_TOKEN.with(|w| std::mem::take(&mut *w.borrow_mut()));
    for tx in waiting {
        let _ = tx.send(token.clone());
    }
}

/// Removes the session (and, on sign-out, edit drafts) from both storages.
fn forget_everywhere(drafts_too: bool) {
    for kind in [TokenStorage::Tab, TokenStorage::Browser] {
        let Some(s) = kind.storage() else { continue };
        let _ = s.remove_item(STORAGE_KEY);
        if !drafts_too {
            continue;
        }
        let drafts: Vec<String> = (0..s.length().unwrap_or(0))
            .filter_map(|i| s.key(i).ok().flatten())
            .filter(|k| k.starts_with(DRAFT_PREFIX))
            .collect();
        for k in drafts {
            let _ = s.remove_item(&k);
        }
    }
}

pub fn use_session_store() -> SessionStore {
    expect_context::<SessionStore>()
}

/// The signed-in session; pages under the signed-in routes may rely on it.
pub fn use_session() -> Session {
    use_session_store()
        .current
        .get_untracked()
        .expect("pages render only when signed in")
}
