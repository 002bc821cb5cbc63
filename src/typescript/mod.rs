//! The browser client of the actions: one module giving Astro's client API (`astro:actions`)
//! for them, written by [`ClientModule`] in plain JavaScript or in typed TypeScript.
//!
//! The plain JavaScript module needs no types: with the `javascript` feature (on by
//! default) write it from a registry, `ClientModule::from_actions(&actions).javascript()`:
//!
//! ```
//! use tower_actions::typescript::ClientModule;
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
//! let module = ClientModule::from_actions(&Actions::new().add(Ping)).javascript();
//! assert!(module.contains("export const actions"));
//! assert!(module.contains("POST /_actions/ping/"));
//! ```
//!
//! The typed TypeScript module needs the `typescript` feature:
//! [`ClientModule::action`] collects actions by type, with their input and output types described by
//! [`schemars::JsonSchema`] (derive it next to `Deserialize`/`Serialize`; serde's renames
//! and field order are kept). It writes one module with Astro's client API (`astro:actions`),
//! typed for exactly those actions: `actions.blog.like(input)` resolves to a
//! `SafeResult` (`{data, error: undefined} | {error: ActionError, data: undefined}`), with
//! `.orThrow(input)`, `.queryString`, `getActionPath`, `isInputError`, `isActionError`,
//! `ActionError`, `ACTION_QUERY_PARAMS` (and `ActionInputError`), sending and reading what
//! Astro 7.3.5's client does. As Astro's, `actions` is a proxy: any name, known or not, is
//! sent to the server (`actions.nope()` resolves to its `NOT_FOUND`), and a namespace is an
//! action too; only the types list the actions.
//!
//! - [`ClientModule::typescript`]: a TypeScript module that imports `parse` from the npm
//!   package `devalue`.
//! - [`ClientModule::javascript`]: one plain ES module with its own devalue parser, which a
//!   browser loads as it is (`<script type="module" src="/actions.js">`), no bundler.
//!
//! Types map as the values travel. Outputs (devalue): [`js::Date`](crate::js::Date) is
//! `Date`, [`js::Map<K, V>`](crate::js::Map) `Map<K, V>`, [`js::Set<T>`](crate::js::Set)
//! `Set<T>`, [`js::Url`](crate::js::Url) `URL`, [`js::BigInt`](crate::js::BigInt) `bigint`,
//! [`js::Undefined`](crate::js::Undefined) and `()` `undefined`, an `Option<T>` field
//! `k?: T | undefined`, [`RawJson`](crate::RawJson) `unknown`. Inputs (JSON): an
//! `Option<T>` field is `k?: T | null`, a `Date` `Date | string`, a `Map` an array of
//! pairs, a `BigInt` its decimal string; [`UploadedFile`](crate::UploadedFile) is `File` and
//! [`FormData`](crate::FormData) `FormData`. A form action takes `FormData` (its typed input
//! types the error's `fields`); as with Astro's client, anything else is sent as JSON, which
//! the server refuses (`UNSUPPORTED_MEDIA_TYPE`).
//!
//! Calls go to the page's origin; outside a browser set one with
//! `configureActions({ origin: 'http://127.0.0.1:4321' })`, which also takes `headers`
//! (added to every call) and a `fetch`. Each call takes the same options as a second argument
//! (a tower-actions addition: Astro's client ignores a second argument).
//!
//! # Example (feature `typescript`)
//!
//! ```
//! # #[cfg(feature = "typescript")] {
//! use tower_actions::typescript::ClientModule;
//! use tower_actions::client::TrailingSlash;
//! use tower_actions::{Action, ActionApiContext, ActionError, js};
//!
//! #[derive(serde::Deserialize, schemars::JsonSchema, garde::Validate)]
//! #[serde(rename_all = "camelCase")]
//! struct PostRef {
//!     #[garde(length(min = 1))]
//!     post_id: String,
//! }
//!
//! #[derive(serde::Serialize, schemars::JsonSchema)]
//! struct Liked {
//!     likes: u32,
//!     at: js::Date,
//!     note: Option<String>,
//! }
//!
//! struct Like;
//! impl Action for Like {
//!     const NAME: &'static str = "blog.like";
//!     type Input = PostRef;
//!     type Output = Liked;
//!     async fn handle(&self, _: PostRef, _: &mut ActionApiContext) -> Result<Liked, ActionError> {
//!         Ok(Liked { likes: 1, at: js::Date::from_unix_millis(0), note: None })
//!     }
//! }
//!
//! let client = ClientModule::new()
//!     .action::<Like>()
//!     .base("/app")
//!     .trailing_slash(TrailingSlash::Never);
//! let ts = client.typescript();
//! assert!(ts.contains("import { parse } from 'devalue';"));
//! assert!(ts.contains("  \"blog.like\": {\n    postId: string;\n  };"));
//! assert!(ts.contains("    at: Date;\n    note?: string | undefined;"));
//! assert!(ts.contains(r#"like: ActionClient<ActionInputs["blog.like"], ActionOutputs["blog.like"]>;"#));
//! assert!(ts.contains("const BASE_URL: string = \"/app\";"));
//! assert!(ts.contains("const shouldAppendTrailingSlash: boolean = false;"));
//! assert!(ts.contains("`blog.like` (json): `POST /app/_actions/blog.like`"));
//!
//! let js = client.javascript();
//! assert!(!js.contains("import "));
//! assert!(js.contains("export function parse(text"));
//! # }
//! ```

mod emit;
#[cfg(feature = "typescript")]
mod schema;
mod types;

use std::collections::BTreeMap;

#[cfg(feature = "typescript")]
use schemars::JsonSchema;
#[cfg(feature = "typescript")]
use schemars::generate::SchemaSettings;

#[cfg(feature = "typescript")]
use crate::action::Action;
use crate::client::TrailingSlash;
use crate::registry::Actions;
use emit::{ActionSchema, Language, Paths};

pub use types::JS_TYPE;

/// The browser client module of a set of actions: Astro's client API (`astro:actions`) for
/// exactly those actions, written in plain JavaScript or in typed TypeScript.
///
/// Build it from a registry or from the actions' types, then write the module in TypeScript
/// ([`typescript`](ClientModule::typescript)) or JavaScript
/// ([`javascript`](ClientModule::javascript)). Paths follow Astro's default config (base
/// `/`, a trailing `/`) unless [`base`](ClientModule::base) or
/// [`trailing_slash`](ClientModule::trailing_slash) say otherwise: use the same settings as
/// the server.
#[derive(Debug, Clone)]
#[doc(alias = "TypeScript")]
pub struct ClientModule {
    actions: BTreeMap<String, ActionSchema>,
    base: String,
    trailing_slash: TrailingSlash,
}

impl Default for ClientModule {
    fn default() -> Self {
        ClientModule::new()
    }
}

impl ClientModule {
    /// A module with no actions, base `/` and a trailing slash.
    pub fn new() -> Self {
        ClientModule {
            actions: BTreeMap::new(),
            base: "/".to_owned(),
            trailing_slash: TrailingSlash::Always,
        }
    }

    /// A module for every action of a registry, without types: enough for the plain
    /// JavaScript module ([`javascript`](ClientModule::javascript)); a TypeScript module
    /// from it types inputs and outputs as `unknown`.
    pub fn from_actions(actions: &Actions) -> Self {
        let mut module = ClientModule::new();
        for (name, accept) in actions.entries() {
            module.actions.insert(
                name.to_owned(),
                ActionSchema {
                    accept,
                    input: serde_json::Value::Bool(true),
                    output: serde_json::Value::Bool(true),
                },
            );
        }
        module
    }

    /// Adds the action `A`, under its [`Action::NAME`], with its input and output types
    /// (feature `typescript`).
    ///
    /// # Panics
    ///
    /// As [`Actions::add`](crate::Actions::add): when the name is malformed, already added,
    /// or a namespace of another action (or has one as its namespace).
    #[cfg(feature = "typescript")]
    #[track_caller]
    pub fn action<A>(mut self) -> Self
    where
        A: Action,
        A::Input: JsonSchema,
        A::Output: JsonSchema,
    {
        let name = A::NAME;
        if self.actions.contains_key(name) {
            panic!("cannot add action `{name}`: an action of that name was already added");
        }
        check_new_name(name, self.actions.keys().map(String::as_str));
        let schema = ActionSchema {
            accept: A::ACCEPT,
            input: schema_of::<A::Input>(),
            output: schema_of::<A::Output>(),
        };
        self.actions.insert(name.to_owned(), schema);
        self
    }

    /// The site's base path (Astro's `base`): `/app` puts actions at `/app/_actions/…`.
    pub fn base(mut self, base: impl Into<String>) -> Self {
        self.base = base.into();
        self
    }

    /// Whether action paths end with `/` (Astro's `trailingSlash`).
    pub fn trailing_slash(mut self, trailing_slash: TrailingSlash) -> Self {
        self.trailing_slash = trailing_slash;
        self
    }

    /// The names of the actions added, in alphabetical order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.actions.keys().map(String::as_str)
    }

    /// The TypeScript module. It imports `parse` from the npm package `devalue` (5.x).
    #[doc(alias = "to_typescript")]
    pub fn typescript(&self) -> String {
        emit::module(&self.actions, &self.paths(), Language::TypeScript)
    }

    /// The plain JavaScript module: the same API, untyped, with its own devalue parser (also
    /// exported, as `parse`), importing nothing.
    #[doc(alias = "to_javascript")]
    pub fn javascript(&self) -> String {
        emit::module(&self.actions, &self.paths(), Language::JavaScript)
    }

    fn paths(&self) -> Paths<'_> {
        Paths {
            base: &self.base,
            trailing_slash: self.trailing_slash,
        }
    }
}

/// Panics, naming the action, when `name` is malformed or collides with a namespace of the
/// `others` already added (as [`Actions::add`](crate::Actions::add)).
#[cfg(feature = "typescript")]
#[track_caller]
pub(crate) fn check_new_name<'a>(name: &str, others: impl Iterator<Item = &'a str>) {
    if let Err(reason) = crate::registry::check_name(name) {
        panic!("cannot add action `{name}`: {reason}");
    }
    for other in others {
        if other.starts_with(name) && other[name.len()..].starts_with('.') {
            panic!("cannot add action `{name}`: it is the namespace of another action");
        }
        if name.starts_with(other) && name[other.len()..].starts_with('.') {
            panic!("cannot add action `{name}`: its namespace `{other}` is an action");
        }
    }
}

/// The JSON Schema of `T`, with its definitions.
#[cfg(feature = "typescript")]
fn schema_of<T: JsonSchema>() -> serde_json::Value {
    SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}
