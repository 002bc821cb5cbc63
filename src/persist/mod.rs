//! POST/redirect/GET: a form action's result kept across a redirect (opt-in).
//!
//! With [`ActionsLayer::persist`](crate::ActionsLayer::persist), a form action
//! (`POST /page?_action=name`) runs once, its payload (name, result and submitted values) is
//! saved in a [`ResultStore`], and the
//! answer is `303 See Other` to the page without `_action`. The next `GET` takes the result
//! out, once, and the page sees it exactly as it would have in place: the same
//! [`ActionPayload`] in its extensions, read with the same
//! [`action_result`](crate::action_result) accessor, and the same error status. A refresh then
//! shows the page without the result and re-submits nothing. RPC calls are never redirected.
//!
//! Two stores come with the crate: [`CookieResults`] (an encrypted, authenticated cookie,
//! nothing kept on the server) and, with the `sessions` feature, `SessionResults` (the
//! result lives in a `tower-sessions` session, e.g. in Redis).
//!
//! # Example
//!
//! ```
//! use tower_actions::persist::CookieResults;
//! use tower_actions::{Actions, ActionsLayer};
//!
//! // 64 bytes or more of secret, shared by every instance behind the same address.
//! let secret = [7u8; 64];
//! let layer = ActionsLayer::new(Actions::new())
//!     .persist(CookieResults::from_secret(&secret).expect("a long enough secret").secure(true));
//! # let _ = layer;
//! ```

mod cookie;
mod envelope;
mod redirect;
#[cfg(feature = "sessions")]
mod session;

pub use self::cookie::{CookieResults, KeyTooShort};
#[cfg(feature = "sessions")]
pub use session::SessionResults;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::HeaderMap;
use http::request::Parts;
use serde::{Deserialize, Serialize};

use crate::BoxError;
use crate::payload::ActionPayload;

/// The future a [`ResultStore`] returns.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Why a store could not keep or give back a result.
#[derive(Debug)]
#[non_exhaustive]
pub enum StoreError {
    /// The result is too large for this store (a cookie over 4 KB).
    TooLarge {
        /// Its size, in bytes.
        size: usize,
        /// The most the store takes.
        limit: usize,
    },
    /// The stored value was tampered with, forged, expired or undecodable.
    Invalid(String),
    /// The store's backend failed or is unreachable.
    Unavailable(BoxError),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::TooLarge { size, limit } => {
                write!(
                    f,
                    "the result takes {size} bytes, more than the store's {limit}"
                )
            }
            StoreError::Invalid(why) => write!(f, "the stored result is not valid: {why}"),
            StoreError::Unavailable(err) => write!(f, "the result store is unavailable: {err}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// Where results wait between a form's POST and the GET after the redirect.
///
/// Implement it to keep results elsewhere (a database, a cache). The layer calls
/// [`may_hold`](ResultStore::may_hold) on every `GET`, so it must be cheap (a header look);
/// [`take`](ResultStore::take) only when it says yes.
pub trait ResultStore: Send + Sync + 'static {
    /// Whether this request may carry a stored result (e.g. its cookie is present).
    fn may_hold(&self, headers: &HeaderMap) -> bool;

    /// Keeps `payload` for the client that sent `request`; headers to set on the redirect
    /// (cookies) go into `response`.
    fn save<'a>(
        &'a self,
        request: &'a Parts,
        payload: &'a ActionPayload,
        response: &'a mut HeaderMap,
    ) -> StoreFuture<'a, Result<(), StoreError>>;

    /// Takes the payload kept for this client out, so that it is given only once; headers that
    /// clear it (cookies) go into `response`, also when the stored value is invalid.
    fn take<'a>(
        &'a self,
        request: &'a Parts,
        response: &'a mut HeaderMap,
    ) -> StoreFuture<'a, Result<Option<ActionPayload>, StoreError>>;
}

/// The persistence settings of a layer: a store and where to redirect.
#[derive(Clone)]
pub struct Persist {
    pub(crate) store: Arc<dyn ResultStore>,
    pub(crate) redirect_to: Option<String>,
    /// Whether the store may look for the form's `ActionContext` in the request's extensions
    /// when it saves (any store but the crate's own, which never do): it is put there before
    /// the store runs, and taken out again before the page renders.
    pub(crate) context_for_store: bool,
}

impl Persist {
    /// Persistence in `store`, redirecting to the page that was posted to.
    pub fn new<S: ResultStore>(store: S) -> Self {
        let id = std::any::TypeId::of::<S>();
        #[cfg(feature = "sessions")]
        let own = id == std::any::TypeId::of::<CookieResults>()
            || id == std::any::TypeId::of::<SessionResults>();
        #[cfg(not(feature = "sessions"))]
        let own = id == std::any::TypeId::of::<CookieResults>();
        Persist {
            store: Arc::new(store),
            redirect_to: None,
            context_for_store: !own,
        }
    }

    /// Redirects every form action to this path instead of back to its page.
    pub fn redirect_to(mut self, location: impl Into<String>) -> Self {
        self.redirect_to = Some(location.into());
        self
    }
}

impl<S: ResultStore> From<S> for Persist {
    fn from(store: S) -> Self {
        Persist::new(store)
    }
}

impl fmt::Debug for Persist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Persist")
            .field("redirect_to", &self.redirect_to)
            .finish_non_exhaustive()
    }
}

/// A stored result with its expiry, as the crate's stores keep it:
/// `{"exp":…,"actionName":…,"actionResult":…,"input":…}`. Read field by field (a
/// `#[serde(flatten)]` would buffer the whole record in serde's intermediate tree first).
#[derive(Deserialize)]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub(crate) struct Envelope {
    /// Seconds since the Unix epoch after which the result is ignored.
    exp: u64,
    #[serde(rename = "actionName")]
    name: String,
    #[serde(rename = "actionResult")]
    result: crate::result::SerializedActionResult,
    #[serde(default)]
    input: Vec<(String, String)>,
}

/// An [`Envelope`] to write: the payload borrowed, not cloned.
pub(crate) struct Sealed<'a> {
    exp: u64,
    stored: &'a ActionPayload,
}

impl Serialize for Sealed<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("exp", &self.exp)?;
        map.serialize_entry("actionName", &self.stored.name)?;
        map.serialize_entry("actionResult", &self.stored.result)?;
        map.serialize_entry("input", &self.stored.input)?;
        map.end()
    }
}

impl Envelope {
    pub(crate) fn seal(stored: &ActionPayload, max_age: Duration) -> Sealed<'_> {
        Sealed {
            exp: now_secs().saturating_add(max_age.as_secs().max(1)),
            stored,
        }
    }

    /// The envelope in a JSON text: as [`Sealed`] writes it without serde, anything else
    /// through `serde_json` (which gives the same envelope, or the error).
    pub(crate) fn from_json(text: &str) -> Result<Envelope, serde_json::Error> {
        match envelope::read(text) {
            Some(envelope) => Ok(envelope),
            None => serde_json::from_str(text),
        }
    }

    pub(crate) fn open(self) -> Result<ActionPayload, StoreError> {
        if self.exp < now_secs() {
            return Err(StoreError::Invalid("it has expired".into()));
        }
        Ok(ActionPayload {
            name: self.name,
            result: self.result,
            input: self.input,
        })
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// The location to send the browser to after a form POST: the same path and query, without
/// any `_action` parameter, and always a path on this host, whatever the request path held.
///
/// A browser reads a `Location` starting with `//` (or `/\`: `\` is `/` to it, and it drops
/// tabs and newlines first) as another host: `POST //evil.example/?_action=x` must not send
/// it there. So the path's leading slashes, backslashes, tabs and newlines become one `/`, and
/// bytes a header or URL cannot hold raw (controls, spaces, non-ASCII) are percent-encoded.
pub(crate) fn page_location(uri: &http::Uri) -> String {
    let path = uri.path().trim_start_matches(['/', '\\', '\t', '\n', '\r']);
    let mut location = format!("/{}", encode_unsafe(path));
    let Some(query) = uri.query() else {
        return location;
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let key = pair.split_once('=').map_or(*pair, |(key, _)| key);
            !key.is_empty() && key != "_action" && key != "%5Faction" && key != "%5faction"
        })
        .collect();
    if !kept.is_empty() {
        location.push('?');
        location.push_str(&encode_unsafe(&kept.join("&")));
    }
    location
}

/// Bytes a `Location` never holds raw: controls (tab, CR, LF…), space, DEL and non-ASCII.
const UNSAFE_IN_LOCATION: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS.add(b' ');

fn encode_unsafe(text: &str) -> std::borrow::Cow<'_, str> {
    percent_encoding::utf8_percent_encode(text, UNSAFE_IN_LOCATION).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_keeps_its_shape() {
        let stored = ActionPayload {
            name: "subscribe".into(),
            result: crate::result::SerializedActionResult::Data {
                body: r#"[{"email":1},"a@b.c"]"#.into(),
            },
            input: vec![("email".into(), "a@b.c".into())],
        };
        let mut sealed = Envelope::seal(&stored, Duration::from_secs(60));
        sealed.exp = 4_000_000_000;
        let text = serde_json::to_string(&sealed).unwrap();
        assert_eq!(
            text,
            r#"{"exp":4000000000,"actionName":"subscribe","actionResult":{"type":"data","status":200,"contentType":"application/json+devalue","body":"[{\"email\":1},\"a@b.c\"]"},"input":[["email","a@b.c"]]}"#
        );
        let value = serde_json::to_value(&sealed).unwrap();
        let opened: Envelope = serde_json::from_value(value).unwrap();
        assert_eq!(opened.open().unwrap(), stored);
        let opened: Envelope = serde_json::from_str(&text).unwrap();
        assert_eq!(opened.open().unwrap(), stored);
        // Unknown fields are ignored, `input` may be missing, an old one has expired.
        let opened: Envelope = serde_json::from_str(
            r#"{"extra":[1],"exp":4000000000,"actionName":"x","actionResult":{"type":"empty","status":204}}"#,
        )
        .unwrap();
        let payload = opened.open().unwrap();
        assert_eq!((payload.name.as_str(), payload.input.len()), ("x", 0));
        let expired: Envelope = serde_json::from_str(
            r#"{"exp":1,"actionName":"x","actionResult":{"type":"empty","status":204}}"#,
        )
        .unwrap();
        assert!(expired.open().is_err());
    }

    #[test]
    fn the_redirect_keeps_path_and_query_without_action() {
        let location = |uri: &str| page_location(&uri.parse().unwrap());
        assert_eq!(location("/?_action=subscribe"), "/");
        assert_eq!(
            location("/list?page=2&_action=x&sort=asc"),
            "/list?page=2&sort=asc"
        );
        assert_eq!(location("/a?_action=x&_action=y"), "/a");
        assert_eq!(location("/a/b"), "/a/b");
        assert_eq!(location("/a//b/?x=%2F%2F"), "/a//b/?x=%2F%2F");
    }

    #[test]
    fn the_redirect_is_always_a_path_on_this_host() {
        let location = |uri: &str| page_location(&uri.parse().unwrap());
        assert_eq!(location("//evil.example/?_action=x"), "/evil.example/");
        assert_eq!(
            location("///evil.example/?a=1&_action=x"),
            "/evil.example/?a=1"
        );
        assert_eq!(location("//"), "/");
        assert_eq!(location("/%2F/evil.example"), "/%2F/evil.example");
        assert_eq!(location("http://evil.example//x?_action=y"), "/x");
    }
}
