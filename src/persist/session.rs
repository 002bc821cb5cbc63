//! `SessionResults`: results kept in a `tower-sessions` session (feature `sessions`).

use std::fmt;
use std::time::Duration;

use cookie::{Cookie, SameSite};
use http::header::SET_COOKIE;
use http::request::Parts;
use http::{HeaderMap, HeaderValue};
use tower_sessions::Session;

use super::{Envelope, ResultStore, StoreError, StoreFuture};
use crate::payload::ActionPayload;

/// The session key results are kept under.
const SESSION_KEY: &str = "tower_actions.result";

/// Keeps each result in the client's `tower-sessions` session, under one key, removed when
/// taken. Works with any session store (memory, Redis…); instances that share the store
/// share the results.
///
/// `tower_sessions::SessionManagerLayer` must wrap the [`ActionsLayer`](crate::ActionsLayer)
/// (be outside it), so that the session is in the request's extensions. A small marker
/// cookie (no data) says a result is waiting, so that other GETs never load the session.
#[derive(Clone)]
pub struct SessionResults {
    marker: String,
    max_age: Duration,
}

impl Default for SessionResults {
    fn default() -> Self {
        SessionResults {
            marker: "tower-actions-pending".to_owned(),
            max_age: Duration::from_secs(60),
        }
    }
}

impl SessionResults {
    /// A session store with the default marker cookie name and a one-minute expiry.
    pub fn new() -> Self {
        SessionResults::default()
    }

    /// How long a result waits for its GET (default one minute).
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    fn marker(&self, removal: bool) -> HeaderValue {
        let mut cookie = Cookie::build((self.marker.clone(), "1"))
            .http_only(true)
            .same_site(SameSite::Lax)
            .path("/")
            .build();
        if removal {
            cookie.make_removal();
        }
        HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    fn session(request: &Parts) -> Result<&Session, StoreError> {
        request.extensions.get::<Session>().ok_or_else(|| {
            StoreError::Unavailable(
                "no tower_sessions::Session on the request: put SessionManagerLayer outside ActionsLayer"
                    .into(),
            )
        })
    }
}

impl fmt::Debug for SessionResults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionResults")
            .field("marker", &self.marker)
            .field("max_age", &self.max_age)
            .finish()
    }
}

impl ResultStore for SessionResults {
    fn may_hold(&self, headers: &HeaderMap) -> bool {
        crate::action::request_cookie(headers, &self.marker, Cookie::split_parse).is_some()
    }

    fn save<'a>(
        &'a self,
        request: &'a Parts,
        result: &'a ActionPayload,
        response: &'a mut HeaderMap,
    ) -> StoreFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let session = Self::session(request)?;
            session
                .insert(SESSION_KEY, Envelope::seal(result, self.max_age))
                .await
                .map_err(|err| unavailable("loading the session", err))?;
            // Saved now, so that an unreachable store is known here, where the page can still
            // render the result in place. On failure the value is withdrawn again, so that the
            // session manager does not fail the whole response trying to save it later.
            if let Err(err) = session.save().await {
                let _ = session.remove_value(SESSION_KEY).await;
                return Err(unavailable("saving the session", err));
            }
            response.append(SET_COOKIE, self.marker(false));
            Ok(())
        })
    }

    fn take<'a>(
        &'a self,
        request: &'a Parts,
        response: &'a mut HeaderMap,
    ) -> StoreFuture<'a, Result<Option<ActionPayload>, StoreError>> {
        Box::pin(async move {
            response.append(SET_COOKIE, self.marker(true));
            let session = Self::session(request)?;
            let taken = session
                .remove_value(SESSION_KEY)
                .await
                .map_err(|err| unavailable("loading the session", err))?;
            let Some(value) = taken else {
                return Ok(None);
            };
            let envelope: Envelope = serde_json::from_value(value)
                .map_err(|err| StoreError::Invalid(format!("it does not decode: {err}")))?;
            envelope.open().map(Some)
        })
    }
}

/// The session store failed while doing `what`: said with the store's own reason (e.g. a Redis
/// timeout), which the layer logs.
fn unavailable(what: &str, err: tower_sessions::session::Error) -> StoreError {
    StoreError::Unavailable(format!("{what} failed: {err}").into())
}
