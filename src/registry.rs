//! [`Actions`]: the registry of actions, by name, with namespaces.
//!
//! # Example
//!
//! ```
//! use tower_actions::{Action, ActionApiContext, ActionError, Actions, input::RawJson};
//!
//! struct Ping;
//! impl Action for Ping {
//!     const NAME: &'static str = "ping";
//!     type Input = RawJson;
//!     type Output = &'static str;
//!     async fn handle(&self, _: RawJson, _: &mut ActionApiContext) -> Result<&'static str, ActionError> {
//!         Ok("pong")
//!     }
//! }
//!
//! struct Like;
//! impl Action for Like {
//!     const NAME: &'static str = "blog.like";
//!     type Input = RawJson;
//!     type Output = u32;
//!     async fn handle(&self, _: RawJson, _: &mut ActionApiContext) -> Result<u32, ActionError> {
//!         Ok(1)
//!     }
//! }
//!
//! let actions = Actions::new().add(Ping).add(Like);
//! assert_eq!(actions.names().collect::<Vec<_>>(), ["blog.like", "ping"]);
//! assert!(actions.contains("blog.like"));
//! assert!(!actions.contains("blog")); // a namespace is not an action
//! ```

use std::any::Any;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::future::Future;
use std::hash::{BuildHasherDefault, Hasher};
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;

use futures_util::FutureExt;

use crate::action::{Accept, Action, ActionApiContext};
use crate::decode::RawInput;
use crate::error::{ActionError, ActionErrorCode};

/// Names Astro never resolves, whatever the registry holds.
const FORBIDDEN_SEGMENTS: [&str; 3] = ["__proto__", "constructor", "prototype"];

pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An action's result, serialized for the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Output {
    /// JavaScript `undefined`: 204, no body.
    Empty,
    /// The devalue text of the output.
    Data(String),
}

/// An action with its types erased, as the registry holds it.
pub(crate) trait ErasedAction: Send + Sync + 'static {
    fn name(&self) -> &'static str;
    fn accept(&self) -> Accept;
    fn validate_and_handle<'a>(
        &'a self,
        input: &'a RawInput,
        cx: &'a mut ActionApiContext,
    ) -> BoxFuture<'a, Result<Output, ActionError>>;
    fn as_any(&self) -> &dyn Any;
}

impl<A: Action> ErasedAction for A {
    fn name(&self) -> &'static str {
        A::NAME
    }

    fn accept(&self) -> Accept {
        A::ACCEPT
    }

    fn validate_and_handle<'a>(
        &'a self,
        input: &'a RawInput,
        cx: &'a mut ActionApiContext,
    ) -> BoxFuture<'a, Result<Output, ActionError>> {
        let handled = async move {
            // Decoding into `A::Input` also validates it.
            let input: A::Input = crate::decode::deserialize_input(input)?;
            let output = self.handle(input, cx).await?;
            serialize_output(&output)
        };
        Box::pin(AssertUnwindSafe(handled).catch_unwind().map(|result| {
            result.unwrap_or_else(|_| {
                tracing::error!(action = A::NAME, "action handler panicked");
                Err(ActionError::internal(format!(
                    "action `{}` panicked",
                    A::NAME
                )))
            })
        }))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Serializes an action's output as devalue; `undefined` is [`Output::Empty`].
pub(crate) fn serialize_output<T: serde::Serialize + ?Sized>(
    output: &T,
) -> Result<Output, ActionError> {
    let text = crate::devalue::to_string(output).map_err(|err| {
        ActionError::internal(format!("the action's output cannot be serialized: {err}"))
    })?;
    Ok(if text == "-1" {
        Output::Empty
    } else {
        Output::Data(text)
    })
}

/// The actions a layer serves, by their dotted names.
///
/// Adding an action whose name is malformed, taken, or collides with a namespace panics,
/// at start-up, with a message naming the action (as axum's router does for routes).
#[derive(Clone, Default)]
#[doc(alias = "server")]
pub struct Actions {
    actions: BTreeMap<Box<str>, Arc<dyn ErasedAction>>,
    /// The same actions for [`lookup`](Actions::lookup): a hash of the name and one
    /// comparison, where the ordered map compares the name with several keys.
    index: HashMap<Box<str>, Arc<dyn ErasedAction>, BuildHasherDefault<Fnv>>,
    namespaces: BTreeSet<Box<str>>,
}

impl Actions {
    /// An empty registry.
    pub fn new() -> Self {
        Actions::default()
    }

    /// Adds an action under its [`Action::NAME`].
    ///
    /// # Panics
    ///
    /// When the name has an empty segment (`""`, `"a..b"`), a segment Astro never resolves
    /// (`__proto__`, `constructor`, `prototype`), is already taken, or is a namespace of
    /// another action (or has one as its namespace), since neither could be called.
    #[track_caller]
    #[allow(clippy::should_implement_trait)] // a builder method, not arithmetic
    pub fn add<A: Action>(mut self, action: A) -> Self {
        self.insert(A::NAME.into(), Arc::new(action));
        self
    }

    /// Adds every action of `other`.
    ///
    /// # Panics
    ///
    /// As [`Actions::add`], for any name of `other` that cannot join this registry.
    #[track_caller]
    pub fn merge(mut self, other: Actions) -> Self {
        for (name, action) in other.actions {
            self.insert(name, action);
        }
        self
    }

    #[track_caller]
    fn insert(&mut self, name: Box<str>, action: Arc<dyn ErasedAction>) {
        if let Err(reason) = check_name(&name) {
            panic!("cannot add action `{name}`: {reason}");
        }
        if self.actions.contains_key(&name) {
            panic!("cannot add action `{name}`: an action of that name was already added");
        }
        if self.namespaces.contains(&name) {
            panic!("cannot add action `{name}`: it is the namespace of another action");
        }
        let segments: Vec<&str> = name.split('.').collect();
        for end in 1..segments.len() {
            let namespace = segments[..end].join(".");
            if self.actions.contains_key(namespace.as_str()) {
                panic!("cannot add action `{name}`: its namespace `{namespace}` is an action");
            }
            self.namespaces.insert(namespace.into_boxed_str());
        }
        self.index.insert(name.clone(), action.clone());
        self.actions.insert(name, action);
    }

    /// Whether an action has this exact name.
    pub fn contains(&self, name: &str) -> bool {
        self.actions.contains_key(name)
    }

    /// The names of all actions, in alphabetical order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.actions.keys().map(|name| &**name)
    }

    /// The number of actions.
    pub fn len(&self) -> usize {
        self.actions.len()
    }

    /// Whether there are no actions.
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// The registered instance of `A`, when `A` was added.
    pub fn get<A: Action>(&self) -> Option<&A> {
        self.actions.get(A::NAME)?.as_any().downcast_ref::<A>()
    }

    /// Calls the registered `A` from server code, without HTTP: validates the input, then runs
    /// the handler with `cx`. An action that was never added is `NOT_FOUND`.
    pub async fn call<A: Action>(
        &self,
        input: A::Input,
        cx: &mut ActionApiContext,
    ) -> Result<A::Output, ActionError> {
        let Some(action) = self.get::<A>() else {
            return Err(ActionError::new(
                ActionErrorCode::NotFound,
                format!("no action `{}`", A::NAME),
            ));
        };
        cx.call(action, input).await
    }

    /// Every action's name and accept kind, by name.
    #[cfg_attr(not(feature = "javascript"), allow(dead_code))]
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&str, Accept)> {
        self.actions
            .iter()
            .map(|(name, action)| (&**name, action.accept()))
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<&Arc<dyn ErasedAction>> {
        // No name with a forbidden segment is ever added (`insert` checks every name), so a
        // name that finds an action has none: the segments need no scan of their own.
        self.index.get(name)
    }
}

/// FNV-1a over the name's bytes: the index holds only the added names, so a name sent by a
/// client cannot lengthen a probe beyond what those names make.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &byte in bytes {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

pub(crate) fn check_name(name: &str) -> Result<(), String> {
    for segment in name.split('.') {
        if segment.is_empty() {
            return Err("a name segment is empty".into());
        }
        if FORBIDDEN_SEGMENTS.contains(&segment) {
            return Err(format!("`{segment}` is never resolved by Astro"));
        }
    }
    Ok(())
}

impl fmt::Debug for Actions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.names()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::RawJson;

    struct Named<const N: usize>;
    const NAMES: [&str; 4] = ["ping", "blog.like", "blog.posts.get", "a_b"];
    impl<const N: usize> Action for Named<N> {
        const NAME: &'static str = NAMES[N];
        type Input = RawJson;
        type Output = ();
        async fn handle(&self, _: RawJson, _: &mut ActionApiContext) -> Result<(), ActionError> {
            Ok(())
        }
    }

    /// `lookup` finds exactly the added names: never a namespace, a name with a forbidden
    /// segment, or anything else, over seeded names built from the added ones' pieces.
    #[test]
    fn lookup_finds_exactly_the_added_names() {
        let actions = Actions::new()
            .add(Named::<0>)
            .add(Named::<1>)
            .add(Named::<2>)
            .add(Named::<3>);
        let pieces = [
            "ping",
            "blog",
            "like",
            "posts",
            "get",
            "a_b",
            "__proto__",
            "constructor",
            "prototype",
            "",
            "Ping",
            "blog ",
            "%2e",
        ];
        let mut rng = crate::test_rng::Rng(0x9e37_79b9_7f4a_7c15);
        let mut next = move || rng.next();
        for _ in 0..20_000 {
            let segments = 1 + (next() % 4) as usize;
            let name = (0..segments)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect::<Vec<_>>()
                .join(".");
            let expected = NAMES.contains(&name.as_str());
            let found = actions.lookup(&name);
            assert_eq!(found.is_some(), expected, "{name:?}");
            if let Some(action) = found {
                assert_eq!(action.name(), name);
            }
            // What the old rule (a segment scan first) answered.
            let scanned = !name.split('.').any(|s| FORBIDDEN_SEGMENTS.contains(&s))
                && actions.contains(&name);
            assert_eq!(found.is_some(), scanned, "{name:?}");
        }
        for name in NAMES {
            assert!(actions.lookup(name).is_some());
        }
        for name in [
            "blog",
            "blog.posts",
            "__proto__",
            "blog.__proto__",
            "constructor",
        ] {
            assert!(actions.lookup(name).is_none(), "{name}");
        }
    }
}
