//! tower-actions: Astro Actions for every tower service.
#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub, rust_2018_idioms)]

pub mod devalue;
pub mod error;
pub mod js;

pub use error::{ActionError, ActionErrorCode, InputError, Issue, PathSegment};
