//! Who is signed in to which GitLab: checked with `GET /user` before it is kept,
//! remembered for this tab only (sessionStorage) so a reload does not sign out.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::{request, ApiError, Client, User};
use crate::gitlab_url;

const STORAGE_KEY: &str = "runner-console.session";

#[derive(Clone, Debug)]
pub struct Session {
    pub client: Client,
    pub user: User,
    pub gitlab_url: String,
}

impl Session {
    pub fn is_admin(&self) -> bool {
        self.user.admin()
    }
}

/// The app-wide session state, provided as context.
#[derive(Clone, Copy)]
pub struct SessionStore {
    pub current: RwSignal<Option<Session>>,
    /// True while a remembered token is being re-checked after a reload.
    pub restoring: RwSignal<bool>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    url: String,
    token: String,
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

pub async fn sign_in(url: &str, token: &str) -> Result<Session, SignInError> {
    let gitlab_url = gitlab_url::normalize(url).map_err(SignInError::BadUrl)?;
    let client = Client::new(gitlab_url.clone(), token);
    let user: User = client.json(&request::current_user(), None).await?;
    Ok(Session {
        client,
        user,
        gitlab_url,
    })
}

fn storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

impl SessionStore {
    pub fn provide() -> Self {
        let store = SessionStore {
            current: RwSignal::new(None),
            restoring: RwSignal::new(false),
        };
        provide_context(store);
        store.restore();
        store
    }

    /// Signs in again with what this tab remembered, if anything.
    fn restore(self) {
        let Some(raw) = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) else {
            return;
        };
        let Ok(stored) = serde_json::from_str::<Stored>(&raw) else {
            return;
        };
        self.restoring.set(true);
        leptos::task::spawn_local(async move {
            match sign_in(&stored.url, &stored.token).await {
                Ok(session) => self.current.set(Some(session)),
                Err(_) => forget(),
            }
            self.restoring.set(false);
        });
    }

    pub fn keep(self, session: Session, token: &str) {
        if let Some(s) = storage() {
            let stored = Stored {
                url: session.gitlab_url.clone(),
                token: token.to_string(),
            };
            if let Ok(json) = serde_json::to_string(&stored) {
                let _ = s.set_item(STORAGE_KEY, &json);
            }
        }
        self.current.set(Some(session));
    }

    pub fn sign_out(self) {
        forget();
        self.current.set(None);
    }
}

fn forget() {
    if let Some(s) = storage() {
        let _ = s.remove_item(STORAGE_KEY);
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
