#![doc = include_str!("docs/crate.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub, rust_2018_idioms)]

pub mod action;
pub mod check;
#[cfg(feature = "client")]
pub mod client;
pub mod context;
mod decode;
pub mod devalue;
pub mod error;
#[cfg(feature = "axum")]
pub mod extract;
mod form_data;
pub mod js;
pub mod layer;
mod marker;
pub mod origin;
pub mod persist;
pub mod registry;
pub mod result;
#[cfg(feature = "javascript")]
pub mod typescript;
pub mod validate;

pub use action::{Accept, Action, ActionApiContext, CalledFrom};
pub use context::{ActionContext, ActionPayload, action_payload, action_result};
pub use decode::RawJson;
pub use error::{ActionError, ActionErrorCode, InputError, Issue, PathSegment};
pub use form_data::{FormData, FormValue, UploadedFile};
pub use layer::{ActionsLayer, ActionsService, Execute, GateBody, RequestBody, ResponseBody};
pub use origin::OriginCheck;
pub use registry::Actions;
pub use result::{DEVALUE_CONTENT_TYPE, SerializedActionResult};
pub use validate::Validate;

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The guide's Rust examples, compiled and run as doctests (they use every feature).
#[cfg(all(doctest, feature = "axum", feature = "client", feature = "sessions"))]
#[doc = include_str!("../docs/guide.md")]
pub struct GuideDoctests;

/// The error type bodies are converted into.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;
