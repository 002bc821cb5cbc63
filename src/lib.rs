//! tower-actions: Astro Actions for every tower service.
#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub, rust_2018_idioms)]

mod decode;
pub mod error;

pub use decode::form::{FormData, FormValue, UploadedFile};
pub use error::{ActionError, ActionErrorCode, InputError, Issue, PathSegment};
