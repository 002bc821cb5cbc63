#![doc = include_str!("docs/crate.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub, rust_2018_idioms)]

// The crate root holds what every user names; every other public item has exactly one path,
// in one of the public modules below.

mod action;
pub mod check;
#[cfg(feature = "client")]
pub mod client;
mod context;
mod decode;
pub mod devalue;
pub mod error;
#[cfg(feature = "axum")]
pub mod extract;
mod form_data;
mod headers;
pub mod js;
pub mod layer;
mod marker;
pub mod observe;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod origin;
mod payload;
pub mod persist;
mod registry;
mod result;
#[cfg(test)]
mod test_rng;
#[cfg(feature = "javascript")]
pub mod typescript;
mod validate;

pub use action::{Action, ActionApiContext, CalledFrom};
pub use context::ActionContext;
pub use error::{ActionError, ActionErrorCode};
pub use layer::ActionsLayer;
pub use payload::{ActionPayload, action_result};
pub use registry::Actions;
pub use result::SerializedActionResult;

// Short paths for use inside the crate (the public paths are `input::…` and `error::…`).
#[allow(unused_imports)]
pub(crate) use {
    decode::RawJson,
    error::{Issue, PathSegment},
    form_data::{FormData, FormValue, UploadedFile},
    validate::Validate,
};

pub mod input {
    //! What an action's input can be: the body kinds it [`Accept`]s, JSON kept as it came
    //! ([`RawJson`]), a submitted form ([`FormData`] with its [`FormValue`]s and
    //! [`UploadedFile`]s), and [`Validate`], which every input type implements.

    pub use crate::action::Accept;
    pub use crate::decode::RawJson;
    pub use crate::form_data::{FormData, FormValue, UploadedFile};
    pub use crate::validate::Validate;
}

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The guide's Rust examples, compiled and run as doctests (they use every feature).
#[cfg(all(
    doctest,
    feature = "axum",
    feature = "client",
    feature = "sessions",
    feature = "openapi",
    feature = "metrics"
))]
#[doc = include_str!("../docs/guide.md")]
pub struct GuideDoctests;

/// The error type bodies are converted into.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;
