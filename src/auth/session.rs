//! A run's use of the stored sign-in: its access token, refreshed before the first request when
//! it expires within 5 minutes, and once after a 401. Refreshes hold the store's lock and read
//! the stored tokens again under it, so two processes never spend the same refresh token: the
//! second finds the first one's new tokens and uses them.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Url;

use super::{OAuth, REFRESH_MARGIN_SECS, SignIn, Store, TokenReply, now_secs};
use crate::error::Error;
use crate::webex::{ApiError, Token};

pub struct Session {
    store: Arc<Store>,
    key: String,
    base: Url,
    timeout: Duration,
    current: Mutex<(Token, SignIn)>,
    refreshing: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_struct("Session").field("key", &self.key).finish_non_exhaustive()
    }
}

impl Session {
    /// The stored sign-in for `key`, its token refreshed first if it expires within 5 minutes;
    /// `None` when there is no sign-in.
    pub async fn open(store: Arc<Store>, key: &str, base: &Url, timeout: Duration) -> Result<Option<Session>, Error> {
        let Some(stored) = blocking({
            let (store, key) = (Arc::clone(&store), key.to_string());
            move || store.load(&key)
        })
        .await?
        else {
            return Ok(None);
        };
        let sign_in = if stored.expires_within(REFRESH_MARGIN_SECS) {
            refresh_locked(&store, key, base, &stored.access_token, false, timeout).await?
        } else {
            stored
        };
        let token = token_of(&sign_in)?;
        Ok(Some(Session {
            store,
            key: key.to_string(),
            base: base.clone(),
            timeout,
            current: Mutex::new((token, sign_in)),
            refreshing: tokio::sync::Mutex::new(()),
        }))
    }

    /// The access token in use.
    pub fn token(&self) -> Token {
        self.current.lock().unwrap_or_else(|e| e.into_inner()).0.clone()
    }

    /// The sign-in as last read or refreshed.
    pub fn sign_in(&self) -> SignIn {
        self.current.lock().unwrap_or_else(|e| e.into_inner()).1.clone()
    }

    /// Where it is kept, in words.
    pub fn place(&self) -> String {
        self.store.place()
    }

    /// After `used` was refused with a 401: a token to try once more, refreshed (or refreshed
    /// meanwhile by another request or process); [`ApiError::SignedOut`] when there is none.
    pub async fn after_401(&self, used: &Token) -> Result<Token, ApiError> {
        let _one_at_a_time = self.refreshing.lock().await;
        let current = self.token();
        if current != *used {
            return Ok(current);
        }
        match refresh_locked(&self.store, &self.key, &self.base, used.expose(), true, self.timeout).await {
            Ok(sign_in) => {
                let token = token_of(&sign_in).map_err(|_| ApiError::SignedOut)?;
                tracing::info!("the access token was refused: refreshed it");
                *self.current.lock().unwrap_or_else(|e| e.into_inner()) = (token.clone(), sign_in);
                Ok(token)
            }
            Err(e) => {
                tracing::warn!(error = %e, "refresh after a 401 failed");
                Err(ApiError::SignedOut)
            }
        }
    }
}

/// Under the store's lock: reads the sign-in again; if another process has meanwhile replaced
/// `seen` with a token that does not expire soon, that is the answer; else (or when `force`)
/// refreshes and stores what comes back, the refresh token included.
pub(super) async fn refresh_locked(
    store: &Arc<Store>,
    key: &str,
    base: &Url,
    seen: &str,
    force: bool,
    timeout: Duration,
) -> Result<SignIn, Error> {
    let (lock, stored) = blocking({
        let (store, key) = (Arc::clone(store), key.to_string());
        move || {
            let lock = store.lock()?;
            Ok((lock, store.load(&key)?))
        }
    })
    .await?;
    let Some(stored) = stored else {
        return Err(Error::Auth("signed out: run wxpick auth login".into()));
    };
    let fresh = !stored.expires_within(REFRESH_MARGIN_SECS);
    if fresh && (stored.access_token != seen || !force) {
        tracing::info!("another wxpick refreshed the sign-in: using its token");
        return Ok(stored);
    }
    let Some(refresh_token) = stored.refresh_token.clone() else {
        return Err(Error::Auth("the sign-in has no refresh token: run wxpick auth login".into()));
    };
    if stored.refresh_expires_at.is_some_and(|at| at <= now_secs()) {
        return Err(Error::Auth("the refresh token has expired: run wxpick auth login".into()));
    }
    let oauth = OAuth::new(base, &stored.client_id, &stored.client_secret, timeout)?;
    let reply = oauth.refresh(&refresh_token).await?;
    let updated = updated(&stored, &reply);
    blocking({
        let (store, key, updated) = (Arc::clone(store), key.to_string(), updated.clone());
        move || store.save(&key, &updated)
    })
    .await?;
    drop(lock);
    tracing::info!("refreshed the access token");
    Ok(updated)
}

/// The sign-in after a refresh: the new access token, and the new refresh token if one came.
pub(super) fn updated(old: &SignIn, reply: &TokenReply) -> SignIn {
    let mut new = old.clone();
    new.access_token = reply.access_token.clone();
    new.expires_at = now_secs() + reply.expires_in.unwrap_or(3600);
    if let Some(r) = &reply.refresh_token {
        new.refresh_token = Some(r.clone());
        new.refresh_expires_at = reply.refresh_token_expires_in.map(|s| now_secs() + s);
    }
    new
}

fn token_of(sign_in: &SignIn) -> Result<Token, Error> {
    Token::new(&sign_in.access_token)
        .map_err(|e| Error::Auth(format!("the stored access token is unusable ({e}): run wxpick auth login")))
}

/// Runs a store operation on a blocking thread.
pub(super) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    tokio::task::spawn_blocking(f).await.map_err(|e| Error::Auth(format!("the credential store failed: {e}")))?
}
